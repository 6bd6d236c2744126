#pragma once
// Two-phase window aggregation, the local phase (Flink docs, Performance
// Tuning > Local-Global Aggregation; its planner splits a rowtime window
// aggregate whose aggregate functions all merge into a local and a global
// window aggregate, TwoStageOptimizedWindowAggregateRule). When the rows of
// a window aggregation cross a keyed exchange, the writing side folds the
// rows of each (group key, window) into one partial: the accumulators after
// those rows. The global phase (WindowAggregateOperator with a
// `partial_column`) merges the partials of every writer and fires the
// windows on its watermark as before. The pizza apps send a few partial
// counts per topping and window instead of one row per order.
//
// What stays exact, and how:
//  - Event time. Partials are flushed before the watermark that would fire
//    their window leaves the writer (flush_due), so a partial never arrives
//    behind the global watermark unless its rows were late already.
//  - Late rows. A row whose window has fired at this writer's watermark is
//    not folded: it crosses the exchange as it is, so the global phase
//    judges it exactly as the one-phase plan would (Flink's local phase
//    buffers it until the next flush instead, and may drop more).
//  - Replays. Partials are kept per source partition, so that a flush can be
//    stamped with the last source record it covers and the reader's
//    de-duplication still tells rows sent twice (exchange_sink_driver.hpp).
//  - Everything the global phase must see row by row (retractions, a NULL
//    time, a row whose key or arguments fail to evaluate: its error is
//    reported there, once) is not folded either.
// Processing-time and session windows are not split (Flink does not split
// them either: processing time must be read in one place, sessions merge).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "operators/aggregate_set.hpp"
#include "operators/window_aggregate.hpp"

namespace ananas::ops {

// One (group key, window) of one source partition.
struct WindowPartial {
  int32_t target = 0;  // where its first row would have gone (the exchange partition)
  std::string cells;   // that row's cells (core/row_codec.hpp): the global phase reads its key from them
  std::string state;   // encode_partial_state: the window, the row count and the accumulators
};

// The partial state cell: window start and end, rows, then the saved
// accumulators (AggregateSet::save).
void encode_partial_state(int64_t start, int64_t end, int64_t rows, const AggregateSet& aggregates,
                          const std::vector<AccumulatorPtr>& accumulators, std::string& out);

class WindowPartialCombiner {
 public:
  // `config`: the one-phase window aggregation this is the local phase of.
  // Throws std::invalid_argument for a window two phases cannot split.
  explicit WindowPartialCombiner(WindowAggregateConfig config);

  // Folds an input row of source partition `source` into its partial, which
  // will go to `target`. False when the row must cross as it is (see above).
  bool add(int64_t source, int32_t target, const Value* row, RowKind kind);
  // The writer's watermark advanced (rows behind it are late from now on).
  void set_watermark(int64_t watermark);
  // Whether a pending window fires at the watermark: flush every source
  // before the watermark is passed on.
  bool flush_due() const;
  // So many pending partials that they should be flushed (memory bound).
  bool full() const { return pending_count_ >= kMaxPending; }
  // The source partitions with pending partials.
  std::vector<int64_t> sources() const;
  // Takes the pending partials of `source`, in (target, end, start, key) order.
  std::vector<WindowPartial> take(int64_t source);
  size_t pending() const { return pending_count_; }

  static constexpr size_t kMaxPending = 65536;

 private:
  struct Slot {
    int32_t target;
    int64_t end;
    int64_t start;
    std::string key;  // encoded group key
    auto operator<=>(const Slot&) const = default;
  };
  struct Pending {
    std::string cells;
    int64_t rows = 0;
    std::vector<AccumulatorPtr> accumulators;
  };
  bool fired(int64_t window_end) const { return watermark_ != kMinWatermark && window_end - 1 <= watermark_; }

  WindowAggregateConfig config_;
  AggregateSet aggregates_;
  int64_t watermark_ = kMinWatermark;
  std::map<int64_t, std::map<Slot, Pending>> pending_;  // by source partition
  std::multiset<int64_t> ends_;                          // the end of every pending slot, for flush_due
  size_t pending_count_ = 0;
  std::optional<Arena> scratch_;  // renewed every few thousand rows
  size_t rows_since_reset_ = 0;
  expr::EvalContext ctx_;
  std::vector<Value> keys_;
  AggregateSet::RowInputs inputs_;
  std::vector<WindowBounds> windows_;
};

}  // namespace ananas::ops
