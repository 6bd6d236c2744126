// group_aggregate: GROUP BY without a window; emits a changelog (+I, -U, +U).
#include "operators/group_aggregate.hpp"
#include "pipelines/graph/table_connectors.hpp"
#include "pipelines/operator_kinds/common/aggregates.hpp"
#include "pipelines/operator_kinds/group_aggregate/group_aggregate.hpp"
#include "pipelines/operator_kinds/registry.hpp"

namespace ananas::pipeline {

namespace {

// Group aggregates emit -U rows only when something downstream needs them
// (as Flink's FlinkChangelogModeInferenceProgram decides): an operator whose
// kind needs them, or an upsert sink keyed differently from the group key; an
// operator that does not need them passes the question on to its consumers.
bool consumers_need_update_before(const Pipeline& p, const std::string& node, size_t key_count) {
  for (const auto& op : p.operators) {
    if (op.input != node) continue;
    if (kind_of(op).needs_update_before(op.body)) return true;
    if (consumers_need_update_before(p, op.name, key_count)) return true;
  }
  for (const auto& s : p.sinks) {
    if (s.input != node) continue;
    if (!sink_writes_upserts(s.connector) || s.primary_key.size() != key_count) return true;
  }
  return false;
}

class GroupAggregateKind final : public OperatorKindOf<GroupAggregate> {
 public:
  std::string_view name() const override { return "group_aggregate"; }
  std::vector<std::string> yaml_keys() const override { return {"keys", "aggregates"}; }
  bool emits_updates(bool /*input_updating*/) const override { return true; }
  bool keyed_state() const override { return true; }

 protected:
  GroupAggregate load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    GroupAggregate g;
    yaml::read_keys_and_aggregates(m, g.keys, g.aggregates);
    if (g.keys.empty() && g.aggregates.empty()) m.fail("a group_aggregate needs 'keys', 'aggregates' or both");
    return g;
  }

  void emit_model(yaml::Writer& w, int in, const GroupAggregate& g) const override {
    yaml::write_keys_and_aggregates(w, in, g.keys, g.aggregates);
  }

  BoundOperator bind_model(const OperatorBinding& b, const GroupAggregate& g) const override {
    ops::GroupAggregateConfig cfg;
    cfg.input = b.input;
    cfg.on_row_error = b.row_errors;
    BoundOperator bound;
    bind_grouping(b.input, g.keys, g.aggregates, b.op.location, cfg.keys, cfg.aggregates, bound.key_columns);
    cfg.emit_update_before = consumers_need_update_before(b.pipeline, b.op.name, g.keys.size());
    bound.make = [cfg] { return std::make_unique<ops::GroupAggregateOperator>(cfg); };
    return bound;
  }
};

}  // namespace

const OperatorKind& GroupAggregate::kind() {
  static const GroupAggregateKind kind;
  return kind;
}

}  // namespace ananas::pipeline
