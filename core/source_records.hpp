#pragma once
// The source records a batch's rows were decoded from: a row's provenance.
// A pipeline with `on_error: dead-letter` writes a row that an operator fails
// on (a failed CAST, a division by zero) to its dead-letter topic with the
// bytes it was read from, exactly as a record that cannot be decoded; for
// that, the source attaches its raw records to the batch it decodes, and each
// row carries the index of its record (core/batch.hpp). The implementation
// over a connector's RawBatch, which keeps the Kafka messages alive, is the
// worker's (actors/drivers/raw_batch_records.hpp); core/ knows only this view.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

namespace ananas {

// One record as the source read it. The views are valid as long as the
// SourceRecords that returned it.
struct SourceRecord {
  std::string_view topic;
  int32_t partition = 0;
  int64_t offset = -1;
  int64_t timestamp_ms = -1;              // -1: none
  std::optional<std::string_view> key;    // nullopt: null key
  std::optional<std::string_view> value;  // nullopt: tombstone
};

class SourceRecords {
 public:
  virtual ~SourceRecords() = default;
  // The source (table) node that read the records.
  virtual std::string_view source() const = 0;
  virtual size_t size() const = 0;
  virtual SourceRecord at(uint32_t index) const = 0;
  // True the first time it is called for `index`, false after: a record whose
  // rows fail several times (UNNEST and HOP windows make several rows of one
  // record; several operators may fail on them) is dead-lettered once, with
  // the first failure. Thread-safe: parallel operator instances share records.
  virtual bool claim(uint32_t index) const = 0;
};

using SourceRecordsPtr = std::shared_ptr<const SourceRecords>;

}  // namespace ananas
