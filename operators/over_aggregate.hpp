#pragma once
// OVER aggregation on event time (Flink docs, Queries > Over Aggregation):
// every input row comes out once, with the aggregates over the rows of its
// partition that its frame covers, in timestamp order, when the watermark
// passes it. Output is append-only: the input columns, then the aggregates.
//
// Frames (the upper bound is always CURRENT ROW, as Flink allows):
//  - ROWS n PRECEDING: the row and the n rows before it in the partition
//    (rows of equal timestamp count one by one, in arrival order);
//  - RANGE t PRECEDING: every row whose timestamp is in [ts - t, ts], so rows
//    of equal timestamp (peers) see each other and get the same aggregates;
//  - UNBOUNDED PRECEDING, ROWS or RANGE: every row of the partition so far.
// It follows Flink's runtime functions (flink-table-runtime, operators/over:
// RowTimeRowsBoundedPrecedingFunction, RowTimeRangeBoundedPrecedingFunction,
// RowTimeRowsUnboundedPrecedingFunction, RowTimeRangeUnboundedPrecedingFunction),
// including how each decides that a row is late (dropped and counted in
// stats().late_records_dropped, as Flink's numLateRecordsDropped):
//  - unbounded frames: the row's timestamp is <= the watermark when it arrives;
//  - bounded frames: the timestamp is <= the last timestamp its partition has
//    emitted (Flink's lastTriggeringTs, 0 before the first: rows at or before
//    1970-01-01 are dropped by a bounded frame). A row behind the watermark
//    but ahead of its partition is kept and emitted at the next watermark.
// State: rows wait per partition until the watermark passes them; a bounded
// frame keeps the evaluated aggregate inputs of the rows still inside it (to
// retract them as they leave) and no more. A RANGE-bounded partition is freed
// entirely once the watermark passes its last timestamp + 1.5 x the range
// (Flink's cleanup timer, which also forgets the partition's last timestamp).
// Among partitions, rows come out in ascending timestamp, then encoded
// partition key (Flink's order across keys follows its timer queue; ours is
// deterministic and survives a restore).
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "operators/aggregate_set.hpp"
#include "operators/operator.hpp"
#include "operators/row_error.hpp"

namespace ananas::ops {

enum class OverFrameUnit { Rows, Range };

struct OverAggregateConfig {
  Schema input;
  std::vector<size_t> partition_by;  // input columns
  size_t time_column = 0;            // the ORDER BY rowtime column (TIMESTAMP(3) / TIMESTAMP_LTZ(3))
  OverFrameUnit unit = OverFrameUnit::Rows;
  std::optional<int64_t> preceding;  // rows (ROWS) or milliseconds (RANGE); unset = UNBOUNDED PRECEDING
  std::vector<AggregateCall> aggregates;
  RowErrorHandler on_row_error;  // unset: a failing row throws RowFailure
};

class OverAggregateOperator final : public Operator {
 public:
  // Throws std::invalid_argument for a bad column index, a time column that is
  // not a timestamp, a negative bound or an aggregate Flink would reject.
  explicit OverAggregateOperator(OverAggregateConfig config);
  std::string_view kind() const override { return "over_aggregate"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  void on_watermark(int64_t watermark, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override;

 protected:
  std::string state_description() const override;
  void save_shared(StateWriter& w) const override { w.i64(watermark_); }
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override;
  void restore_shared(StateReader& r, bool inherit_counters) override;
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  // A row waiting for the watermark: the encoded input row and its evaluated
  // aggregate inputs (evaluated on arrival, so a failing row is reported with
  // its batch and never enters state).
  struct Waiting {
    std::string row;
    std::string inputs;
  };
  // A row inside a bounded frame: what retracting it needs.
  struct InFrame {
    int64_t ts;
    std::string inputs;
  };
  struct Partition {
    std::map<int64_t, std::vector<Waiting>> waiting;  // by timestamp, arrival order within one
    std::deque<InFrame> frame;                        // bounded frames: oldest first
    std::vector<AccumulatorPtr> accumulators;
    std::optional<int64_t> last_emitted;  // bounded frames: Flink's lastTriggeringTs
    std::optional<int64_t> cleanup_at;    // RANGE-bounded frames: Flink's cleanup timer
    uint32_t key_group = 0;
  };

  bool bounded() const { return config_.preceding.has_value(); }
  bool is_late(const Partition* p, int64_t ts) const;
  std::string encode_inputs(AggregateSet::RowInputs& in) const;
  void decode_inputs(std::string_view bytes, Arena& arena, AggregateSet::RowInputs& out) const;
  void apply(Partition& p, std::string_view inputs, bool accumulate, Arena& arena);
  // Emits the rows of `p` at timestamp `ts`, updating the frame.
  void emit_timestamp(Partition& p, int64_t ts, std::vector<Waiting>& rows, std::shared_ptr<Batch>& out);
  void append_output(std::shared_ptr<Batch>& out, const Waiting& row, const Partition& p);
  Partition load_partition(StateReader& r) const;
  void set_cleanup(const std::string& key, Partition& p, int64_t at);

  OverAggregateConfig config_;
  AggregateSet aggregates_;
  Schema output_;
  int64_t watermark_ = kMinWatermark;
  std::map<std::string, Partition> partitions_;  // by encoded partition key
  // (timestamp, partition key) of every waiting timestamp, and (cleanup time,
  // partition key) of every RANGE-bounded partition: a watermark visits only
  // what it makes due, not every partition.
  std::set<std::pair<int64_t, std::string>> waiting_index_;
  std::set<std::pair<int64_t, std::string>> cleanup_index_;
  OperatorStats stats_;
};

}  // namespace ananas::ops
