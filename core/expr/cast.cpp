// CAST / TRY_CAST and the implicit conversions (coerce) built on them.
// Semantics follow Flink 1.15+ (legacy cast behaviour off): a string that is
// not a number fails the row (EvalError; TRY_CAST gives NULL), a DECIMAL that
// does not fit its precision becomes NULL, CHAR(n)/VARCHAR(n) targets pad or
// truncate to n characters.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "core/decimal.hpp"
#include "core/expr/builders.hpp"
#include "core/expr/coerce.hpp"
#include "core/expr/nodes.hpp"
#include "core/expr/type_rules.hpp"
#include "core/expr/utf8.hpp"
#include "core/timefmt.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

std::string_view trim_spaces(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

[[noreturn]] void cast_failure(std::string_view text, const Type& to) {
  throw EvalError("cannot cast '" + std::string(text) + "' to " + to.to_string());
}

int64_t integer_min(TypeId id) {
  switch (id) {
    case TypeId::TinyInt: return INT8_MIN;
    case TypeId::SmallInt: return INT16_MIN;
    case TypeId::Int: return INT32_MIN;
    default: return INT64_MIN;
  }
}
int64_t integer_max(TypeId id) {
  switch (id) {
    case TypeId::TinyInt: return INT8_MAX;
    case TypeId::SmallInt: return INT16_MAX;
    case TypeId::Int: return INT32_MAX;
    default: return INT64_MAX;
  }
}

Value timestamp_value(PreciseTimestamp t) { return Value::timestamp(t.millis, t.nano_of_milli); }

// Flink's DateTimeUtils.parseTimestampData(text, precision): the parsed
// fraction is floored to `precision` digits.
PreciseTimestamp floor_fraction(PreciseTimestamp t, int precision) {
  if (precision >= 9) return t;
  if (precision <= 3) {
    int64_t unit = 1;
    for (int i = precision; i < 3; ++i) unit *= 10;
    return {t.millis - floor_mod(t.millis, unit), 0};
  }
  uint32_t unit = 1;
  for (int i = precision; i < 9; ++i) unit *= 10;
  return {t.millis, t.nano_of_milli / unit * unit};
}

// Flink's BinaryStringDataUtil.toLong: optional sign, digits, and an optional
// fraction that is ignored (`'12.7'` -> 12); anything else, or a value out of
// the target's range, fails.
int64_t parse_integer_text(std::string_view raw, const Type& to) {
  std::string_view s = trim_spaces(raw);
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  size_t digits_start = i;
  __int128 v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    v = v * 10 + (s[i] - '0');
    if (v > (__int128{1} << 64)) cast_failure(raw, to);
  }
  if (i == digits_start) cast_failure(raw, to);
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size(); ++i)
      if (s[i] < '0' || s[i] > '9') cast_failure(raw, to);
  }
  if (i != s.size()) cast_failure(raw, to);
  if (negative) v = -v;
  if (v < integer_min(to.id) || v > integer_max(to.id)) cast_failure(raw, to);
  return static_cast<int64_t>(v);
}

// Java's Double.parseDouble: decimal or scientific text, NaN, [+-]Infinity,
// an optional trailing d/D/f/F.
double parse_double_text(std::string_view raw, const Type& to) {
  std::string_view s = trim_spaces(raw);
  std::string_view body = s;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (body == "Infinity") return negative ? -HUGE_VAL : HUGE_VAL;
  if (!s.empty() && (s.back() == 'd' || s.back() == 'D' || s.back() == 'f' || s.back() == 'F')) s.remove_suffix(1);
  for (char c : s)  // from_chars would also take "inf" and "nan", which Java does not
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) cast_failure(raw, to);
  std::string_view digits = s;
  if (!digits.empty() && digits[0] == '+') {
    digits.remove_prefix(1);  // from_chars takes no '+'
    if (!digits.empty() && digits[0] == '-') cast_failure(raw, to);
  }
  double d = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d, std::chars_format::general);
  if (end != digits.data() + digits.size()) cast_failure(raw, to);
  if (ec == std::errc::result_out_of_range) {
    // Java saturates to ±Infinity or ±0.0 instead of failing.
    bool tiny = digits.find_first_of("eE") != std::string_view::npos &&
                digits[digits.find_first_of("eE") + 1] == '-';
    bool neg = digits[0] == '-';
    return tiny ? (neg ? -0.0 : 0.0) : (neg ? -HUGE_VAL : HUGE_VAL);
  }
  if (ec != std::errc()) cast_failure(raw, to);
  return d;
}

bool parse_boolean_text(std::string_view raw, const Type& to) {
  std::string_view s = trim_spaces(raw);
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower == "true" || lower == "t" || lower == "yes" || lower == "y" || lower == "1") return true;
  if (lower == "false" || lower == "f" || lower == "no" || lower == "n" || lower == "0") return false;
  cast_failure(raw, to);
}

// CAST(... AS CHAR(n) / VARCHAR(n)): truncate to n code points, CHAR pads with spaces.
Value fitted_text(std::string_view s, const Type& to, EvalContext& ctx) {
  if (to.length >= kMaxVarcharLength || to.id == TypeId::Binary) return arena_string(ctx, s);
  size_t n = static_cast<size_t>(to.length);
  size_t cut = utf8::offset_of(s, n);
  std::string_view kept = s.substr(0, cut);
  if (to.id != TypeId::Char) return arena_string(ctx, kept);
  size_t have = utf8::count(kept);
  if (have >= n) return arena_string(ctx, kept);
  char* out = static_cast<char*>(arena_of(ctx).allocate(kept.size() + (n - have), 1));
  copy_bytes(out, kept.data(), kept.size());
  std::memset(out + kept.size(), ' ', n - have);
  return Value::string({out, kept.size() + (n - have)});
}

// Reused per thread so text conversions do not allocate per row.
std::string& scratch() {
  thread_local std::string s;
  s.clear();
  return s;
}

template <class F>
CompiledExprPtr cast_node(Type to, CompiledExprPtr operand, bool try_cast, F f) {
  if (!try_cast) return make_unary(std::move(to), std::move(operand), std::move(f));
  return make_unary(to.with_nullable(true), std::move(operand), [f](const Value& v, EvalContext& ctx) -> Value {
    try {
      return f(v, ctx);
    } catch (const EvalError&) {
      return Value::null();
    }
  });
}

// Builds the conversion node, or returns nullptr when Flink has no such cast.
CompiledExprPtr build_cast(CompiledExprPtr e, const Type& to_in, bool try_cast) {
  const Type from = e->type();
  Type to = to_in;
  to.nullable = from.nullable;  // CAST keeps the operand's nullability (overflowing DECIMALs add it below)
  Cat cf = category(from), ct = category(to);
  if (cf == Cat::Null) return null_literal(to);
  TypeId tid = to.id;
  int to_scale = to.scale, to_precision = to.precision;

  if (ct == Cat::Character) {
    if (cf == Cat::Character || cf == Cat::Binary) {
      if (to.length >= kMaxVarcharLength || (to.id == TypeId::Varchar && from.length <= to.length && cf == Cat::Character))
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return v; });
      return cast_node(to, e, try_cast, [to](const Value& v, EvalContext& ctx) { return fitted_text(v.as_string(), to, ctx); });
    }
    if (cf == Cat::Nested && from.id == TypeId::Map) return nullptr;
    return cast_node(to, e, try_cast, [from, to](const Value& v, EvalContext& ctx) {
      std::string& s = scratch();
      append_cast_text(s, v, from);
      return fitted_text(s, to, ctx);
    });
  }

  switch (cf) {
    case Cat::Boolean:
      if (ct == Cat::Boolean) return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return v; });
      if (ct == Cat::Integer)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return Value::integer(v.as_bool() ? 1 : 0); });
      if (ct == Cat::Approx)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return Value::real(v.as_bool() ? 1.0 : 0.0); });
      if (ct == Cat::Decimal)
        return cast_node(to.with_nullable(true), e, try_cast, [to_precision, to_scale](const Value& v, EvalContext& ctx) {
          auto d = decimal_rescale(v.as_bool() ? 1 : 0, 0, to_precision, to_scale);
          return d ? decimal_value(*d, arena_of(ctx)) : Value::null();
        });
      return nullptr;

    case Cat::Integer:
      if (ct == Cat::Integer) {
        if (integer_rank(to) >= integer_rank(from)) return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return v; });
        return cast_node(to, e, try_cast, [tid](const Value& v, EvalContext&) { return Value::integer(wrap_to(tid, v.as_int())); });
      }
      if (ct == Cat::Approx) {
        if (tid == TypeId::Float)
          return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) {
            return Value::real(static_cast<double>(static_cast<float>(v.as_int())));
          });
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return Value::real(static_cast<double>(v.as_int())); });
      }
      if (ct == Cat::Decimal) {
        Type t = to;
        bool always_fits = to_precision - to_scale >= decimal_type_of(from).precision;
        if (!always_fits) t.nullable = true;
        return cast_node(t, e, try_cast, [to_precision, to_scale](const Value& v, EvalContext& ctx) {
          auto d = decimal_rescale(v.as_int(), 0, to_precision, to_scale);
          return d ? decimal_value(*d, arena_of(ctx)) : Value::null();
        });
      }
      if (ct == Cat::Boolean)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return Value::boolean(v.as_int() != 0); });
      if (tid == TypeId::TimestampLtz)  // seconds since the epoch (Flink 1.19)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return Value::integer(v.as_int() * 1000); });
      if (ct == Cat::IntervalDayTime || ct == Cat::IntervalYearMonth)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return v; });
      return nullptr;

    case Cat::Approx:
      if (ct == Cat::Approx) {
        if (tid == TypeId::Float)
          return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) {
            return Value::real(static_cast<double>(static_cast<float>(v.as_double())));
          });
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return v; });
      }
      if (ct == Cat::Integer)
        return cast_node(to, e, try_cast, [tid](const Value& v, EvalContext&) { return Value::integer(double_to_integer(v.as_double(), tid)); });
      if (ct == Cat::Decimal)
        return cast_node(to.with_nullable(true), e, try_cast, [to_precision, to_scale](const Value& v, EvalContext& ctx) {
          auto d = decimal_from_double(v.as_double(), to_precision, to_scale);
          return d ? decimal_value(*d, arena_of(ctx)) : Value::null();
        });
      if (ct == Cat::Boolean)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return Value::boolean(v.as_double() != 0.0); });
      return nullptr;

    case Cat::Decimal: {
      int from_scale = from.scale, from_precision = from.precision;
      if (ct == Cat::Decimal)
        return cast_node(to.with_nullable(true), e, try_cast, [from_scale, to_precision, to_scale](const Value& v, EvalContext& ctx) {
          auto d = decimal_rescale(v.unscaled(), from_scale, to_precision, to_scale);
          return d ? decimal_value(*d, arena_of(ctx)) : Value::null();
        });
      if (ct == Cat::Integer)
        return cast_node(to, e, try_cast, [from_scale, tid](const Value& v, EvalContext&) {
          __int128 whole = decimal_truncate_to_integer(v.unscaled(), from_scale);
          return Value::integer(wrap_to(tid, static_cast<int64_t>(static_cast<uint64_t>(static_cast<unsigned __int128>(whole)))));
        });
      if (ct == Cat::Approx)
        return cast_node(to, e, try_cast, [from_scale, from_precision, tid](const Value& v, EvalContext&) {
          double d = decimal_to_double(v.unscaled(), from_scale, from_precision);
          return Value::real(tid == TypeId::Float ? static_cast<double>(static_cast<float>(d)) : d);
        });
      if (ct == Cat::Boolean)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return Value::boolean(v.unscaled() != 0); });
      return nullptr;
    }

    case Cat::Character:
      switch (ct) {
        case Cat::Integer:
          return cast_node(to, e, try_cast, [to](const Value& v, EvalContext&) { return Value::integer(parse_integer_text(v.as_string(), to)); });
        case Cat::Approx:
          return cast_node(to, e, try_cast, [to](const Value& v, EvalContext&) {
            double d = parse_double_text(v.as_string(), to);
            return Value::real(to.id == TypeId::Float ? static_cast<double>(static_cast<float>(d)) : d);
          });
        case Cat::Decimal:
          return cast_node(to.with_nullable(true), e, try_cast, [to](const Value& v, EvalContext& ctx) {
            DecimalParse p = parse_decimal(v.as_string(), to.precision, to.scale);
            if (p.status == DecimalParse::Status::Malformed) cast_failure(v.as_string(), to);
            if (p.status == DecimalParse::Status::Overflow) return Value::null();
            return decimal_value(p.unscaled, arena_of(ctx));
          });
        case Cat::Boolean:
          return cast_node(to, e, try_cast, [to](const Value& v, EvalContext&) { return Value::boolean(parse_boolean_text(v.as_string(), to)); });
        case Cat::Date:
          return cast_node(to, e, try_cast, [to](const Value& v, EvalContext&) {
            auto d = parse_date(trim_spaces(v.as_string()));
            if (!d) cast_failure(v.as_string(), to);
            return Value::integer(*d);
          });
        case Cat::Time:
          return cast_node(to, e, try_cast, [to](const Value& v, EvalContext&) {
            auto t = parse_time(trim_spaces(v.as_string()));
            if (!t) cast_failure(v.as_string(), to);
            return Value::integer(*t);
          });
        case Cat::Timestamp:
          return cast_node(to, e, try_cast, [to](const Value& v, EvalContext&) {
            auto t = parse_timestamp_precise(v.as_string());
            if (!t) cast_failure(v.as_string(), to);
            return timestamp_value(floor_fraction(*t, to.precision));
          });
        case Cat::Binary:
          return cast_node(to, e, try_cast, [to](const Value& v, EvalContext& ctx) { return fitted_text(v.as_string(), to, ctx); });
        default: return nullptr;
      }

    case Cat::Binary:
      if (ct == Cat::Binary)
        return cast_node(to, e, try_cast, [to](const Value& v, EvalContext& ctx) { return fitted_text(v.as_string(), to, ctx); });
      return nullptr;

    case Cat::Date:
      if (ct == Cat::Date) return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return v; });
      if (ct == Cat::Timestamp)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return Value::integer(v.as_int() * kMillisPerDay); });
      return nullptr;

    case Cat::Time:
      if (ct == Cat::Time) return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return v; });
      return nullptr;

    case Cat::Timestamp:
      if (ct == Cat::Timestamp && to.precision >= from.precision)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return v; });
      if (ct == Cat::Timestamp)  // Flink: TimestampToTimestampCastRule, DateTimeUtils.truncate
        return cast_node(to, e, try_cast, [p = to.precision](const Value& v, EvalContext&) {
          PreciseTimestamp t = truncate_timestamp({v.as_int(), v.nano_of_milli()}, p);
          // A row keeps a TIMESTAMP(p <= 3) as epoch millis (Flink: TimestampData.isCompact),
          // so even the nanoseconds truncate leaves alone do not reach the next operator.
          if (p <= 3) t.nano_of_milli = 0;
          return timestamp_value(t);
        });
      if (ct == Cat::Date)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return Value::integer(floor_div(v.as_int(), kMillisPerDay)); });
      if (ct == Cat::Time)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return Value::integer(floor_mod(v.as_int(), kMillisPerDay)); });
      if (ct == Cat::Integer && from.id == TypeId::TimestampLtz && tid == TypeId::BigInt)
        return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return Value::integer(floor_div(v.as_int(), 1000)); });
      return nullptr;

    case Cat::IntervalDayTime:
    case Cat::IntervalYearMonth:
      if (ct == cf) return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return v; });
      if (ct == Cat::Integer)
        return cast_node(to, e, try_cast, [tid](const Value& v, EvalContext&) { return Value::integer(wrap_to(tid, v.as_int())); });
      return nullptr;

    case Cat::Nested:
      if (from.same_shape(to)) return cast_node(to, e, try_cast, [](const Value& v, EvalContext&) { return v; });
      return nullptr;

    case Cat::Null: return nullptr;
  }
  return nullptr;
}

}  // namespace

CompiledExprPtr cast(CompiledExprPtr operand, const Type& target, bool try_cast, const SourceLocation& loc) {
  Type from = operand->type();
  CompiledExprPtr node = build_cast(std::move(operand), target, try_cast);
  if (!node) type_error(loc, "cannot cast " + from.to_string() + " to " + target.to_string());
  return node;
}

namespace detail {

CompiledExprPtr coerce(CompiledExprPtr e, const Type& to) {
  const Type& from = e->type();
  Cat cf = category(from), ct = category(to);
  if (cf == ct) {
    switch (cf) {
      case Cat::Integer:
        if (integer_rank(to) >= integer_rank(from)) return e;
        break;
      case Cat::Decimal:
        if (from.scale == to.scale && from.precision <= to.precision) return e;
        break;
      case Cat::Approx:
        if (to.id == TypeId::Double || from.id == TypeId::Float) return e;
        break;
      case Cat::Character:
        if (to.id == TypeId::Varchar && from.length <= to.length) return e;
        if (from == to.with_nullable(from.nullable)) return e;
        break;
      case Cat::Timestamp:
        // A narrower precision cuts the fraction (an INSERT into a
        // TIMESTAMP(3) column casts, Flink: DynamicSinkUtils.validateSchemaAndApplyImplicitCast).
        if (to.precision < from.precision) break;
        return e;
      case Cat::Time:
      case Cat::Boolean:
      case Cat::Date:
      case Cat::Binary:
      case Cat::IntervalDayTime:
      case Cat::IntervalYearMonth:
      case Cat::Nested: return e;
      case Cat::Null: break;
    }
  }
  if (cf == Cat::Null) return null_literal(to);
  CompiledExprPtr node = build_cast(e, to, false);
  return node ? node : e;
}

}  // namespace detail

}  // namespace ananas::expr
