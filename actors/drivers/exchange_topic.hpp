#pragma once
// The topics a worker group shares out as shards (PipelineGraph::sharding).
// The exchange topic of a pipeline cut at a keyed operator
// (exchange_split.hpp): created by whichever worker needs it first (a scan
// part about to write, or a keyed part about to share out its shards), with
// the configured partition count; a topic that exists keeps its own.
#include <chrono>
#include <string>

#include "connectors/connector.hpp"

namespace ananas::rt::drivers {

// Creates `topic` with `partitions` when it does not exist yet and returns
// the partition count it has. Throws connectors::ConnectorError when the
// broker cannot be asked, or when the topic has more partitions than there
// are key groups (an exchange partition holds whole key groups).
int ensure_exchange_topic(const connectors::Options& kafka, const std::string& pipeline, const std::string& topic,
                          int partitions, std::chrono::milliseconds timeout);

// The partition count of a topic that exists (0 when it does not), without
// creating it. Throws connectors::ConnectorError when the broker cannot be asked.
int topic_partitions(const connectors::Options& kafka, const std::string& pipeline, const std::string& topic,
                     std::chrono::milliseconds timeout);

}  // namespace ananas::rt::drivers
