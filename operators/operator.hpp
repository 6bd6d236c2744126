#pragma once
// A stream operator: a plain class with no knowledge of actors or Kafka. The
// offline runner calls it directly; in the worker one generic actor hosts any
// operator. Contract:
//  - process() consumes one input batch (rows carry a RowKind: operators that
//    accept changelogs honour it) and appends zero or more output batches;
//  - on_watermark() is called when the input watermark advances; operators
//    that hold rows (windows, MATCH_RECOGNIZE) emit what became final. The host
//    forwards the watermark downstream after the emitted batches;
//  - snapshot()/restore() capture all state, so a restarted operator resumes
//    exactly where its last checkpoint left it;
//  - stats() exposes state size and drop counters (metrics and tests).
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch.hpp"
#include "core/row_codec.hpp"
#include "core/schema.hpp"

namespace ananas::ops {

inline constexpr int64_t kMinWatermark = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kMaxWatermark = std::numeric_limits<int64_t>::max();

struct OperatorStats {
  uint64_t late_records_dropped = 0;  // rows that arrived behind the watermark and were dropped
  uint64_t state_entries = 0;         // keys, windows, buffered rows or partial matches held
  uint64_t state_bytes = 0;           // approximate bytes held in state
  uint64_t rows_in = 0;
  uint64_t rows_out = 0;
};

class Operator {
 public:
  virtual ~Operator() = default;
  virtual std::string_view kind() const = 0;
  virtual const Schema& output_schema() const = 0;
  virtual void process(const BatchPtr& input, std::vector<BatchPtr>& out) = 0;
  virtual void on_watermark(int64_t /*watermark*/, std::vector<BatchPtr>& /*out*/) {}
  virtual void snapshot(StateWriter& /*w*/) const {}
  virtual void restore(StateReader& /*r*/) {}
  virtual OperatorStats stats() const { return {}; }
};

using OperatorPtr = std::unique_ptr<Operator>;

}  // namespace ananas::ops
