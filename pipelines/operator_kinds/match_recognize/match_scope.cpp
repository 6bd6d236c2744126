#include "pipelines/operator_kinds/match_recognize/match_scope.hpp"

#include <algorithm>

#include "core/expr/binder.hpp"
#include "core/expr/builders.hpp"
#include "core/sql/expr_parser.hpp"
#include "operators/match_recognize/navigation.hpp"
#include "operators/match_recognize/pattern.hpp"

namespace ananas::pipeline {

namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// Resolves pattern-variable-qualified names. `inner` mode is used for the
// argument of a navigation function or aggregate: there a column reference
// means "this column of the row being navigated to", and the variable it was
// qualified with is recorded for the caller.
class MatchScope : public expr::Scope {
 public:
  MatchScope(const Schema& input, const ops::mr::Pattern& pattern) : input_(input), pattern_(pattern) {}

  expr::CompiledExprPtr resolve_column(std::span<const std::string> path, const SourceLocation& loc) const override {
    int var = ops::mr::kUniversal;
    std::span<const std::string> column = path;
    if (path.size() >= 2 && pattern_.index_of(path[0]) >= 0) {
      var = pattern_.index_of(path[0]);
      column = path.subspan(1);
    }
    if (column.size() != 1) return nullptr;
    auto index = input_.find(column[0]);
    if (!index) return nullptr;
    auto col = ops::mr::make_column(*index, strip_time(input_[*index].type));
    if (inner_) {
      note_variable(var, loc);
      return col;
    }
    // `V.col` = LAST(V.col, 0); an unqualified column is the row being evaluated.
    return var == ops::mr::kUniversal ? col : ops::mr::make_last(var, 0, col);
  }

  std::vector<std::string> column_names() const override {
    std::vector<std::string> names = input_.names();
    for (const auto& v : pattern_.variables)
      for (const auto& c : input_.names()) names.push_back(v.name + "." + c);
    return names;
  }

  expr::CompiledExprPtr bind_call(const sql::Call& call, const expr::Binder& binder) const override {
    std::string name = upper(call.name);
    if (name == "LAST" || name == "FIRST" || name == "PREV" || name == "NEXT") return navigation(call, name, binder);
    static const char* const aggs[] = {"COUNT", "SUM", "AVG", "MIN", "MAX", "LISTAGG"};
    if (std::find(std::begin(aggs), std::end(aggs), name) != std::end(aggs)) return aggregate(call, name, binder);
    return nullptr;
  }

 private:
  static Type strip_time(Type t) {
    t.time_attr = TimeAttr::None;
    return t;
  }

  void note_variable(int var, const SourceLocation& loc) const {
    if (!seen_var_) {
      seen_var_ = var;
      return;
    }
    if (*seen_var_ != var)
      throw InputError(loc, "an aggregate or navigation function may refer to one pattern variable only");
  }

  // Binds `arg` with column references meaning "the navigated row", returning the
  // expression and the variable it refers to.
  std::pair<expr::CompiledExprPtr, int> bind_inner(const sql::Expr& arg, const expr::Binder& binder) const {
    bool saved_inner = inner_;
    auto saved_var = seen_var_;
    inner_ = true;
    seen_var_.reset();
    expr::CompiledExprPtr e;
    try {
      e = binder.bind(arg, *this);
    } catch (...) {
      inner_ = saved_inner;
      seen_var_ = saved_var;
      throw;
    }
    int var = seen_var_.value_or(ops::mr::kUniversal);
    inner_ = saved_inner;
    seen_var_ = saved_var;
    return {e, var};
  }

  static size_t offset_arg(const sql::Call& call, size_t i) {
    if (call.args.size() <= i) return 0;
    const sql::Expr& a = *call.args[i];
    if (a.kind != sql::ExprKind::Literal || a.as<sql::Literal>().literal_kind != sql::LiteralKind::Integer)
      throw InputError(a.loc, call.name + ": the offset must be a non-negative integer literal");
    const std::string& t = a.as<sql::Literal>().text;
    if (t.size() > 9) throw InputError(a.loc, call.name + ": offset " + t + " is too large");
    return static_cast<size_t>(std::stoul(t));
  }

  expr::CompiledExprPtr navigation(const sql::Call& call, const std::string& name, const expr::Binder& binder) const {
    if (name == "NEXT") throw InputError(call.loc, "NEXT is not supported by Flink's MATCH_RECOGNIZE");
    if (call.args.empty() || call.args.size() > 2)
      throw InputError(call.loc, name + " takes a column and an optional offset: " + name + "(V.col [, n])");
    if (inner_) throw InputError(call.loc, name + " cannot be nested inside another navigation or aggregate");
    auto [inner, var] = bind_inner(*call.args[0], binder);
    size_t n = offset_arg(call, 1);
    if (name == "FIRST") return ops::mr::make_first(var, n, inner);
    if (name == "PREV") {
      // PREV(col, n) navigates physically; Flink rewrites it to LAST over the
      // list (Calcite: SqlValidatorImpl.NavigationReplacer) and rejects physical offsets within the variable being defined.
      if (var != ops::mr::kUniversal && var == defining_ && n != 0)
        throw InputError(call.loc, "Flink does not support physical offsets within partition.");
      return ops::mr::make_last(var, call.args.size() < 2 ? 1 : n, inner);
    }
    return ops::mr::make_last(var, n, inner);
  }

  expr::CompiledExprPtr aggregate(const sql::Call& call, const std::string& name, const expr::Binder& binder) const {
    if (call.distinct) throw InputError(call.loc, "DISTINCT aggregates are not supported in MATCH_RECOGNIZE");
    if (inner_) throw InputError(call.loc, "aggregates cannot be nested");
    using ops::mr::MatchAggregate;
    MatchAggregate kind = name == "COUNT" ? MatchAggregate::Count
                          : name == "SUM" ? MatchAggregate::Sum
                          : name == "AVG" ? MatchAggregate::Avg
                          : name == "MIN" ? MatchAggregate::Min
                          : name == "MAX" ? MatchAggregate::Max
                                          : MatchAggregate::ListAgg;
    if (call.star_arg || call.args.empty()) {
      if (kind != MatchAggregate::Count) throw InputError(call.loc, name + " needs an argument");
      return ops::mr::make_aggregate(kind, ops::mr::kUniversal, nullptr);
    }
    std::string separator = ",";
    if (kind == MatchAggregate::ListAgg && call.args.size() == 2) {
      const sql::Expr& s = *call.args[1];
      if (s.kind != sql::ExprKind::Literal || s.as<sql::Literal>().literal_kind != sql::LiteralKind::String)
        throw InputError(s.loc, "LISTAGG's separator must be a string literal");
      separator = s.as<sql::Literal>().text;
    } else if (call.args.size() != 1) {
      throw InputError(call.loc, name + " takes one argument");
    }
    auto [inner, var] = bind_inner(*call.args[0], binder);
    try {
      return ops::mr::make_aggregate(kind, var, inner, separator);
    } catch (const std::invalid_argument& e) {
      throw InputError(call.loc, e.what());
    }
  }

 public:
  int defining_ = ops::mr::kUniversal;

 private:
  const Schema& input_;
  const ops::mr::Pattern& pattern_;
  mutable bool inner_ = false;
  mutable std::optional<int> seen_var_;
};

}  // namespace

void bind_match_expressions(const MatchRecognize& m, ops::MatchRecognizeConfig& cfg) {
  ops::mr::Pattern pattern = ops::mr::parse_pattern(m.pattern.text, m.pattern.location);
  for (const auto& d : m.define) {
    MatchScope scope(cfg.input, pattern);
    scope.defining_ = pattern.index_of(d.name);
    auto ast = sql::parse_expression(d.expr.text, d.expr.location.file, d.expr.location);
    cfg.defines.push_back({d.name, expr::bind(*ast, scope), d.location.line ? d.location : d.expr.location});
  }
  for (const auto& me : m.measures) {
    MatchScope scope(cfg.input, pattern);
    auto ast = sql::parse_expression(me.expr.text, me.expr.location.file, me.expr.location);
    cfg.measures.push_back({me.name, expr::bind(*ast, scope), me.location.line ? me.location : me.expr.location});
  }
}

}  // namespace ananas::pipeline
