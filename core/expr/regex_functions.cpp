// REGEXP, REGEXP_REPLACE, REGEXP_EXTRACT with std::regex (ECMAScript syntax,
// close to Java's for the patterns anomaly rules use). A constant pattern is
// compiled once; an invalid constant pattern is an input error.
#include <memory>
#include <regex>

#include "core/expr/builders.hpp"
#include "core/expr/functions.hpp"
#include "core/expr/nodes.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

using RegexPtr = std::shared_ptr<const std::regex>;

// libstdc++'s regex matcher recurses per character, so a long input can
// exhaust the stack; such rows fail with an error instead of crashing the worker.
constexpr size_t kMaxRegexInput = 4096;

std::string_view regex_input(const Value& v) {
  std::string_view s = v.as_string();
  if (s.size() > kMaxRegexInput)
    throw EvalError("regular expressions are limited to strings of " + std::to_string(kMaxRegexInput) +
                    " bytes (got " + std::to_string(s.size()) + ")");
  return s;
}

RegexPtr compile_or_throw(std::string_view pattern) {
  try {
    return std::make_shared<const std::regex>(std::string(pattern), std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw EvalError("invalid regular expression '" + std::string(pattern) + "': " + e.what());
  }
}

// The pattern compiled at build time when it is a literal, else nullptr.
RegexPtr constant_pattern(const CompiledExprPtr& e, const SourceLocation& loc) {
  const LiteralNode* lit = as_literal(e);
  if (!lit || lit->value().is_null()) return nullptr;
  try {
    return compile_or_throw(lit->value().as_string());
  } catch (const EvalError& err) {
    type_error(loc, err.what());
  }
}

// Returns the regex to use for this row.
const std::regex& pick(const RegexPtr& constant, const Value& pattern, std::unique_ptr<std::regex>& holder) {
  if (constant) return *constant;
  holder = std::make_unique<std::regex>(*compile_or_throw(pattern.as_string()));
  return *holder;
}

CompiledExprPtr build_regexp(Args& args, const SourceLocation& loc) {
  require_character(args, 0, "REGEXP", loc);
  require_character(args, 1, "REGEXP", loc);
  RegexPtr constant = constant_pattern(args[1], loc);
  return make_binary(Type::boolean().with_nullable(nullable_args(args)), args[0], args[1],
                     [constant](const Value& s, const Value& p, EvalContext&) {
                       std::unique_ptr<std::regex> holder;
                       std::string_view text = regex_input(s);
                       return Value::boolean(std::regex_search(text.begin(), text.end(), pick(constant, p, holder)));
                     });
}

CompiledExprPtr build_regexp_replace(Args& args, const SourceLocation& loc) {
  for (size_t i = 0; i < 3; ++i) require_character(args, i, "REGEXP_REPLACE", loc);
  RegexPtr constant = constant_pattern(args[1], loc);
  return make_nary(Type::string().with_nullable(nullable_args(args)), args, [constant](const Value* v, size_t, EvalContext& ctx) {
    std::unique_ptr<std::regex> holder;
    std::string_view text = regex_input(v[0]);
    std::string out = std::regex_replace(std::string(text), pick(constant, v[1], holder), std::string(v[2].as_string()));
    return arena_string(ctx, out);
  }, true, loc);
}

// REGEXP_EXTRACT(s, pattern [, group]): NULL when nothing matches or the group does not exist.
CompiledExprPtr build_regexp_extract(Args& args, const SourceLocation& loc) {
  require_character(args, 0, "REGEXP_EXTRACT", loc);
  require_character(args, 1, "REGEXP_EXTRACT", loc);
  if (args.size() == 3) require_integer(args, 2, "REGEXP_EXTRACT", loc);
  RegexPtr constant = constant_pattern(args[1], loc);
  bool has_group = args.size() == 3;
  return make_nary(Type::string().with_nullable(true), args, [constant, has_group](const Value* v, size_t, EvalContext& ctx) {
    std::unique_ptr<std::regex> holder;
    std::string_view text = regex_input(v[0]);
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(text.begin(), text.end(), m, pick(constant, v[1], holder))) return Value::null();
    int64_t group = has_group ? v[2].as_int() : 1;
    if (group < 0 || static_cast<size_t>(group) >= m.size() || !m[static_cast<size_t>(group)].matched) return Value::null();
    size_t g = static_cast<size_t>(group);
    return arena_string(ctx, text.substr(static_cast<size_t>(m.position(g)), static_cast<size_t>(m.length(g))));
  }, true, loc);
}

const FunctionDef kRegexFunctions[] = {
    {"REGEXP", 2, 2, build_regexp},
    {"REGEXP_REPLACE", 3, 3, build_regexp_replace},
    {"REGEXP_EXTRACT", 2, 3, build_regexp_extract},
};

}  // namespace

namespace detail {
std::span<const FunctionDef> regex_functions() { return kRegexFunctions; }
}  // namespace detail

}  // namespace ananas::expr
