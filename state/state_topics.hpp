#pragma once
// The names of a pipeline's internal topics, derived from its name so that two
// pipelines never share one (Kafka Streams names them `<application.id>-...`):
//   ananas-<pipeline>-checkpoints            the completed checkpoints (one record per checkpoint)
//   ananas-<pipeline>-<operator>-changelog   one stateful operator's state, compacted
//   ananas-<pipeline>-lease                  one partition of it is the pipeline's lease in a worker group
//   ananas-<pipeline>-<operator>-exchange    rows on their way to a keyed operator, partitioned by its key,
//                                            when the workers of a group split the pipeline's sources
// Kafka allows [a-zA-Z0-9._-] in topic names; any other character becomes '_'
// and an 8-digit hash of the original name is appended, so that "a b" and
// "a_b" still get different topics.
#include <string>

namespace ananas::state {

std::string checkpoints_topic(const std::string& pipeline);
// The topic one partition of which is the pipeline's lease in a worker group:
// the member that owns it runs the pipeline (actors/drivers/kafka_placement.hpp).
// It holds no records.
std::string lease_topic(const std::string& pipeline);
std::string changelog_topic(const std::string& pipeline, const std::string& operator_name);
std::string exchange_topic(const std::string& pipeline, const std::string& operator_name);

}  // namespace ananas::state
