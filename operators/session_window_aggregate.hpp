#pragma once
// Window aggregation over SESSION windows (Flink docs, Queries > Window TVF >
// SESSION and Queries > Group Window Aggregation; Flink: SessionWindowAssigner,
// MergingWindowProcessFunction). Event time only. Sessions are per group key
// (the TVF's PARTITION BY, which Flink requires to equal the GROUP BY keys).
//
// A row at time t opens the window [t, t + gap). Windows of one key that
// intersect or touch (Flink's TimeWindow.intersects: a.start <= b.end and
// a.end >= b.start) merge into one session covering them, their accumulators
// merged; so a session extends while rows arrive within the gap, and a late
// enough row can bridge two sessions, or extend one backwards. window_start is
// the first row's time, window_end the last row's time + gap, window_time
// window_end - 1 ms.
//
// A session fires when the watermark reaches window_end - 1; results come out
// in ascending window_end, then window_start, then encoded key (Flink leaves the
// order of timers with one timestamp unspecified). A row whose own window has
// fired and that merges with no open session of its key is late: dropped and
// counted (stats().late_records_dropped), as Flink's isWindowLate drops it.
//
// Output row: group keys, aggregates, window_start, window_end, window_time.
#include <map>
#include <string>
#include <vector>

#include "operators/aggregate_set.hpp"
#include "operators/operator.hpp"
#include "operators/window_aggregate.hpp"

namespace ananas::ops {

class SessionWindowAggregateOperator final : public Operator {
 public:
  // `config.window` must be a WindowKind::Session (its size_ms is the gap).
  // Throws std::invalid_argument as WindowAggregateOperator does.
  explicit SessionWindowAggregateOperator(WindowAggregateConfig config);
  std::string_view kind() const override { return "session_window_aggregate"; }
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
  struct Slot {
    int64_t end;
    int64_t start;
    std::string key;  // encoded group key
    auto operator<=>(const Slot&) const = default;
  };
  struct Session {
    int64_t rows = 0;
    std::vector<AccumulatorPtr> accumulators;
    uint32_t key_group = 0;
  };
  bool fired(int64_t window_end) const { return watermark_ != kMinWatermark && window_end - 1 <= watermark_; }
  // Merges the open sessions of `key` that intersect [start, end) with that
  // window; returns the resulting session, or sessions_.end() when none
  // intersects (nothing changes then).
  std::map<Slot, Session>::iterator merge_into(const std::string& key, int64_t start, int64_t end);
  void insert(Slot slot, Session session);

  WindowAggregateConfig config_;
  AggregateSet aggregates_;
  Schema output_;
  int64_t gap_ = 0;
  int64_t watermark_ = kMinWatermark;
  std::map<Slot, Session> sessions_;                         // firing order: (end, start, key)
  std::map<std::string, std::map<int64_t, int64_t>> open_;  // per key: its sessions' start -> end
  OperatorStats stats_;
};

}  // namespace ananas::ops
