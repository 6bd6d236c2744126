#include "core/expr/binder.hpp"

#include <cctype>

#include "core/expr/bind_literal.hpp"
#include "core/expr/builders.hpp"
#include "core/sql/expr_parser.hpp"

namespace ananas::expr {

namespace {

[[noreturn]] void fail(const SourceLocation& loc, std::string message) { throw InputError(loc, std::move(message)); }

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string joined(std::span<const std::string> parts) {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? "." : "") + parts[i];
  return s;
}

std::optional<TimeUnitArg> time_unit(const std::string& name) {
  static const std::pair<const char*, TimeUnitArg> kUnits[] = {
      {"YEAR", TimeUnitArg::Year},         {"QUARTER", TimeUnitArg::Quarter},
      {"MONTH", TimeUnitArg::Month},       {"WEEK", TimeUnitArg::Week},
      {"DAY", TimeUnitArg::Day},           {"HOUR", TimeUnitArg::Hour},
      {"MINUTE", TimeUnitArg::Minute},     {"SECOND", TimeUnitArg::Second},
      {"MILLISECOND", TimeUnitArg::Millisecond}, {"MICROSECOND", TimeUnitArg::Microsecond},
      {"NANOSECOND", TimeUnitArg::Nanosecond}, {"SQL_TSI_YEAR", TimeUnitArg::Year},
      {"SQL_TSI_MONTH", TimeUnitArg::Month}, {"SQL_TSI_DAY", TimeUnitArg::Day},
      {"SQL_TSI_HOUR", TimeUnitArg::Hour}, {"SQL_TSI_MINUTE", TimeUnitArg::Minute},
      {"SQL_TSI_SECOND", TimeUnitArg::Second}};
  for (const auto& [n, u] : kUnits)
    if (name == n) return u;
  // Plural spellings (SECONDS) are accepted as Flink does.
  if (name.size() > 1 && name.back() == 'S')
    for (const auto& [n, u] : kUnits)
      if (name.compare(0, name.size() - 1, n) == 0 && name.size() - 1 == std::string_view(n).size()) return u;
  return std::nullopt;
}

const sql::Symbol* symbol_arg(const sql::Call& call, size_t i) {
  if (i >= call.args.size() || call.args[i]->kind != sql::ExprKind::Symbol) return nullptr;
  return &call.args[i]->as<sql::Symbol>();
}

TimeUnitArg unit_arg(const sql::Call& call, size_t i) {
  const sql::Symbol* s = symbol_arg(call, i);
  if (!s) fail(call.loc, upper(call.name) + " expects a time unit as argument " + std::to_string(i + 1));
  auto u = time_unit(s->name);
  if (!u) fail(s->loc, "unknown time unit " + s->name);
  return *u;
}

CompiledExprPtr bind_identifier(const sql::Identifier& id, const Scope& scope) {
  std::span<const std::string> path(id.parts);
  // The longest prefix that names a column; the rest are ROW fields.
  for (size_t k = path.size(); k >= 1; --k) {
    CompiledExprPtr base = scope.resolve_column(path.first(k), id.loc);
    if (!base) continue;
    for (size_t f = k; f < path.size(); ++f)
      base = field_access(base, path[f], f < id.part_locs.size() ? id.part_locs[f] : id.loc);
    return base;
  }
  std::vector<std::string> names = scope.column_names();
  std::string written = joined(path);
  std::string hint = closest_match(written, names);
  if (hint.empty() && path.size() > 1) hint = closest_match(path.back(), names);
  fail(id.loc, "unknown column '" + written + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

ArithOp arith_op(sql::BinaryOp op) {
  switch (op) {
    case sql::BinaryOp::Add: return ArithOp::Add;
    case sql::BinaryOp::Subtract: return ArithOp::Subtract;
    case sql::BinaryOp::Multiply: return ArithOp::Multiply;
    case sql::BinaryOp::Divide: return ArithOp::Divide;
    default: return ArithOp::Modulo;
  }
}

CompareOp compare_op(sql::BinaryOp op) {
  switch (op) {
    case sql::BinaryOp::Equal: return CompareOp::Equal;
    case sql::BinaryOp::NotEqual: return CompareOp::NotEqual;
    case sql::BinaryOp::Less: return CompareOp::Less;
    case sql::BinaryOp::LessEqual: return CompareOp::LessEqual;
    case sql::BinaryOp::Greater: return CompareOp::Greater;
    case sql::BinaryOp::GreaterEqual: return CompareOp::GreaterEqual;
    case sql::BinaryOp::IsDistinctFrom: return CompareOp::IsDistinctFrom;
    default: return CompareOp::IsNotDistinctFrom;
  }
}

IsTest is_test_of(const sql::IsTest& t) {
  switch (t.test) {
    case sql::IsTestKind::Null: return t.negated ? IsTest::NotNull : IsTest::Null;
    case sql::IsTestKind::True: return t.negated ? IsTest::NotTrue : IsTest::True;
    case sql::IsTestKind::False: return t.negated ? IsTest::NotFalse : IsTest::False;
    case sql::IsTestKind::Unknown: return t.negated ? IsTest::NotUnknown : IsTest::Unknown;
  }
  return IsTest::Null;
}

}  // namespace

CompiledExprPtr Binder::bind(const sql::Expr& ast, const Scope& scope) const {
  auto sub = [&](const sql::ExprPtr& e) { return bind(*e, scope); };
  switch (ast.kind) {
    case sql::ExprKind::Literal: return bind_literal(ast.as<sql::Literal>());
    case sql::ExprKind::Identifier: return bind_identifier(ast.as<sql::Identifier>(), scope);
    case sql::ExprKind::Star: fail(ast.loc, "'*' is not allowed here");
    case sql::ExprKind::Unary: {
      const auto& u = ast.as<sql::Unary>();
      if (u.op == sql::UnaryOp::Not) return logical_not(sub(u.operand), ast.loc);
      if (u.op == sql::UnaryOp::Negate && u.operand->kind == sql::ExprKind::Literal) {
        const auto& l = u.operand->as<sql::Literal>();
        if (l.literal_kind == sql::LiteralKind::Integer || l.literal_kind == sql::LiteralKind::Decimal ||
            l.literal_kind == sql::LiteralKind::Approximate)
          return bind_literal(l, true);
      }
      CompiledExprPtr operand = sub(u.operand);
      if (u.op == sql::UnaryOp::Negate) return negate(operand, ast.loc);
      if (!operand->type().is_numeric() && !operand->type().is_interval() && operand->type().id != TypeId::Null)
        fail(ast.loc, "cannot apply unary '+' to " + type_family_name(operand->type()));
      return operand;
    }
    case sql::ExprKind::Binary: {
      const auto& b = ast.as<sql::Binary>();
      const SourceLocation& loc = b.op_loc.line ? b.op_loc : b.loc;
      CompiledExprPtr l = sub(b.left), r = sub(b.right);
      switch (b.op) {
        case sql::BinaryOp::Add:
        case sql::BinaryOp::Subtract:
        case sql::BinaryOp::Multiply:
        case sql::BinaryOp::Divide:
        case sql::BinaryOp::Modulo: return arithmetic(arith_op(b.op), l, r, loc);
        case sql::BinaryOp::Concat: return concat(l, r, loc);
        case sql::BinaryOp::And: return logical_and(l, r, loc);
        case sql::BinaryOp::Or: return logical_or(l, r, loc);
        default: return compare(compare_op(b.op), l, r, loc);
      }
    }
    case sql::ExprKind::IsTest: {
      const auto& t = ast.as<sql::IsTest>();
      return is_test(is_test_of(t), sub(t.operand), ast.loc);
    }
    case sql::ExprKind::Subquery:
      throw InputError(ast.loc, "subqueries are not supported here (Ananas translates [NOT] EXISTS and [NOT] IN subqueries only "
                                "as window SEMI / ANTI joins in a WHERE)");
    case sql::ExprKind::InList: {
      const auto& in = ast.as<sql::InList>();
      std::vector<CompiledExprPtr> list;
      for (const auto& e : in.list) list.push_back(sub(e));
      return in_list(sub(in.operand), std::move(list), in.negated, ast.loc);
    }
    case sql::ExprKind::Between: {
      const auto& b = ast.as<sql::Between>();
      return between(sub(b.operand), sub(b.low), sub(b.high), b.negated, b.symmetric, ast.loc);
    }
    case sql::ExprKind::Like: {
      const auto& l = ast.as<sql::Like>();
      if (l.similar) fail(ast.loc, "SIMILAR TO is not supported (use REGEXP)");
      return like(sub(l.operand), sub(l.pattern), l.escape ? sub(l.escape) : nullptr, l.negated, ast.loc);
    }
    case sql::ExprKind::Case: {
      const auto& c = ast.as<sql::Case>();
      CompiledExprPtr operand = c.operand ? sub(c.operand) : nullptr;
      std::vector<WhenThen> branches;
      for (const auto& w : c.whens) {
        CompiledExprPtr when = sub(w.when);
        if (operand) when = compare(CompareOp::Equal, operand, when, w.when->loc);
        branches.push_back({when, sub(w.then)});
      }
      return case_when(std::move(branches), c.else_result ? sub(c.else_result) : nullptr, ast.loc);
    }
    case sql::ExprKind::Cast: {
      const auto& c = ast.as<sql::Cast>();
      return cast(sub(c.operand), c.target, c.try_cast, c.type_loc.line ? c.type_loc : ast.loc);
    }
    case sql::ExprKind::Call: {
      const auto& call = ast.as<sql::Call>();
      if (CompiledExprPtr taken = scope.bind_call(call, *this)) return taken;
      return bind_scalar_call(call, scope);
    }
    case sql::ExprKind::ArrayCtor: {
      std::vector<CompiledExprPtr> items;
      for (const auto& e : ast.as<sql::ArrayCtor>().elements) items.push_back(sub(e));
      return array_constructor(std::move(items), ast.loc);
    }
    case sql::ExprKind::RowCtor: {
      std::vector<CompiledExprPtr> items;
      for (const auto& e : ast.as<sql::RowCtor>().elements) items.push_back(sub(e));
      return row_constructor(std::move(items), {}, ast.loc);
    }
    case sql::ExprKind::MapCtor: {
      std::vector<CompiledExprPtr> items;
      for (const auto& e : ast.as<sql::MapCtor>().elements) items.push_back(sub(e));
      return map_constructor(std::move(items), ast.loc);
    }
    case sql::ExprKind::Subscript: {
      const auto& s = ast.as<sql::Subscript>();
      return subscript(sub(s.base), sub(s.index), ast.loc);
    }
    case sql::ExprKind::FieldAccess: {
      const auto& f = ast.as<sql::FieldAccess>();
      return field_access(sub(f.base), f.field, f.field_loc.line ? f.field_loc : ast.loc);
    }
    case sql::ExprKind::Symbol: fail(ast.loc, "unexpected keyword " + ast.as<sql::Symbol>().name);
  }
  fail(ast.loc, "unsupported expression");
}

CompiledExprPtr Binder::bind_scalar_call(const sql::Call& call, const Scope& scope) const {
  std::string name = upper(call.name);
  if (!call.qualifier.empty()) fail(call.loc, "unknown function " + joined(call.qualifier) + "." + call.name);
  if (is_aggregate_function(name)) fail(call.loc, "aggregate function " + name + " is not allowed here");
  static const char* const kPatternOnly[] = {"FIRST", "LAST", "PREV", "NEXT", "CLASSIFIER", "MATCH_NUMBER",
                                             "MATCH_ROWTIME", "MATCH_PROCTIME"};
  for (const char* p : kPatternOnly)
    if (name == p) fail(call.loc, name + " is only allowed in MATCH_RECOGNIZE MEASURES and DEFINE");
  if (call.star_arg) fail(call.loc, name + "(*) is only allowed for COUNT");
  if (call.distinct) fail(call.loc, "DISTINCT is only allowed in aggregate functions");
  if (call.filter) fail(call.loc, "FILTER is only allowed for aggregate functions");
  if (call.semantics != sql::NavSemantics::Default)
    fail(call.loc, "RUNNING/FINAL are only allowed in MATCH_RECOGNIZE MEASURES");

  // Every argument except keyword symbols, which the special forms read themselves.
  auto args_from = [&](size_t first) {
    std::vector<CompiledExprPtr> out;
    for (size_t i = first; i < call.args.size(); ++i) {
      if (call.args[i]->kind == sql::ExprKind::Symbol)
        fail(call.args[i]->loc, "unexpected keyword " + call.args[i]->as<sql::Symbol>().name + " in " + name);
      out.push_back(bind(*call.args[i], scope));
    }
    return out;
  };
  auto expect = [&](size_t n, const char* form) {
    if (call.args.size() != n) fail(call.loc, name + " expects " + form);
  };

  if (name == "EXTRACT") {
    expect(2, "EXTRACT(unit FROM value)");
    return extract(unit_arg(call, 0), args_from(1)[0], call.loc);
  }
  if (name == "TIMESTAMPADD") {
    expect(3, "3 arguments: TIMESTAMPADD(unit, count, timestamp)");
    auto a = args_from(1);
    return timestamp_add(unit_arg(call, 0), a[0], a[1], call.loc);
  }
  if (name == "TIMESTAMPDIFF") {
    expect(3, "3 arguments: TIMESTAMPDIFF(unit, from, to)");
    auto a = args_from(1);
    return timestamp_diff(unit_arg(call, 0), a[0], a[1], call.loc);
  }
  if ((name == "FLOOR" || name == "CEIL" || name == "CEILING") && symbol_arg(call, 1)) {
    expect(2, "(value TO unit)");
    CompiledExprPtr value = bind(*call.args[0], scope);
    return floor_ceil_time(name != "FLOOR", value, unit_arg(call, 1), call.loc);
  }
  if (name == "TRIM" && symbol_arg(call, 0)) {
    expect(3, "TRIM([BOTH|LEADING|TRAILING] [characters] FROM string)");
    std::string mode = symbol_arg(call, 0)->name;
    TrimMode m = mode == "LEADING" ? TrimMode::Leading : mode == "TRAILING" ? TrimMode::Trailing : TrimMode::Both;
    auto a = args_from(1);
    return trim(m, a[0], a[1], call.loc);
  }
  return function_call(call.name, args_from(0), call.loc);
}

CompiledExprPtr bind(const sql::Expr& ast, const Scope& scope) { return Binder().bind(ast, scope); }

CompiledExprPtr compile_expression(std::string_view sql_text, const Schema& input, const SourceLocation& where) {
  sql::ExprPtr ast = sql::parse_expression(sql_text, where.file, where);
  SchemaScope scope(input);
  return Binder().bind(*ast, scope);
}

}  // namespace ananas::expr
