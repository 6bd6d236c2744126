#pragma once
// The aggregate calls of one GROUP BY, evaluated together. Evaluation of a row
// (arguments and FILTER conditions) is separated from applying it, so a row
// whose expressions fail leaves no half-updated accumulators behind.
#include <vector>

#include "core/schema.hpp"
#include "operators/aggregates.hpp"

namespace ananas::ops {

class AggregateSet {
 public:
  // Validates every call (std::invalid_argument naming the call if Flink would reject it).
  explicit AggregateSet(std::vector<AggregateCall> calls);

  // A row's evaluated inputs: the flattened arguments of all calls, and per
  // call whether its FILTER admits the row.
  struct RowInputs {
    std::vector<Value> args;
    std::vector<char> admitted;
  };

  size_t size() const { return calls_.size(); }
  // How many argument values a row's RowInputs::args holds.
  size_t total_args() const { return total_args_; }
  const std::vector<Type>& result_types() const { return result_types_; }
  std::vector<Column> result_columns() const;

  // Throws expr::EvalError if an argument or filter fails on this row.
  void evaluate(const Value* row, expr::EvalContext& ctx, RowInputs& out) const;
  std::vector<AccumulatorPtr> create() const;
  // State of one group's accumulators, for snapshots and the state-size metric.
  void save(const std::vector<AccumulatorPtr>& accs, StateWriter& w) const;
  std::vector<AccumulatorPtr> load(StateReader& r) const;
  size_t approx_bytes(const std::vector<AccumulatorPtr>& accs) const;
  // What shapes saved accumulators (kinds, DISTINCT, argument types): part of
  // a snapshot's layout fingerprint.
  std::string layout() const;
  void apply(std::vector<AccumulatorPtr>& accs, const RowInputs& in, bool accumulate) const;
  // Writes size() results to `out`.
  void results(const std::vector<AccumulatorPtr>& accs, Arena& arena, Value* out) const;

 private:
  std::vector<AggregateCall> calls_;
  std::vector<Type> result_types_;
  std::vector<size_t> arg_offsets_;  // where each call's arguments start in RowInputs::args
  size_t total_args_ = 0;
};

}  // namespace ananas::ops
