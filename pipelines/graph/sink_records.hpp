#pragma once
// Turns the rows reaching a sink into Kafka records, exactly as Flink's kafka
// and upsert-kafka connectors write them (Flink docs, Kafka and Upsert Kafka connectors; Flink: DynamicKafkaRecordSerializationSchema):
//   kafka:        every row -> key null, value = JSON of all columns
//   upsert-kafka: +I/+U -> key = JSON of the PRIMARY KEY columns, value = JSON row;
//                 -U/-D -> key, null value (tombstone)
#include <optional>
#include <string>
#include <vector>

#include "core/batch.hpp"
#include "pipelines/graph/built_pipeline.hpp"

namespace ananas::pipeline {

struct SinkRecord {
  std::optional<std::string> key;
  std::optional<std::string> value;  // nullopt: tombstone
};

// Appends one record per row of `batch` to `out`.
void encode_sink_records(const BuiltSink& sink, const Batch& batch, std::vector<SinkRecord>& out);

}  // namespace ananas::pipeline
