// group_aggregate: GROUP BY without a window; emits a changelog (+I, -U, +U).
#include "operators/group_aggregate.hpp"
#include "pipelines/operator_kinds/common/aggregates.hpp"
#include "pipelines/operator_kinds/common/update_before.hpp"
#include "pipelines/operator_kinds/group_aggregate/group_aggregate.hpp"
#include "pipelines/operator_kinds/registry.hpp"
#include "pipelines/state_ttl.hpp"

namespace ananas::pipeline {

namespace {

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
    cfg.state_ttl_ms = state_ttl_ms(b.pipeline);
    BoundOperator bound;
    bind_grouping(b.input, g.keys, g.aggregates, b.op.location, cfg.keys, cfg.aggregates, bound.key_columns);
    cfg.emit_update_before = consumers_need_update_before(b.pipeline, b.op.name, g.keys.size());
    bound.make = [cfg] { return std::make_unique<ops::GroupAggregateOperator>(cfg); };
    return bound;
  }

  std::optional<std::vector<size_t>> columns_read_model(const OperatorBinding& b,
                                                        const GroupAggregate& g) const override {
    return grouping_columns_read(b.input, g.keys, g.aggregates);
  }
};

}  // namespace

const OperatorKind& GroupAggregate::kind() {
  static const GroupAggregateKind kind;
  return kind;
}

}  // namespace ananas::pipeline
