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

 protected:
  std::string state_description() const override;
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override;
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  GroupAggregateConfig config_;
  AggregateSet aggregates_;
  Schema output_;
  // Payload per group: varint count of contributing rows (0 means the key
  // disappears), then the packed accumulators.
  BlobTable groups_;
  AggregateSet::Working working_;
  std::string packed_;  // scratch for a group's new payload
  OperatorStats stats_;
};

}  // namespace ananas::ops
