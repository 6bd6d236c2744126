#pragma once
// Non-windowed GROUP BY (Flink: GroupAggFunction without
// mini-batch): per key the accumulators and a count of contributing rows. For
// each input row (+I/+U accumulate, -U/-D retract) it emits
//   first row of a key            → +I(key, new)
//   result unchanged              → nothing
//   result changed                → -U(key, prev) if emit_update_before, then +U(key, new)
//   count back to 0               → -D(key, prev), and the key's state is freed.
// A retraction for a key with no state is ignored (as Flink does). Output row
// = group keys in GROUP BY order, then aggregates.
//
// State: one blob per group (operators/blob_table.hpp) keyed by the encoded
// group key, holding the count of rows and the accumulators packed
// (AggregateSet::pack); a row unpacks its group into one reused set of
// accumulators, updates them and packs them back. Snapshots keep the
// unpacked format (key, rows, each accumulator's save()).
//
// State TTL (Flink's table.exec.state.ttl, `state_ttl_ms` > 0): as Flink's
// StateConfigUtil.createTtlConfig (processing time, OnCreateAndWrite,
// NeverReturnExpired), a group whose state was last written `state_ttl_ms` or
// more ago (TtlUtils.expired: written + ttl <= now) is absent: the next
// accumulate starts it afresh with +I (no retraction of the old result), a
// retraction for it is ignored. Every accumulate and retraction writes the
// state. Processing time is the input batch's processing_time_ms() (when
// the source read it; a batch without one is read at processing_time_now_ms()). As in
// GroupAggFunction, an update that leaves the result unchanged still emits
// -U/+U when a TTL is set ("to prevent too early state eviction of
// downstream operators"). Expired groups are also freed without traffic, by a
// sweep on the processing-time timer at the oldest group's expiry (at most
// four sweeps per TTL, since each reads every group). Only with a
// TTL does a payload start with the 8-byte time of its last write, so groups
// without one stay as small as before.
#include <vector>

#include "operators/aggregate_set.hpp"
#include "operators/blob_table.hpp"
#include "operators/named_expr.hpp"
#include "operators/operator.hpp"
#include "operators/row_error.hpp"

namespace ananas::ops {

struct GroupAggregateConfig {
  Schema input;
  std::vector<NamedExpr> keys;
  std::vector<AggregateCall> aggregates;
  bool emit_update_before = true;  // the planner's decision (Flink: FlinkChangelogModeInferenceProgram)
  RowErrorHandler on_row_error;    // unset: a failing row throws RowFailure
  int64_t state_ttl_ms = 0;        // the pipeline's state_ttl; 0: state is kept forever
};

class GroupAggregateOperator final : public Operator {
 public:
  // Throws std::invalid_argument for an aggregate Flink would reject.
  explicit GroupAggregateOperator(GroupAggregateConfig config);
  ~GroupAggregateOperator() override { clear_state(); }
  std::string_view kind() const override { return "group_aggregate"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override;
  std::optional<int64_t> next_processing_timer() const override;
  void on_processing_time(int64_t now_ms, std::vector<BatchPtr>& out) override;

 protected:
  std::string state_description() const override;
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override;
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  bool ttl() const { return config_.state_ttl_ms > 0; }
  // The payload past the last-write time, if any: varint rows, accumulators.
  std::string_view counted(size_t slot) const;
  int64_t written_at(size_t slot) const;
  bool expired(size_t slot, int64_t now_ms) const;
  // Frees the group's accumulators and erases it.
  void drop(size_t slot);
  // Groups restored from a snapshot without write times count as written at
  // the first processing time seen after the restore.
  void stamp_restored(int64_t now_ms);
  // Frees every expired group and schedules the next sweep.
  void sweep(int64_t now_ms);

  GroupAggregateConfig config_;
  AggregateSet aggregates_;
  Schema output_;
  // Payload per group: varint count of contributing rows (0 means the key
  // disappears), then the packed accumulators.
  BlobTable groups_;
  AggregateSet::Working working_;
  std::string packed_;  // scratch for a group's new payload
  OperatorStats stats_;
  std::optional<int64_t> next_sweep_ms_;  // TTL only: when the oldest group expires
  bool has_unstamped_ = false;            // TTL only: restored groups without a write time
};

}  // namespace ananas::ops
