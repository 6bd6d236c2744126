// Scalar function lookup: case-insensitive names, arity checks, "did you mean".
#include <algorithm>
#include <cctype>

#include "core/expr/builders.hpp"
#include "core/expr/functions.hpp"
#include "core/expr/nodes.hpp"
#include "core/expr/type_rules.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

const FunctionDef* find_function(const std::string& name) {
  for (auto family : {string_functions(), math_functions(), time_functions(), conditional_functions(), regex_functions()})
    for (const FunctionDef& f : family)
      if (name == f.name) return &f;
  return nullptr;
}

std::vector<std::string> all_function_names() {
  std::vector<std::string> names;
  for (auto family : {string_functions(), math_functions(), time_functions(), conditional_functions(), regex_functions()})
    for (const FunctionDef& f : family) names.emplace_back(f.name);
  return names;
}

const char* const kAggregates[] = {"COUNT", "SUM", "MIN", "MAX", "AVG", "LISTAGG", "COLLECT", "FIRST_VALUE",
                                   "LAST_VALUE", "STDDEV_POP", "STDDEV_SAMP", "VAR_POP", "VAR_SAMP", "STDDEV",
                                   "VARIANCE", "ARRAY_AGG", "JSON_ARRAYAGG", "JSON_OBJECTAGG", "BOOL_AND", "BOOL_OR"};

std::string arity_text(const FunctionDef& f) {
  auto plural = [](int n) { return n == 1 ? std::string(" argument") : std::string(" arguments"); };
  if (f.max_args < 0) return "at least " + std::to_string(f.min_args) + plural(f.min_args);
  if (f.min_args == f.max_args) return std::to_string(f.min_args) + plural(f.min_args);
  if (f.max_args == f.min_args + 1) return std::to_string(f.min_args) + " or " + std::to_string(f.max_args) + plural(f.max_args);
  return std::to_string(f.min_args) + " to " + std::to_string(f.max_args) + plural(f.max_args);
}

}  // namespace

namespace detail {

static void require(bool ok, const Args& args, size_t i, const char* fn, const char* what, const SourceLocation& loc) {
  if (ok || args[i]->type().id == TypeId::Null) return;
  type_error(loc, std::string(fn) + " expects " + what + " as argument " + std::to_string(i + 1) + ", not " +
                      type_family_name(args[i]->type()));
}

void require_character(const Args& args, size_t i, const char* fn, const SourceLocation& loc) {
  require(args[i]->type().is_character(), args, i, fn, "a string", loc);
}
void require_numeric(const Args& args, size_t i, const char* fn, const SourceLocation& loc) {
  require(args[i]->type().is_numeric(), args, i, fn, "a number", loc);
}
void require_integer(const Args& args, size_t i, const char* fn, const SourceLocation& loc) {
  require(args[i]->type().is_integer(), args, i, fn, "an integer", loc);
}
void require_temporal(const Args& args, size_t i, const char* fn, const SourceLocation& loc) {
  Cat c = category(args[i]->type());
  require(c == Cat::Timestamp || c == Cat::Date || c == Cat::Time, args, i, fn, "a date, time or timestamp", loc);
}

bool nullable_args(const Args& args) { return any_nullable(args); }

}  // namespace detail

bool is_scalar_function(std::string_view name) { return find_function(upper(name)) != nullptr; }

bool is_aggregate_function(std::string_view name) {
  std::string u = upper(name);
  return std::any_of(std::begin(kAggregates), std::end(kAggregates), [&](const char* a) { return u == a; });
}

CompiledExprPtr function_call(std::string_view name, std::vector<CompiledExprPtr> args, const SourceLocation& loc) {
  std::string u = upper(name);
  if (is_aggregate_function(u)) type_error(loc, "aggregate function " + u + " is not allowed here");
  const FunctionDef* f = find_function(u);
  if (!f) {
    std::string hint = closest_match(u, all_function_names());
    type_error(loc, "unknown function " + std::string(name) + (hint.empty() ? "" : " (did you mean " + hint + "?)"));
  }
  int n = static_cast<int>(args.size());
  if (n < f->min_args || (f->max_args >= 0 && n > f->max_args))
    type_error(loc, std::string(f->name) + " expects " + arity_text(*f) + ", got " + std::to_string(n));
  check_arg_count(args.size(), loc);
  return f->build(args, loc);
}

}  // namespace ananas::expr
