#pragma once
// A source's RawBatch as the origin of the rows decoded from it
// (core/source_records.hpp): the batch keeps the connector's storage (for
// Kafka, the librdkafka messages) alive, so a row an operator fails on much
// later can still be dead-lettered with the exact bytes it was read from.
// Attached only when the pipeline's on_error is dead-letter.
#include <mutex>
#include <string>
#include <vector>

#include "connectors/connector.hpp"
#include "core/source_records.hpp"

namespace ananas::rt::drivers {

class RawBatchRecords final : public SourceRecords {
 public:
  RawBatchRecords(std::string source, connectors::RawBatch raw) : source_(std::move(source)), raw_(std::move(raw)) {}

  const connectors::RawBatch& raw() const { return raw_; }
  std::string_view source() const override { return source_; }
  size_t size() const override { return raw_.size(); }
  SourceRecord at(uint32_t index) const override {
    const connectors::RawRecord& r = raw_.records.at(index);
    return SourceRecord{r.topic, r.partition, r.offset, r.timestamp_ms, r.key, r.value};
  }
  bool claim(uint32_t index) const override {
    std::lock_guard lock(mutex_);
    if (claimed_.empty()) claimed_.resize(raw_.size());  // only once a row failed
    if (index >= claimed_.size() || claimed_[index]) return false;
    claimed_[index] = true;
    return true;
  }

 private:
  std::string source_;
  connectors::RawBatch raw_;
  mutable std::mutex mutex_;
  mutable std::vector<bool> claimed_;
};

// The connector's view of a record a SourceRecords returned.
inline connectors::RawRecord raw_record_of(const SourceRecord& r) {
  connectors::RawRecord out;
  out.topic = r.topic;
  out.partition = r.partition;
  out.offset = r.offset;
  out.timestamp_ms = r.timestamp_ms;
  out.key = r.key;
  out.value = r.value;
  return out;
}

}  // namespace ananas::rt::drivers
