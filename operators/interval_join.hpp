#pragma once
// An interval join on event time (Flink docs, Queries > Joins > Interval
// Joins): an INNER equi-join of two insert-only inputs whose rows match only
// when their rowtimes are close, `left_time BETWEEN right_time + lower AND
// right_time + upper`. Because the bound limits how long a row can still find
// a partner, each side's rows are kept only until the watermark passes the
// last time a row of the other side could match them (Flink's
// TimeIntervalJoin with isRowTime):
//  - a row joins the other side's buffered rows with its key whose time is
//    within the bounds (and which the residual condition accepts), emitted as
//    +I in the other side's time order;
//  - it is buffered only if a later row of the other side (time above the
//    watermark) can still match it; a row too late for that is still joined
//    with what is buffered, as in Flink, but not kept;
//  - on a watermark, left rows with time - lower <= watermark and right rows
//    with time + upper <= watermark are dropped.
// Both sides' time attributes stay time attributes in the output (Flink keeps
// them: the output rows are ordered in time within the bounds). Rows with a
// NULL key or NULL time never match. Input 0 is the left side, input 1 the
// right; the output is the left columns then the right ones.
//
// Outer joins (LEFT, RIGHT, FULL) remember per buffered row whether it found
// a partner; an outer side's row that never did comes out padded with NULLs
// once the watermark drops it, or at once when it arrives too late to be kept
// (Flink's TimeIntervalJoin). The output stays insert-only. Because a pair or
// a padded row can come out after the watermark passed its times, the
// watermark forwarded downstream is held back by the larger of the two
// bounds' sizes (Flink's getMaxOutputDelay): the output is never late.
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "operators/join_sides.hpp"
#include "operators/operator.hpp"

namespace ananas::ops {

struct IntervalJoinConfig : JoinSides {        // type: inner, left, right or full
  size_t left_time = 0, right_time = 0;         // rowtime columns of each side
  int64_t lower_ms = 0, upper_ms = 0;           // left_time - right_time within [lower_ms, upper_ms]
};

class IntervalJoinOperator final : public Operator {
 public:
  // Throws std::invalid_argument for no keys, key lists of different
  // lengths, a column out of range, a time column that is not a timestamp,
  // lower_ms > upper_ms, or a semi/anti type.
  explicit IntervalJoinOperator(IntervalJoinConfig config);
  std::string_view kind() const override { return "interval_join"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override { process_input(0, input, out); }
  void process_input(size_t input, const BatchPtr& batch, std::vector<BatchPtr>& out) override;
  void on_watermark(int64_t watermark, std::vector<BatchPtr>& out) override;
  int64_t output_watermark(int64_t watermark) const override;
  OperatorStats stats() const override;

 protected:
  std::string state_description() const override;
  uint32_t state_version() const override { return 2; }  // 2: rows carry their matched flag
  void save_shared(StateWriter& w) const override;
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override;
  void restore_shared(StateReader& r, bool inherit_counters) override;
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  struct Stored {
    std::string row;       // encoded
    bool matched = false;  // paired at least once (outer sides: no padded row then)
  };
  // One side's buffered rows under one key, by rowtime (arrival order within a time).
  using Buffer = std::multimap<int64_t, Stored>;
  struct KeyState {
    Buffer sides[2];
    uint32_t key_group = 0;
  };
  // Whether a row of `side` at `time` can still be matched by a later row of the other side.
  bool still_matchable(size_t side, int64_t time) const;
  bool outer(size_t side) const;
  // Appends `row` of `side` padded with NULLs for the other side's columns.
  void append_padded(Batch& out, size_t side, const Value* row) const;

  IntervalJoinConfig config_;
  Schema output_;
  std::unordered_map<std::string, KeyState> keys_;  // by encoded join key
  int64_t watermark_ = kMinWatermark;
  OperatorStats stats_;
};

}  // namespace ananas::ops
