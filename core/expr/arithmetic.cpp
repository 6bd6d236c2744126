// + - * / % and unary minus (Flink docs, Functions > System (Built-in) Functions > Arithmetic Functions; Flink: LogicalTypeMerging).
#include <cmath>

#include "core/decimal.hpp"
#include "core/expr/builders.hpp"
#include "core/expr/coerce.hpp"
#include "core/expr/nodes.hpp"
#include "core/expr/type_rules.hpp"
#include "core/timefmt.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

const char* symbol_of(ArithOp op) {
  switch (op) {
    case ArithOp::Add: return "+";
    case ArithOp::Subtract: return "-";
    case ArithOp::Multiply: return "*";
    case ArithOp::Divide: return "/";
    case ArithOp::Modulo: return "%";
  }
  return "?";
}

[[noreturn]] void division_by_zero() { throw EvalError("division by zero"); }

// Two's-complement wrap-around, computed on unsigned values to avoid UB.
CompiledExprPtr integer_arithmetic(ArithOp op, CompiledExprPtr l, CompiledExprPtr r, Type t) {
  TypeId id = t.id;
  auto u = [](const Value& v) { return static_cast<uint64_t>(v.as_int()); };
  switch (op) {
    case ArithOp::Add:
      return make_binary(t, l, r, [id, u](const Value& a, const Value& b, EvalContext&) {
        return Value::integer(wrap_to(id, static_cast<int64_t>(u(a) + u(b))));
      });
    case ArithOp::Subtract:
      return make_binary(t, l, r, [id, u](const Value& a, const Value& b, EvalContext&) {
        return Value::integer(wrap_to(id, static_cast<int64_t>(u(a) - u(b))));
      });
    case ArithOp::Multiply:
      return make_binary(t, l, r, [id, u](const Value& a, const Value& b, EvalContext&) {
        return Value::integer(wrap_to(id, static_cast<int64_t>(u(a) * u(b))));
      });
    case ArithOp::Divide:  // truncates toward zero; MIN / -1 wraps to MIN as in Java
      return make_binary(t, l, r, [id, u](const Value& a, const Value& b, EvalContext&) {
        int64_t y = b.as_int();
        if (y == 0) division_by_zero();
        if (y == -1) return Value::integer(wrap_to(id, static_cast<int64_t>(0 - u(a))));
        return Value::integer(wrap_to(id, a.as_int() / y));
      });
    case ArithOp::Modulo:  // sign of the dividend
      return make_binary(t, l, r, [](const Value& a, const Value& b, EvalContext&) {
        int64_t y = b.as_int();
        if (y == 0) division_by_zero();
        if (y == -1) return Value::integer(0);
        return Value::integer(a.as_int() % y);
      });
  }
  return nullptr;
}

CompiledExprPtr approximate_arithmetic(ArithOp op, CompiledExprPtr l, CompiledExprPtr r, Type t) {
  bool single = t.id == TypeId::Float;
  auto finish = [single](double d) { return Value::real(single ? static_cast<double>(static_cast<float>(d)) : d); };
  switch (op) {
    case ArithOp::Add:
      return make_binary(t, l, r, [finish](const Value& a, const Value& b, EvalContext&) { return finish(a.as_double() + b.as_double()); });
    case ArithOp::Subtract:
      return make_binary(t, l, r, [finish](const Value& a, const Value& b, EvalContext&) { return finish(a.as_double() - b.as_double()); });
    case ArithOp::Multiply:
      return make_binary(t, l, r, [finish](const Value& a, const Value& b, EvalContext&) { return finish(a.as_double() * b.as_double()); });
    case ArithOp::Divide:
      return make_binary(t, l, r, [finish](const Value& a, const Value& b, EvalContext&) { return finish(a.as_double() / b.as_double()); });
    case ArithOp::Modulo:
      return make_binary(t, l, r, [finish](const Value& a, const Value& b, EvalContext&) { return finish(std::fmod(a.as_double(), b.as_double())); });
  }
  return nullptr;
}

// Operands are INTEGER or DECIMAL cells; Value::unscaled() reads both, so
// integers need no conversion node (they are DECIMAL(p, 0)).
CompiledExprPtr decimal_arithmetic(ArithOp op, CompiledExprPtr l, CompiledExprPtr r) {
  Type da = decimal_type_of(l->type()), db = decimal_type_of(r->type());
  Type t;
  switch (op) {
    case ArithOp::Add:
    case ArithOp::Subtract: t = decimal_add_type(da, db); break;
    case ArithOp::Multiply: t = decimal_multiply_type(da, db); break;
    case ArithOp::Divide: t = decimal_divide_type(da, db); break;
    case ArithOp::Modulo: t = decimal_modulo_type(da, db); break;
  }
  int sa = da.scale, sb = db.scale, p = t.precision, s = t.scale;
  auto fn = op == ArithOp::Add        ? &decimal_add
            : op == ArithOp::Subtract ? &decimal_subtract
            : op == ArithOp::Multiply ? &decimal_multiply
            : op == ArithOp::Divide   ? &decimal_divide
                                      : &decimal_modulo;
  bool divides = op == ArithOp::Divide || op == ArithOp::Modulo;
  return make_binary(t, std::move(l), std::move(r), [=](const Value& a, const Value& b, EvalContext& ctx) {
    __int128 y = b.unscaled();
    if (divides && y == 0) division_by_zero();
    auto out = fn(a.unscaled(), sa, y, sb, p, s);
    return out ? decimal_value(*out, arena_of(ctx)) : Value::null();  // overflow of the result precision -> NULL
  });
}

// Calendar month arithmetic: the day is clamped to the end of the target month (java.time plusMonths).
int64_t add_months_to_days(int64_t days, int64_t months) {
  CivilDate d = civil_from_days(days);
  int64_t total = d.year * 12 + (d.month - 1) + months;
  int64_t year = floor_div(total, 12);
  unsigned month = static_cast<unsigned>(floor_mod(total, 12) + 1);
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  unsigned last = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return days_from_civil(year, month, d.day > last ? last : d.day);
}

int64_t add_months_to_millis(int64_t millis, int64_t months) {
  int64_t days = floor_div(millis, kMillisPerDay);
  return add_months_to_days(days, months) * kMillisPerDay + floor_mod(millis, kMillisPerDay);
}

// Datetime ± interval, interval ± interval, interval × / ÷ number. nullptr if not temporal.
CompiledExprPtr temporal_arithmetic(ArithOp op, CompiledExprPtr l, CompiledExprPtr r, bool nullable) {
  Cat cl = category(l->type()), cr = category(r->type());
  bool additive = op == ArithOp::Add || op == ArithOp::Subtract;
  int64_t sign = op == ArithOp::Subtract ? -1 : 1;
  auto is_interval = [](Cat c) { return c == Cat::IntervalDayTime || c == Cat::IntervalYearMonth; };
  auto is_datetime = [](Cat c) { return c == Cat::Timestamp || c == Cat::Date || c == Cat::Time; };
  if (additive && op == ArithOp::Add && is_interval(cl) && is_datetime(cr)) std::swap(l, r), std::swap(cl, cr);
  if (additive && is_datetime(cl) && is_interval(cr)) {
    Type t = l->type().with_nullable(nullable).with_time_attr(TimeAttr::None);
    bool months = cr == Cat::IntervalYearMonth;
    switch (cl) {
      case Cat::Timestamp:
        if (months)
          return make_binary(t, l, r, [sign](const Value& a, const Value& b, EvalContext&) {
            return Value::timestamp(add_months_to_millis(a.as_int(), sign * b.as_int()), a.nano_of_milli());
          });
        // Intervals are whole milliseconds: the nanoseconds below stay as they are.
        return make_binary(t, l, r, [sign](const Value& a, const Value& b, EvalContext&) {
          return Value::timestamp(a.as_int() + sign * b.as_int(), a.nano_of_milli());
        });
      case Cat::Date:
        if (months)
          return make_binary(t, l, r, [sign](const Value& a, const Value& b, EvalContext&) {
            return Value::integer(add_months_to_days(a.as_int(), sign * b.as_int()));
          });
        return make_binary(t, l, r, [sign](const Value& a, const Value& b, EvalContext&) {
          return Value::integer(a.as_int() + sign * floor_div(b.as_int(), kMillisPerDay));
        });
      case Cat::Time:
        if (months) return make_binary(t, l, r, [](const Value& a, const Value&, EvalContext&) { return a; });
        return make_binary(t, l, r, [sign](const Value& a, const Value& b, EvalContext&) {
          return Value::integer(floor_mod(a.as_int() + sign * b.as_int(), kMillisPerDay));
        });
      default: break;
    }
  }
  if (additive && is_interval(cl) && cl == cr)
    return make_binary(l->type().with_nullable(nullable), l, r, [sign](const Value& a, const Value& b, EvalContext&) {
      return Value::integer(a.as_int() + sign * b.as_int());
    });
  if (op == ArithOp::Multiply && is_interval(cr) && cl == Cat::Integer) std::swap(l, r), std::swap(cl, cr);
  if ((op == ArithOp::Multiply || op == ArithOp::Divide) && is_interval(cl) && cr == Cat::Integer) {
    Type t = l->type().with_nullable(nullable);
    if (op == ArithOp::Multiply)
      return make_binary(t, l, r, [](const Value& a, const Value& b, EvalContext&) { return Value::integer(a.as_int() * b.as_int()); });
    return make_binary(t, l, r, [](const Value& a, const Value& b, EvalContext&) {
      if (b.as_int() == 0) division_by_zero();
      return Value::integer(a.as_int() / b.as_int());
    });
  }
  return nullptr;
}

}  // namespace

CompiledExprPtr arithmetic(ArithOp op, CompiledExprPtr l, CompiledExprPtr r, const SourceLocation& loc) {
  const Type& a = l->type();
  const Type& b = r->type();
  if (a.id == TypeId::Null && b.id == TypeId::Null)
    type_error(loc, std::string("cannot apply '") + symbol_of(op) + "' to NULL and NULL (cast one of them to a type)");
  if (a.id == TypeId::Null) return null_literal(b);
  if (b.id == TypeId::Null) return null_literal(a);
  bool nullable = a.nullable || b.nullable;
  Cat ca = category(a), cb = category(b);
  if (a.is_numeric() && b.is_numeric()) {
    if (ca == Cat::Integer && cb == Cat::Integer) {
      Type t = (integer_rank(a) >= integer_rank(b) ? a : b).with_nullable(nullable).with_time_attr(TimeAttr::None);
      return integer_arithmetic(op, std::move(l), std::move(r), t);
    }
    if (ca == Cat::Approx || cb == Cat::Approx) {
      Type t = (a.id == TypeId::Float && b.id == TypeId::Float ? Type::float_type() : Type::double_type()).with_nullable(nullable);
      return approximate_arithmetic(op, coerce(std::move(l), Type::double_type()), coerce(std::move(r), Type::double_type()), t);
    }
    return decimal_arithmetic(op, std::move(l), std::move(r));
  }
  if (auto temporal = temporal_arithmetic(op, l, r, nullable)) return temporal;
  type_error(loc, std::string("cannot apply '") + symbol_of(op) + "' to " + type_family_name(a) + " and " +
                      type_family_name(b));
}

CompiledExprPtr negate(CompiledExprPtr operand, const SourceLocation& loc) {
  Type t = operand->type().with_time_attr(TimeAttr::None);
  switch (category(t)) {
    case Cat::Integer: {
      TypeId id = t.id;
      return make_unary(t, std::move(operand), [id](const Value& v, EvalContext&) {
        return Value::integer(wrap_to(id, static_cast<int64_t>(0 - static_cast<uint64_t>(v.as_int()))));
      });
    }
    case Cat::Approx:
      return make_unary(t, std::move(operand), [](const Value& v, EvalContext&) { return Value::real(-v.as_double()); });
    case Cat::Decimal:
      return make_unary(t, std::move(operand), [](const Value& v, EvalContext& ctx) { return decimal_value(-v.unscaled(), arena_of(ctx)); });
    case Cat::IntervalDayTime:
    case Cat::IntervalYearMonth:
      return make_unary(t, std::move(operand), [](const Value& v, EvalContext&) { return Value::integer(-v.as_int()); });
    case Cat::Null: return operand;
    default: type_error(loc, "cannot apply '-' to " + type_family_name(t));
  }
}

}  // namespace ananas::expr
