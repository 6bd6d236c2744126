// LIKE with `%`, `_` and ESCAPE, matching code points. A constant pattern is
// compiled once when the expression is built.
#include <memory>
#include <string>
#include <vector>

#include "core/expr/builders.hpp"
#include "core/expr/functions.hpp"
#include "core/expr/nodes.hpp"
#include "core/expr/utf8.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

struct LikePattern {
  enum class Kind { Literal, AnyOne, AnyMany };
  struct Token {
    Kind kind;
    std::string bytes;  // Literal: one code point
  };
  std::vector<Token> tokens;

  // Throws EvalError (raised as InputError by the builder for constant patterns).
  static LikePattern compile(std::string_view pattern, std::string_view escape) {
    if (!escape.empty() && utf8::count(escape) != 1) throw EvalError("the ESCAPE string must be one character, not '" + std::string(escape) + "'");
    LikePattern p;
    for (size_t i = 0; i < pattern.size();) {
      size_t n = utf8::char_bytes(pattern, i);
      std::string_view c = pattern.substr(i, n);
      i += n;
      if (!escape.empty() && c == escape) {
        if (i >= pattern.size()) throw EvalError("LIKE pattern '" + std::string(pattern) + "' ends with the escape character");
        size_t m = utf8::char_bytes(pattern, i);
        std::string_view next = pattern.substr(i, m);
        if (next != "%" && next != "_" && next != escape)
          throw EvalError("invalid escape sequence in LIKE pattern '" + std::string(pattern) + "'");
        p.tokens.push_back({Kind::Literal, std::string(next)});
        i += m;
      } else if (c == "%") {
        if (p.tokens.empty() || p.tokens.back().kind != Kind::AnyMany) p.tokens.push_back({Kind::AnyMany, {}});
      } else if (c == "_") {
        p.tokens.push_back({Kind::AnyOne, {}});
      } else {
        p.tokens.push_back({Kind::Literal, std::string(c)});
      }
    }
    return p;
  }

  // Wildcard matching with single-star backtracking: linear in practice.
  bool matches(std::string_view s) const {
    size_t si = 0, pi = 0, m = tokens.size();
    size_t star_p = SIZE_MAX, star_s = 0;
    while (si < s.size()) {
      size_t n = utf8::char_bytes(s, si);
      if (pi < m && tokens[pi].kind == Kind::AnyMany) {
        star_p = pi++;
        star_s = si;
        continue;
      }
      if (pi < m && (tokens[pi].kind == Kind::AnyOne || s.substr(si, n) == tokens[pi].bytes)) {
        si += n;
        ++pi;
        continue;
      }
      if (star_p == SIZE_MAX) return false;
      pi = star_p + 1;
      star_s += utf8::char_bytes(s, star_s);
      si = star_s;
    }
    while (pi < m && tokens[pi].kind == Kind::AnyMany) ++pi;
    return pi == m;
  }
};

}  // namespace

CompiledExprPtr like(CompiledExprPtr operand, CompiledExprPtr pattern, CompiledExprPtr escape, bool negated,
                     const SourceLocation& loc) {
  auto check = [&](const CompiledExprPtr& e, const char* what) {
    if (e && !e->type().is_character() && e->type().id != TypeId::Null)
      type_error(loc, std::string("LIKE expects a string as ") + what + ", not " + type_family_name(e->type()));
  };
  check(operand, "the tested value");
  check(pattern, "the pattern");
  check(escape, "the escape character");
  bool nullable = operand->type().nullable || pattern->type().nullable || (escape && escape->type().nullable);
  Type t = Type::boolean().with_nullable(nullable);

  const LiteralNode* lit = as_literal(pattern);
  const LiteralNode* esc = escape ? as_literal(escape) : nullptr;
  bool constant = lit && !lit->value().is_null() && (!escape || (esc && !esc->value().is_null()));
  if (constant) {
    std::shared_ptr<const LikePattern> compiled;
    try {
      compiled = std::make_shared<LikePattern>(
          LikePattern::compile(lit->value().as_string(), esc ? esc->value().as_string() : std::string_view{}));
    } catch (const EvalError& e) {
      type_error(loc, e.what());
    }
    return make_unary(t, std::move(operand), [compiled, negated](const Value& v, EvalContext&) {
      return Value::boolean(compiled->matches(v.as_string()) != negated);
    });
  }
  Args args{std::move(operand), std::move(pattern)};
  if (escape) args.push_back(std::move(escape));
  return make_nary(t, std::move(args), [negated](const Value* v, size_t n, EvalContext&) {
    LikePattern p = LikePattern::compile(v[1].as_string(), n > 2 ? v[2].as_string() : std::string_view{});
    return Value::boolean(p.matches(v[0].as_string()) != negated);
  }, true, loc);
}

}  // namespace ananas::expr
