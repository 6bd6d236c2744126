// calc: a filter (WHERE), a projection (SELECT list), or both in one pass.
#include <set>

#include "operators/calc.hpp"
#include "pipelines/operator_kinds/calc/calc.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/common/expr_columns_needed.hpp"
#include "pipelines/operator_kinds/common/yaml_parts.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"

namespace ananas::pipeline {

namespace {

class CalcKind final : public OperatorKindOf<Calc> {
 public:
  std::string_view name() const override { return "calc"; }
  std::vector<std::string> yaml_keys() const override { return {"where", "select"}; }
  bool emits_updates(bool input_updating) const override { return input_updating; }
  bool stateless() const override { return true; }
  // A projection maps -U and +U alike; a filter must see the row it retracts
  // (HAVING), as Flink's Calc with a condition requires UPDATE_BEFORE.
  bool needs_update_before(const OperatorBody& body) const override { return std::get<Calc>(body).where.has_value(); }
  // The condition's columns and every select item's, needed or not: each
  // item is evaluated for every row and a failing one (a CAST) fails the row,
  // so its inputs must be what they are. Without a select list the needed
  // output columns are the input columns of the same index.
  std::optional<std::vector<bool>> input_columns_needed(const OperatorBinding& b,
                                                        const std::vector<bool>& output_needed) const override {
    const Calc& c = std::get<Calc>(b.op.body);
    std::vector<bool> needed(b.input.size(), false);
    if (c.where && !mark_columns_read(b.input, *c.where, needed)) return std::nullopt;
    if (!c.select) {
      for (size_t i = 0; i < needed.size() && i < output_needed.size(); ++i)
        if (output_needed[i]) needed[i] = true;
      return needed;
    }
    for (const auto& item : *c.select)
      if (!mark_columns_read(b.input, item.expr, needed)) return std::nullopt;
    return needed;
  }

 protected:
  Calc load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    Calc c;
    if (auto where = m.optional("where")) c.where = where->as_expr();
    if (auto select = m.optional("select")) {
      c.select = yaml::read_named_exprs(*select);
      if (c.select->empty()) select->fail("needs at least one item (leave 'select' out to keep all columns)");
    }
    if (!c.where && !c.select) m.fail("a calc needs 'where', 'select' or both");
    return c;
  }

  void emit_model(yaml::Writer& w, int in, const Calc& c) const override {
    if (c.where) w.scalar(in, "where", c.where->text);
    if (c.select) yaml::write_named_exprs(w, in, "select", *c.select);
  }

  BoundOperator bind_model(const OperatorBinding& b, const Calc& c) const override {
    ops::CalcConfig cfg;
    cfg.input = b.input;
    cfg.on_row_error = b.row_errors;
    if (c.where) {
      cfg.filter = compile(*c.where, b.input);
      if (cfg.filter->type().id != TypeId::Boolean)
        throw InputError(c.where->location, "'where' must be a boolean condition, but is " + cfg.filter->type().to_string());
    }
    if (c.select) {
      cfg.projection.emplace();
      std::set<std::string> names;
      for (const auto& item : *c.select) {
        if (!names.insert(item.name).second) throw InputError(item.location, "select names column '" + item.name + "' twice");
        cfg.projection->push_back({item.name, compile(item.expr, b.input)});
      }
    }
    return {[cfg] { return std::make_unique<ops::CalcOperator>(cfg); }, {}};
  }
};

}  // namespace

const OperatorKind& Calc::kind() {
  static const CalcKind kind;
  return kind;
}

}  // namespace ananas::pipeline
