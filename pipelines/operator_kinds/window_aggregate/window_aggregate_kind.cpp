// window_aggregate: GROUP BY window_start, window_end over a window TVF;
// emits each window once, when the watermark passes its end.
#include "operators/window_aggregate.hpp"
#include "pipelines/operator_kinds/common/aggregates.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/common/windows.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/operator_kinds/window_aggregate/window_aggregate.hpp"

namespace ananas::pipeline {

namespace {

class WindowAggregateKind final : public OperatorKindOf<WindowAggregate> {
 public:
  std::string_view name() const override { return "window_aggregate"; }
  std::vector<std::string> yaml_keys() const override { return {"window", "keys", "aggregates"}; }
  bool emits_updates(bool /*input_updating*/) const override { return false; }
  std::optional<std::string> refuse_updating_input(std::string_view node, std::string_view producer) const override {
    return std::string(name()) + " '" + std::string(node) + "' needs an append-only input, but '" + std::string(producer) +
           "' produces updates";
  }

 protected:
  WindowAggregate load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    WindowAggregate w;
    w.window = yaml::read_window_spec(m.require("window"));
    yaml::read_keys_and_aggregates(m, w.keys, w.aggregates);
    return w;
  }

  void emit_model(yaml::Writer& w, int in, const WindowAggregate& a) const override {
    yaml::write_window(w, in, a.window);
    yaml::write_keys_and_aggregates(w, in, a.keys, a.aggregates);
  }

  BoundOperator bind_model(const OperatorBinding& b, const WindowAggregate& w) const override {
    ops::WindowAggregateConfig cfg;
    cfg.input = b.input;
    cfg.on_row_error = b.row_errors;
    cfg.time_column = time_column(b.input, w.window);
    cfg.window = window_spec(w.window);
    for (const auto& k : w.keys) cfg.keys.push_back(column_expr(b.input, k, b.op.location, "group key"));
    for (const auto& a : w.aggregates) cfg.aggregates.push_back(aggregate_call(a, b.input));
    BoundOperator bound;
    for (const auto& k : w.keys) bound.key_columns.push_back(*b.input.find(k));
    bound.make = [cfg] { return std::make_unique<ops::WindowAggregateOperator>(cfg); };
    return bound;
  }
};

}  // namespace

const OperatorKind& WindowAggregate::kind() {
  static const WindowAggregateKind kind;
  return kind;
}

}  // namespace ananas::pipeline
