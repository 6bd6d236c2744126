#pragma once
// Turns the rows reaching a sink into Kafka records, exactly as Flink's kafka
// and upsert-kafka connectors write them (Flink docs, Kafka and Upsert Kafka connectors; Flink: DynamicKafkaRecordSerializationSchema):
//   kafka:        every row -> key null, value = JSON of all columns
//   upsert-kafka: +I/+U -> key = JSON of the PRIMARY KEY columns, value = JSON row;
//                 -U/-D -> key, null value (tombstone)
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/connector.hpp"
#include "core/batch.hpp"
#include "pipelines/graph/built_pipeline.hpp"

namespace ananas::pipeline {

// The records of one batch, encoded into one buffer that is reused batch
// after batch: no allocation per record once it has grown (a string per key
// and value was a malloc and a free per output record in the sink's profile).
// The views stay valid until the next clear() or encode.
class SinkRecords {
 public:
  void clear() {
    bytes_.clear();
    records_.clear();
  }
  size_t size() const { return records_.size(); }
  bool empty() const { return records_.empty(); }
  std::optional<std::string_view> key(size_t i) const { return view(records_[i].key); }
  std::optional<std::string_view> value(size_t i) const { return view(records_[i].value); }  // nullopt: tombstone
  // Every record as the connectors take them (SinkConnector::write_batch);
  // valid until the next clear() or encode.
  std::span<const connectors::SinkRecord> for_connector() {
    views_.resize(records_.size());
    for (size_t i = 0; i < records_.size(); ++i) views_[i] = {key(i), value(i), -1};
    return views_;
  }

 private:
  friend void encode_sink_records(const BuiltSink& sink, const Batch& batch, SinkRecords& out);
  struct Span {
    size_t offset = 0, size = 0;
    bool present = false;
  };
  struct Record {
    Span key, value;
  };
  std::optional<std::string_view> view(const Span& s) const {
    if (!s.present) return std::nullopt;
    return std::string_view(bytes_).substr(s.offset, s.size);
  }
  std::string bytes_;
  std::vector<Record> records_;
  std::vector<connectors::SinkRecord> views_;  // for_connector()'s, reused
};

// Appends one record per row of `batch` to `out`.
void encode_sink_records(const BuiltSink& sink, const Batch& batch, SinkRecords& out);

}  // namespace ananas::pipeline
