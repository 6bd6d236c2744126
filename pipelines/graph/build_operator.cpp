#include "pipelines/graph/build_operator.hpp"

#include "core/key_group.hpp"

#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/registry.hpp"

namespace ananas::pipeline {

BuiltOperator build_operator(const Pipeline& p, const Operator& op, const Schema& input, bool input_updating,
                             const RowErrorSink& on_row_error, std::vector<Schema> more_inputs) {
  const OperatorKind& kind = kind_of(op);
  BuiltOperator bo;
  bo.spec = &op;
  bo.name = op.name;
  bo.input = op.input;
  bo.inputs = op.inputs();
  bo.parallelism = op.parallelism.value_or(p.parallelism);
  if (input_updating)
    if (auto refusal = kind.refuse_updating_input(op.name, op.input)) throw InputError(op.location, *refusal);
  ops::RowErrorHandler row_errors;
  if (on_row_error)
    row_errors = [on_row_error, name = op.name](const ops::RowError& e) { on_row_error(name, e); };
  BoundOperator bound = kind.bind(OperatorBinding{p, op, input, row_errors, std::move(more_inputs)});
  bo.updating = kind.emits_updates_for(op.body, input_updating);
  // Building one instance validates the configuration and yields the output schema.
  try {
    bo.output = bound.make()->output_schema();
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    throw InputError(op.location, std::string(kind.name()) + " '" + op.name + "': " + e.what());
  }
  bo.key_columns = std::move(bound.key_columns);
  if (!op.key.empty()) {
    bo.key_columns.clear();
    for (const auto& k : op.key) bo.key_columns.push_back(column_index(input, k, op.location, "key column"));
  }
  if (bo.parallelism > 1 && bo.key_columns.empty() && kind.keyed_state())
    throw InputError(op.location, "operator '" + op.name + "' with parallelism > 1 needs a 'key' to partition by");
  // Rows partitioned by key are routed by key group and an instance owns at
  // least one, so more instances than key groups could never all work (Flink
  // refuses the same: KeyGroupRangeAssignment.checkParallelismPreconditions).
  if ((kind.keyed_state() || !bo.key_columns.empty()) && bo.parallelism > static_cast<int>(kDefaultKeyGroups))
    throw InputError(op.location, "operator '" + op.name + "': the maximum parallelism (" +
                                      std::to_string(kDefaultKeyGroups) + ", its number of key groups) must be " +
                                      "greater than or equal to the parallelism (" + std::to_string(bo.parallelism) + ")");
  bo.make = std::move(bound.make);
  bo.two_phase = std::move(bound.two_phase);
  return bo;
}

}  // namespace ananas::pipeline
