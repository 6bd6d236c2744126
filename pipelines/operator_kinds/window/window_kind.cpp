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
  // The time column, and the input columns (the first ones of the output)
  // needed downstream; window_start, window_end and window_time come from time.
  std::optional<std::vector<bool>> input_columns_needed(const OperatorBinding& b,
                                                        const std::vector<bool>& output_needed) const override {
    auto time = b.input.find(std::get<Window>(b.op.body).window.time_column);
    if (!time) return std::nullopt;  // bind() reports it
    std::vector<bool> needed(b.input.size(), false);
    needed[*time] = true;
    for (size_t i = 0; i < needed.size() && i < output_needed.size(); ++i)
      if (output_needed[i]) needed[i] = true;
    return needed;
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
