#include "pipelines/sql/aggregate_calls.hpp"

#include <algorithm>

#include "pipelines/sql/ast_walk.hpp"

namespace ananas::pipeline::planner {

static std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

bool is_supported_aggregate(const std::string& n) {
  return n == "COUNT" || n == "SUM" || n == "MIN" || n == "MAX" || n == "AVG" || n == "LISTAGG" || n == "VAR_POP" ||
         n == "VAR_SAMP" || n == "STDDEV_POP" || n == "STDDEV_SAMP" || n == "STDDEV" || n == "VARIANCE";
}

bool is_aggregate_name(const std::string& n) {
  static const char* const others[] = {"COLLECT", "STDDEV_POP", "STDDEV_SAMP", "VAR_POP", "VAR_SAMP", "FIRST_VALUE",
                                       "LAST_VALUE", "ARRAY_AGG", "JSON_ARRAYAGG", "JSON_OBJECTAGG", "SUM0", "STDDEV", "VARIANCE"};
  if (is_supported_aggregate(n)) return true;
  return std::any_of(std::begin(others), std::end(others), [&](const char* o) { return n == o; });
}

static bool is_aggregate_call(const sql::Expr& e) {
  return e.kind == sql::ExprKind::Call && e.as<sql::Call>().qualifier.empty() && is_aggregate_name(upper(e.as<sql::Call>().name));
}

static void find_calls(const sql::Expr& e, std::vector<const sql::Call*>& out) {
  if (is_aggregate_call(e)) {
    out.push_back(&e.as<sql::Call>());
    return;
  }
  for_each_child(e, [&](const sql::Expr& c) { find_calls(c, out); });
}

std::vector<const sql::Call*> aggregate_calls(const sql::Expr& e) {
  std::vector<const sql::Call*> out;
  find_calls(e, out);
  return out;
}

bool contains_aggregate(const sql::Expr& e) { return !aggregate_calls(e).empty(); }

void collect_aggregates(const sql::Expr& e, AggregateList& list) {
  for (const sql::Call* call : aggregate_calls(e)) {
    std::string name = upper(call->name);
    if (!is_supported_aggregate(name))
      throw InputError(call->loc, "aggregate function " + name + " is not supported; use COUNT, SUM, MIN, MAX, AVG, LISTAGG, VAR_POP, VAR_SAMP, STDDEV_POP or STDDEV_SAMP");
    for (const auto& arg : call->args)
      if (contains_aggregate(*arg))
        throw InputError(aggregate_calls(*arg).front()->loc, "aggregate functions cannot be nested");
    if (name == "COUNT" && call->args.size() > 1) throw InputError(call->loc, "COUNT takes one argument or *");
    if (name != "COUNT" && call->star_arg) throw InputError(call->loc, name + "(*) is not valid; only COUNT(*) is");
    if (name != "COUNT" && name != "LISTAGG" && call->args.size() != 1)
      throw InputError(call->loc, name + " takes exactly one argument");
    if (name == "LISTAGG" && (call->args.empty() || call->args.size() > 2))
      throw InputError(call->loc, "LISTAGG takes a value and an optional separator: LISTAGG(x [, ','])");
    bool seen = std::any_of(list.calls.begin(), list.calls.end(), [&](const sql::Call* c) { return sql::equal(*c, *call); });
    if (!seen) list.calls.push_back(call);
  }
}

static void replace_in(sql::ExprPtr& p, const AggregateList& list, const std::function<std::string(size_t)>& name_of) {
  if (is_aggregate_call(*p)) {
    for (size_t i = 0; i < list.calls.size(); ++i) {
      if (!sql::equal(*list.calls[i], *p)) continue;
      auto id = std::make_unique<sql::Identifier>(p->loc);
      id->parts = {name_of(i)};
      id->part_locs = {p->loc};
      p = std::move(id);
      return;
    }
  }
  for_each_child(*p, [&](sql::ExprPtr& c) { replace_in(c, list, name_of); });
}

sql::ExprPtr replace_aggregates(const sql::Expr& e, const AggregateList& list, const std::function<std::string(size_t)>& name_of) {
  sql::ExprPtr copy = sql::clone(e);
  replace_in(copy, list, name_of);
  return copy;
}

void check_grouped(const sql::Expr& e, const Relation& output, const Relation& input) {
  if (e.kind == sql::ExprKind::Identifier) {
    const auto& parts = e.as<sql::Identifier>().parts;
    try {
      output.resolve(parts, e.loc);
    } catch (const InputError&) {
      try {
        input.resolve(parts, e.loc);
      } catch (const InputError&) {
        throw;  // unknown everywhere: the input's message (with its suggestion) is the useful one
      }
      std::string text;
      for (size_t i = 0; i < parts.size(); ++i) text += (i ? "." : "") + parts[i];
      throw InputError(e.loc, "column '" + text + "' is neither grouped nor aggregated: add it to GROUP BY or aggregate it");
    }
    return;
  }
  for_each_child(e, [&](const sql::Expr& c) { check_grouped(c, output, input); });
}

Type aggregate_result_type(const std::string& n, const Type& arg) {
  if (n == "COUNT") return Type::bigint().with_nullable(false);
  if (n == "LISTAGG") return Type::string();
  Type t = arg;
  t.time_attr = TimeAttr::None;
  t.nullable = true;
  return t;
}

}  // namespace ananas::pipeline::planner
