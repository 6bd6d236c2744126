// unnest: one output row per element of an array column (CROSS JOIN UNNEST).
#include "operators/unnest.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/common/expr_columns_needed.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/operator_kinds/unnest/unnest.hpp"
#include "pipelines/yaml/node_reader.hpp"
#include "pipelines/yaml/yaml_writer.hpp"

namespace ananas::pipeline {

namespace {

class UnnestKind final : public OperatorKindOf<Unnest> {
 public:
  std::string_view name() const override { return "unnest"; }
  std::vector<std::string> yaml_keys() const override { return {"array", "columns", "with_ordinality", "left_outer"}; }
  bool emits_updates(bool input_updating) const override { return input_updating; }
  bool stateless() const override { return true; }
  // The array's columns, and the input columns (the first ones of the output)
  // that are needed downstream; the element columns come from the array.
  std::optional<std::vector<bool>> input_columns_needed(const OperatorBinding& b,
                                                        const std::vector<bool>& output_needed) const override {
    std::vector<bool> needed(b.input.size(), false);
    if (!mark_columns_read(b.input, std::get<Unnest>(b.op.body).array, needed)) return std::nullopt;
    for (size_t i = 0; i < needed.size() && i < output_needed.size(); ++i)
      if (output_needed[i]) needed[i] = true;
    return needed;
  }

 protected:
  Unnest load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    Unnest u;
    u.array = m.require("array").as_expr();
    const yaml::NodeReader columns = m.require("columns");
    u.columns = columns.as_identifier_list();
    if (u.columns.empty()) columns.fail("needs at least one column name");
    if (auto ordinality = m.optional("with_ordinality")) u.with_ordinality = ordinality->as_bool();
    if (auto outer = m.optional("left_outer")) u.left_outer = outer->as_bool();
    if (u.with_ordinality && u.columns.size() < 2)
      columns.fail("with_ordinality needs the element column(s) and, last, the ordinality column");
    return u;
  }

  void emit_model(yaml::Writer& w, int in, const Unnest& u) const override {
    w.scalar(in, "array", u.array.text);
    w.raw(in, "columns", yaml::flow_list(u.columns));
    if (u.with_ordinality) w.raw(in, "with_ordinality", "true");
    if (u.left_outer) w.raw(in, "left_outer", "true");
  }

  BoundOperator bind_model(const OperatorBinding& b, const Unnest& u) const override {
    ops::UnnestConfig cfg{b.input, compile(u.array, b.input), u.columns, u.with_ordinality, b.row_errors, u.left_outer};
    return {[cfg] { return std::make_unique<ops::UnnestOperator>(cfg); }, {}};
  }
};

}  // namespace

const OperatorKind& Unnest::kind() {
  static const UnnestKind kind;
  return kind;
}

}  // namespace ananas::pipeline
