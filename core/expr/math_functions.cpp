// ABS, MOD, FLOOR, CEIL, ROUND, POWER, SQRT, LN, LOG10, LOG, EXP, SIGN.
#include <cmath>

#include "core/decimal.hpp"
#include "core/expr/builders.hpp"
#include "core/expr/coerce.hpp"
#include "core/expr/functions.hpp"
#include "core/expr/nodes.hpp"
#include "core/expr/type_rules.hpp"
#include "core/json/java_number_text.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

CompiledExprPtr build_abs(Args& args, const SourceLocation& loc) {
  require_numeric(args, 0, "ABS", loc);
  Type t = args[0]->type();
  switch (category(t)) {
    case Cat::Integer: {
      TypeId id = t.id;  // ABS(MIN) wraps to MIN, as Java's Math.abs
      return make_unary(t, args[0], [id](const Value& v, EvalContext&) {
        uint64_t u = static_cast<uint64_t>(v.as_int());
        return Value::integer(wrap_to(id, v.as_int() < 0 ? static_cast<int64_t>(0 - u) : v.as_int()));
      });
    }
    case Cat::Approx: return make_unary(t, args[0], [](const Value& v, EvalContext&) { return Value::real(std::fabs(v.as_double())); });
    case Cat::Decimal:
      return make_unary(t, args[0], [](const Value& v, EvalContext& ctx) {
        __int128 u = v.unscaled();
        return decimal_value(u < 0 ? -u : u, arena_of(ctx));
      });
    default: return args[0];  // untyped NULL
  }
}

CompiledExprPtr build_mod(Args& args, const SourceLocation& loc) {
  require_numeric(args, 0, "MOD", loc);
  require_numeric(args, 1, "MOD", loc);
  return arithmetic(ArithOp::Modulo, args[0], args[1], loc);
}

CompiledExprPtr floor_or_ceil(Args& args, const SourceLocation& loc, bool ceil) {
  const char* fn = ceil ? "CEIL" : "FLOOR";
  require_numeric(args, 0, fn, loc);
  Type t = args[0]->type();
  switch (category(t)) {
    case Cat::Integer: return args[0];
    case Cat::Approx:
      if (ceil) return make_unary(t, args[0], [](const Value& v, EvalContext&) { return Value::real(std::ceil(v.as_double())); });
      return make_unary(t, args[0], [](const Value& v, EvalContext&) { return Value::real(std::floor(v.as_double())); });
    case Cat::Decimal: {
      if (t.scale == 0) return args[0];
      int scale = t.scale;
      Type out = Type::decimal(std::min(kMaxDecimalPrecision, t.precision - t.scale + 1), 0).with_nullable(t.nullable);
      return make_unary(out, args[0], [scale, ceil](const Value& v, EvalContext& ctx) {
        __int128 u = v.unscaled(), p = pow10_i128(scale);
        __int128 q = u / p, r = u % p;
        if (r != 0 && ceil && u > 0) ++q;
        if (r != 0 && !ceil && u < 0) --q;
        return decimal_value(q, arena_of(ctx));
      });
    }
    default: return args[0];
  }
}
CompiledExprPtr build_floor(Args& a, const SourceLocation& l) { return floor_or_ceil(a, l, false); }
CompiledExprPtr build_ceil(Args& a, const SourceLocation& l) { return floor_or_ceil(a, l, true); }

// ROUND(x [, d]) HALF_UP. The digits must be a constant: they decide the DECIMAL result type.
CompiledExprPtr build_round(Args& args, const SourceLocation& loc) {
  require_numeric(args, 0, "ROUND", loc);
  int64_t digits = 0;
  if (args.size() == 2) {
    require_integer(args, 1, "ROUND", loc);
    const LiteralNode* lit = as_literal(args[1]);
    if (!lit || lit->value().is_null()) type_error(loc, "ROUND expects an integer literal as its second argument");
    digits = lit->value().as_int();
    if (digits < -38 || digits > 38) type_error(loc, "ROUND digits must be between -38 and 38");
  }
  int d = static_cast<int>(digits);
  Type t = args[0]->type();
  switch (category(t)) {
    case Cat::Integer: {
      if (d >= 0) return args[0];
      TypeId id = t.id;
      return make_unary(t, args[0], [d, id](const Value& v, EvalContext&) {
        auto r = decimal_round(v.as_int(), 0, d);
        return Value::integer(wrap_to(id, r ? static_cast<int64_t>(*r) : v.as_int()));
      });
    }
    case Cat::Approx:
      // Flink rounds BigDecimal.valueOf(x): the shortest decimal text of the double.
      return make_unary(t, args[0], [d](const Value& v, EvalContext&) {
        double x = v.as_double();
        if (!std::isfinite(x)) return v;
        std::string text;
        append_java_double(text, x);
        DecimalParse p = parse_decimal(text, kMaxDecimalPrecision, d >= 0 ? d : 0);
        if (p.status != DecimalParse::Status::Ok) return v;
        int scale = d >= 0 ? d : 0;
        auto r = d >= 0 ? std::optional<__int128>(p.unscaled) : decimal_round(p.unscaled, 0, d);
        return r ? Value::real(decimal_to_double(*r, scale)) : v;
      });
    case Cat::Decimal: {
      int p = t.precision, s = t.scale;
      if (d >= s) return args[0];
      Type out = d < 0 ? Type::decimal(std::min(kMaxDecimalPrecision, 1 + p - s), 0)
                       : Type::decimal(std::min(kMaxDecimalPrecision, 1 + p - s + d), d);
      out.nullable = t.nullable;
      int out_p = out.precision, out_s = out.scale;
      return make_unary(out, args[0], [s, d, out_p, out_s](const Value& v, EvalContext& ctx) {
        std::optional<__int128> r = d >= 0 ? decimal_rescale(v.unscaled(), s, out_p, out_s)
                                           : decimal_round(v.unscaled(), s, d);
        if (r && d < 0) r = decimal_rescale(*r, s, out_p, 0);
        return r ? decimal_value(*r, arena_of(ctx)) : Value::null();
      });
    }
    default: return args[0];
  }
}

template <class F>
CompiledExprPtr double_function(Args& args, const SourceLocation& loc, const char* fn, F f) {
  require_numeric(args, 0, fn, loc);
  Type t = Type::double_type().with_nullable(nullable_args(args));
  return make_unary(t, coerce(args[0], Type::double_type()), [f](const Value& v, EvalContext&) { return Value::real(f(v.as_double())); });
}

CompiledExprPtr build_sqrt(Args& a, const SourceLocation& l) { return double_function(a, l, "SQRT", [](double x) { return std::sqrt(x); }); }
CompiledExprPtr build_ln(Args& a, const SourceLocation& l) { return double_function(a, l, "LN", [](double x) { return std::log(x); }); }
CompiledExprPtr build_log10(Args& a, const SourceLocation& l) { return double_function(a, l, "LOG10", [](double x) { return std::log10(x); }); }
CompiledExprPtr build_log2(Args& a, const SourceLocation& l) { return double_function(a, l, "LOG2", [](double x) { return std::log2(x); }); }
CompiledExprPtr build_exp(Args& a, const SourceLocation& l) { return double_function(a, l, "EXP", [](double x) { return std::exp(x); }); }

CompiledExprPtr build_power(Args& args, const SourceLocation& loc) {
  require_numeric(args, 0, "POWER", loc);
  require_numeric(args, 1, "POWER", loc);
  Type t = Type::double_type().with_nullable(nullable_args(args));
  return make_binary(t, coerce(args[0], Type::double_type()), coerce(args[1], Type::double_type()),
                     [](const Value& a, const Value& b, EvalContext&) { return Value::real(std::pow(a.as_double(), b.as_double())); });
}

// LOG(x) = LN(x); LOG(base, x).
CompiledExprPtr build_log(Args& args, const SourceLocation& loc) {
  if (args.size() == 1) return build_ln(args, loc);
  require_numeric(args, 0, "LOG", loc);
  require_numeric(args, 1, "LOG", loc);
  Type t = Type::double_type().with_nullable(nullable_args(args));
  return make_binary(t, coerce(args[0], Type::double_type()), coerce(args[1], Type::double_type()),
                     [](const Value& b, const Value& x, EvalContext&) { return Value::real(std::log(x.as_double()) / std::log(b.as_double())); });
}

CompiledExprPtr build_sign(Args& args, const SourceLocation& loc) {
  require_numeric(args, 0, "SIGN", loc);
  Type t = args[0]->type();
  switch (category(t)) {
    case Cat::Integer:
      return make_unary(t, args[0], [](const Value& v, EvalContext&) { return Value::integer((v.as_int() > 0) - (v.as_int() < 0)); });
    case Cat::Approx:
      return make_unary(t, args[0], [](const Value& v, EvalContext&) {
        double x = v.as_double();
        return Value::real(x > 0 ? 1.0 : (x < 0 ? -1.0 : x));
      });
    case Cat::Decimal: {
      int s = t.scale;
      return make_unary(t, args[0], [s](const Value& v, EvalContext& ctx) {
        __int128 u = v.unscaled();
        return decimal_value(((u > 0) - (u < 0)) * pow10_i128(s), arena_of(ctx));
      });
    }
    default: return args[0];
  }
}

const FunctionDef kMathFunctions[] = {
    {"ABS", 1, 1, build_abs},       {"MOD", 2, 2, build_mod},     {"FLOOR", 1, 1, build_floor},
    {"CEIL", 1, 1, build_ceil},     {"CEILING", 1, 1, build_ceil}, {"ROUND", 1, 2, build_round},
    {"POWER", 2, 2, build_power},   {"SQRT", 1, 1, build_sqrt},   {"LN", 1, 1, build_ln},
    {"LOG10", 1, 1, build_log10},   {"LOG2", 1, 1, build_log2},   {"LOG", 1, 2, build_log},
    {"EXP", 1, 1, build_exp},       {"SIGN", 1, 1, build_sign},
};

}  // namespace

namespace detail {
std::span<const FunctionDef> math_functions() { return kMathFunctions; }
}  // namespace detail

}  // namespace ananas::expr
