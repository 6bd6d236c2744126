#pragma once
// When a keyed pipeline needs no exchange in a worker group: its rows are
// already partitioned by its key. An upsert-kafka table's message key is its
// PRIMARY KEY, and its producers partition by that key (Kafka's default
// partitioner, as Flink's upsert-kafka sink and Kafka Streams do), so every
// row of one key is in one partition of the topic. When every keyed operator
// is keyed by exactly those columns, each source partition can run the whole
// pipeline with the state of its own keys, as Kafka Streams runs a
// co-partitioned sub-topology without a repartition topic: the pipeline runs
// once per source partition (a shard, PipelineGraph::sharding), each on the
// worker the group gives that partition to, with its state checkpointed per
// shard.
//
// Kept to what is exact: every keyed operator is an upsert materializer or
// a GROUP BY (neither waits for a watermark, so a shard that sees one
// partition's event time gives the rows one worker would), its key traced
// back to the source's PRIMARY KEY through projections that pass those
// columns on unchanged. Anything else is cut at an exchange
// (exchange_split.hpp).
#include <optional>
#include <string>

#include "pipelines/graph/built_pipeline.hpp"

namespace ananas::rt::drivers {

struct CoPartitioning {
  std::string topic;                     // the source topic whose partitions are the shards
  std::vector<std::string> primary_key;  // the message key's columns
};

std::optional<CoPartitioning> plan_copartitioned(const pipeline::BuiltPipeline& built);

}  // namespace ananas::rt::drivers
