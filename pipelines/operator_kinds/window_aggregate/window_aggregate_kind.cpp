// window_aggregate: GROUP BY window_start, window_end over a window TVF;
// emits each window once, when the watermark passes its end (`time:
// processing`: when the operator's clock does). A session
// window's sessions are per key (the keys are the TVF's PARTITION BY).
#include "operators/session_window_aggregate.hpp"
#include "operators/window_aggregate.hpp"
#include "pipelines/operator_kinds/common/aggregates.hpp"
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
    return append_only_refusal(name(), node, producer);
  }

 protected:
  WindowAggregate load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    WindowAggregate w;
    w.window = yaml::read_window_spec(m.require("window"), /*aggregating=*/true);
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
    cfg.processing_time = w.window.processing_time;
    BoundOperator bound;
    bind_grouping(b.input, w.keys, w.aggregates, b.op.location, cfg.keys, cfg.aggregates, bound.key_columns);
    if (cfg.window.kind == ops::WindowKind::Session)
      bound.make = [cfg]() -> std::unique_ptr<ops::Operator> { return std::make_unique<ops::SessionWindowAggregateOperator>(cfg); };
    else
      bound.make = [cfg]() -> std::unique_ptr<ops::Operator> { return std::make_unique<ops::WindowAggregateOperator>(cfg); };
    // Every aggregate merges, so a rowtime TUMBLE/HOP/CUMULATE window splits
    // (Flink: TwoStageOptimizedWindowAggregateRule).
    if (cfg.window.kind != ops::WindowKind::Session && !cfg.processing_time) {
      ops::WindowAggregateConfig global = cfg;
      global.partial_column = cfg.input.size();
      global.input.columns.push_back({"partial", Type::bytes()});
      bound.two_phase = TwoPhaseBinding{
          [cfg] { return std::make_unique<ops::WindowPartialCombiner>(cfg); },
          [global]() -> std::unique_ptr<ops::Operator> { return std::make_unique<ops::WindowAggregateOperator>(global); }};
    }
    return bound;
  }

  std::optional<std::vector<size_t>> columns_read_model(const OperatorBinding& b,
                                                        const WindowAggregate& w) const override {
    return grouping_columns_read(b.input, w.keys, w.aggregates, {w.window.time_column});
  }
};

}  // namespace

const OperatorKind& WindowAggregate::kind() {
  static const WindowAggregateKind kind;
  return kind;
}

}  // namespace ananas::pipeline
