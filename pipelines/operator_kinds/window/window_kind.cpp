// window: a window TVF without aggregation; adds window_start, window_end and
// window_time to each row (one row per window it falls in).
#include "operators/window_assign.hpp"
#include "pipelines/operator_kinds/common/windows.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/operator_kinds/window/window.hpp"

namespace ananas::pipeline {

namespace {

class WindowKindDefinition final : public OperatorKindOf<Window> {
 public:
  std::string_view name() const override { return "window"; }
  std::vector<std::string> yaml_keys() const override { return {"window"}; }
  bool emits_updates(bool /*input_updating*/) const override { return false; }
  std::optional<std::string> refuse_updating_input(std::string_view node, std::string_view producer) const override {
    return append_only_refusal(name(), node, producer);
  }

 protected:
  Window load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    return Window{yaml::read_window_spec(m.require("window"), /*aggregating=*/false)};
  }

  void emit_model(yaml::Writer& w, int in, const Window& body) const override { yaml::write_window(w, in, body.window); }

  BoundOperator bind_model(const OperatorBinding& b, const Window& w) const override {
    ops::WindowAssignConfig cfg{b.input, time_column(b.input, w.window), window_spec(w.window), b.row_errors};
    return {[cfg] { return std::make_unique<ops::WindowAssignOperator>(cfg); }, {}};
  }
};

}  // namespace

const OperatorKind& Window::kind() {
  static const WindowKindDefinition kind;
  return kind;
}

}  // namespace ananas::pipeline
