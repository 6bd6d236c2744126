#pragma once
// A batch of rows: the unit every actor message carries. Row-major cells (each
// a 16-byte Value), a row kind per row (the changelog flag), and an arena that
// owns the strings and nested values the cells point to. A batch may also
// retain other batches whose memory its cells point into (an UNNEST output
// points at the strings of its input), which makes projection, filtering and
// unnesting zero-copy for payload bytes.
//
// Batches are immutable once shared (`BatchPtr` is a pointer to const) and
// cannot be copied at all: the copy constructor is deleted, so no actor
// message can deep-copy one by accident. `deep_copies()` counts the explicit
// copies made with `clone()`.
//
// A batch may also know where its rows came from (`origin`): the source
// records and, per row, the index of the record it was decoded from. Only a
// pipeline that dead-letters failing rows asks its sources for it; operators
// that map input rows to output rows (Calc, UNNEST, window assignment, the
// key partitioner) carry it along, and rows computed from operator state have
// none. Without an origin it costs one null pointer per batch.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/arena.hpp"
#include "core/source_records.hpp"
#include "core/value.hpp"

namespace ananas {

enum class RowKind : uint8_t { Insert = 0, UpdateBefore = 1, UpdateAfter = 2, Delete = 3 };

// "+I", "-U", "+U", "-D" as Flink prints them.
std::string_view row_kind_name(RowKind k);
inline bool is_accumulate(RowKind k) { return k == RowKind::Insert || k == RowKind::UpdateAfter; }

class Batch;
using BatchPtr = std::shared_ptr<const Batch>;

class Batch {
 public:
  explicit Batch(size_t num_columns, size_t expected_rows = 0);
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;
  Batch(Batch&&) = default;
  Batch& operator=(Batch&&) = default;

  size_t num_rows() const { return kinds_.size(); }
  size_t num_columns() const { return num_columns_; }
  bool empty() const { return kinds_.empty(); }

  const Value* row(size_t r) const { return cells_.data() + r * num_columns_; }
  const Value& at(size_t r, size_t c) const { return cells_[r * num_columns_ + c]; }
  RowKind kind(size_t r) const { return kinds_[r]; }

  // Appends a row of NULLs and returns its cells for filling. The pointer is
  // valid until the next append.
  Value* append_row(RowKind kind = RowKind::Insert);
  // Appends a copy of `values` (num_columns() of them). The values must point
  // into memory this batch owns or retains.
  void append_row(const Value* values, RowKind kind = RowKind::Insert);
  Value* mutable_row(size_t r) { return cells_.data() + r * num_columns_; }
  void set_kind(size_t r, RowKind k) { kinds_[r] = k; }
  // Removes the last row (a row that turned out to be unusable while being built).
  void pop_row() {
    kinds_.pop_back();
    cells_.resize(cells_.size() - num_columns_);
    if (origin_rows_.size() > kinds_.size()) origin_rows_.pop_back();
  }
  void reserve(size_t rows);
  void clear();

  Arena& arena() { return *arena_; }
  // Keeps `other` (and everything it retains) alive as long as this batch,
  // so this batch's values may point into it. A batch without a processing
  // time takes `other`'s: rows derived from a source batch keep its time.
  void retain(BatchPtr other);

  // When the source read these rows (epoch ms; 0 = unknown): the processing
  // time that CURRENT_TIMESTAMP, NOW(), LOCALTIMESTAMP and PROCTIME() evaluate
  // to for them (see core/processing_clock.hpp for batches without one).
  int64_t processing_time_ms() const { return processing_time_ms_; }
  void set_processing_time_ms(int64_t ms) { processing_time_ms_ = ms; }
  const std::vector<BatchPtr>& retained() const { return retained_; }

  // Provenance (see the top of this file). One origin per batch: set it while
  // the batch is still empty, then record each row's source record right after
  // appending the row, with trace_row (the source) or trace_from (an operator
  // that derived the row from `input`'s row `input_row`; a no-op when `input`
  // has no origin, so operators call it unconditionally).
  void set_origin(SourceRecordsPtr records) { origin_ = std::move(records); }
  const SourceRecordsPtr& origin() const { return origin_; }
  void trace_row(uint32_t record) {
    if (origin_) origin_rows_.push_back(record);
  }
  void trace_from(const Batch& input, size_t input_row) {
    if (origin_ && input_row < input.origin_rows_.size()) origin_rows_.push_back(input.origin_rows_[input_row]);
  }
  // The index into origin() of row r's source record; nullopt when the batch
  // has no origin, or when not every row was traced (a wrong record would be
  // worse than none).
  std::optional<uint32_t> origin_index(size_t r) const {
    if (!origin_ || origin_rows_.size() != kinds_.size() || r >= origin_rows_.size()) return std::nullopt;
    return origin_rows_[r];
  }
  // The source record row r was decoded from, if the batch knows it.
  std::optional<SourceRecord> source_record(size_t r) const {
    auto i = origin_index(r);
    if (!i) return std::nullopt;
    return origin_->at(*i);
  }

  // Bytes of cells plus arena blocks owned by this batch (not counting retained ones).
  size_t bytes_owned() const;

  // An explicit deep copy (strings and nested values copied into a new arena).
  // Counted: the runtime's tests assert that moving batches between actors never calls it.
  std::unique_ptr<Batch> clone() const;
  static uint64_t deep_copies() { return deep_copies_.load(std::memory_order_relaxed); }

 private:
  size_t num_columns_;
  std::vector<Value> cells_;
  std::vector<RowKind> kinds_;
  std::unique_ptr<Arena> arena_;
  std::vector<BatchPtr> retained_;
  SourceRecordsPtr origin_;
  std::vector<uint32_t> origin_rows_;  // per row while origin_ is set
  int64_t processing_time_ms_ = 0;
  static inline std::atomic<uint64_t> deep_copies_{0};
};

// Copies `v` (and everything it points to) into `arena`, so it no longer
// depends on the memory of the batch it came from.
Value deep_copy(const Value& v, Arena& arena);

}  // namespace ananas
