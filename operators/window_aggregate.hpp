#pragma once
// Window aggregation over TUMBLE / HOP / CUMULATE (Flink docs, Table API & SQL > Queries > Window Aggregation): one result row
// per (key, window) that received at least one row, emitted when the
// watermark W reaches window_end − 1, in ascending window_end. Among windows
// with the same end, rows come out in ascending order of the encoded group key
// (core/row_codec.hpp bytes) — Flink leaves that order unspecified; ours is
// deterministic and survives a restore. Output is insert-only; a window's state
// is freed as soon as it fires.
//
// Late rows (Flink: TimeWindowUtil.isWindowFired, numLateRecordsDropped): a row all of whose windows have already fired is dropped
// and counted (stats().late_records_dropped); a HOP/CUMULATE row with some
// windows still open is added to those only.
//
// Processing time (config.processing_time; Flink's slice assigners with
// isEventTime() false): a row goes into the windows containing the operator's
// clock when it processes the row's batch, not its time column's value, so no
// row is ever late; a window fires once the clock reaches its end (Flink
// registers a processing-time timer at window_end − 1 and fires it once the
// clock has passed it), ignoring watermarks. window_time is then a
// processing-time attribute: Flink leaves it null in the aggregation and
// materializes it downstream as the processing time there, so it carries the
// clock at which the window fired.
//
// Output row: group keys, aggregates, window_start, window_end, window_time.
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "operators/aggregate_set.hpp"
#include "operators/named_expr.hpp"
#include "operators/operator.hpp"
#include "operators/row_error.hpp"
#include "operators/window_spec.hpp"

namespace ananas::ops {

struct WindowAggregateConfig {
  Schema input;
  size_t time_column = 0;  // the DESCRIPTOR column: a TIMESTAMP(3) or TIMESTAMP_LTZ(3) time attribute
  WindowSpec window;
  std::vector<NamedExpr> keys;  // group keys other than window_start/window_end/window_time
  std::vector<AggregateCall> aggregates;
  RowErrorHandler on_row_error;  // unset: a failing row throws RowFailure
  bool processing_time = false;  // windows on the operator's clock (a PROCTIME() descriptor)
  std::function<int64_t()> clock;  // processing time in epoch ms; unset: processing_time_now_ms()
  // The global phase of a two-phase aggregation (operators/window_partials.hpp):
  // the input column (BYTES) that holds a partial's state. A row with it set
  // is a partial: its window's pane takes its accumulators (merged), the
  // rest of the row only gives the group key. A row with it NULL is an
  // input row as in one phase.
  std::optional<size_t> partial_column;
};

class WindowAggregateOperator final : public Operator {
 public:
  // Throws std::invalid_argument for an invalid window (Flink's message), a
  // time column that is not a timestamp, or an aggregate Flink would reject.
  explicit WindowAggregateOperator(WindowAggregateConfig config);
  std::string_view kind() const override { return "window_aggregate"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  void on_watermark(int64_t watermark, std::vector<BatchPtr>& out) override;
  std::optional<int64_t> next_processing_timer() const override;
  void on_processing_time(int64_t now_ms, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override;

 protected:
  std::string state_description() const override;
  void save_shared(StateWriter& w) const override { w.i64(watermark_); }
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override;
  void restore_shared(StateReader& r, bool inherit_counters) override;
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  struct Slot {
    int64_t end;
    int64_t start;
    std::string key;  // encoded group key
    auto operator<=>(const Slot&) const = default;
  };
  struct Pane {
    int64_t rows = 0;
    std::vector<AccumulatorPtr> accumulators;
    uint32_t key_group = 0;
  };
  // Event time: the watermark reached window_end − 1. Processing time: the
  // clock reached window_end (its timer at window_end − 1 has passed).
  bool fired(int64_t window_end) const {
    if (config_.processing_time) return clock_ms_ != kMinWatermark && window_end <= clock_ms_;
    return watermark_ != kMinWatermark && window_end - 1 <= watermark_;
  }
  // Emits and frees every fired pane, in (end, start, key) order; window_time
  // is `window_time(end)`.
  // Merges a partial (the row's partial_column is set) into its pane.
  void merge_partial(const BatchPtr& input, size_t r, expr::EvalContext& ctx, std::vector<Value>& keys);
  template <typename WindowTime>
  void fire(std::vector<BatchPtr>& out, WindowTime window_time);

  WindowAggregateConfig config_;
  AggregateSet aggregates_;
  Schema output_;
  int64_t watermark_ = kMinWatermark;
  int64_t clock_ms_ = kMinWatermark;  // processing time: the latest time the operator was told or read
  std::map<Slot, Pane> panes_;
  OperatorStats stats_;
};

// The three columns a window TVF appends (Flink docs, Queries > Window TVF > Window Functions); window_time is the new time
// attribute and has the time column's timestamp flavour.
std::vector<Column> window_columns(const Type& time_column_type);

// The output schema of a window aggregation (keys, aggregates, window columns);
// throws std::invalid_argument for a bad time column or a key without expression.
Schema window_aggregate_output(const WindowAggregateConfig& config, const AggregateSet& aggregates);

}  // namespace ananas::ops
