#pragma once
// The aggregate calls of one GROUP BY, evaluated together. Evaluation of a row
// (arguments and FILTER conditions) is separated from applying it, so a row
// whose expressions fail leaves no half-updated accumulators behind.
#include <string>
#include <string_view>
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
  // Adds `other`'s state into `accs` (both of these calls): merging session windows.
  void merge(std::vector<AccumulatorPtr>& accs, const std::vector<AccumulatorPtr>& other) const;
  // Writes size() results to `out`.
  void results(const std::vector<AccumulatorPtr>& accs, Arena& arena, Value* out) const;

  // Accumulators held packed in one byte string per group (Accumulator::pack),
  // for state with millions of groups. Calls whose accumulator packs cheaply
  // are packed by value; the others (maps of values: MIN/MAX, DISTINCT) stay
  // on the heap and are packed as their pointer, owned by the packed bytes
  // until free_packed.
  struct Working {
    std::vector<AccumulatorPtr> scratch;  // per call packed by value: the accumulator a group is unpacked into
    std::vector<Accumulator*> accs;       // per call: the scratch one or the group's heap one
  };
  Working working() const;
  // Fresh accumulators (new heap ones for the calls kept on the heap).
  void start(Working& w) const;
  void unpack(std::string_view& in, Working& w) const;
  void pack(const Working& w, std::string& out) const;
  // Deletes the heap accumulators of packed state that is being dropped.
  void free_packed(std::string_view in) const;
  bool has_heap_calls() const { return heap_calls_; }
  void apply(Working& w, const RowInputs& in, bool accumulate) const;
  void results(const Working& w, Arena& arena, Value* out) const;
  void save(const Working& w, StateWriter& out) const;
  // Loads saved accumulators (the format of save) straight into packed bytes.
  void load_packed(StateReader& r, std::string& out) const;
  size_t approx_heap_bytes(std::string_view packed) const;

 private:
  std::vector<AggregateCall> calls_;
  std::vector<Type> result_types_;
  std::vector<size_t> arg_offsets_;  // where each call's arguments start in RowInputs::args
  size_t total_args_ = 0;
  std::vector<char> on_heap_;  // per call: kept on the heap in packed state
  bool heap_calls_ = false;
  std::string fresh_;          // the packed state of fresh accumulators, heap pointers left null
};

}  // namespace ananas::ops
