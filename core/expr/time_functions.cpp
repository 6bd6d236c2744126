// Time functions: clocks, EXTRACT and its shorthands, TIMESTAMPADD/DIFF,
// FLOOR/CEIL(ts TO unit), DATE_FORMAT, TO_TIMESTAMP, TO_DATE, UNIX_TIMESTAMP,
// FROM_UNIXTIME. Every timestamp is a UTC wall clock in epoch millis.
#include <memory>

#include "core/expr/builders.hpp"
#include "core/expr/date_pattern.hpp"
#include "core/expr/functions.hpp"
#include "core/expr/nodes.hpp"
#include "core/expr/type_rules.hpp"
#include "core/timefmt.hpp"

namespace ananas::expr {

using namespace detail;

namespace {

using PatternPtr = std::shared_ptr<const DatePattern>;

const char* unit_name(TimeUnitArg u) {
  switch (u) {
    case TimeUnitArg::Year: return "YEAR";
    case TimeUnitArg::Quarter: return "QUARTER";
    case TimeUnitArg::Month: return "MONTH";
    case TimeUnitArg::Week: return "WEEK";
    case TimeUnitArg::Day: return "DAY";
    case TimeUnitArg::Hour: return "HOUR";
    case TimeUnitArg::Minute: return "MINUTE";
    case TimeUnitArg::Second: return "SECOND";
    case TimeUnitArg::Millisecond: return "MILLISECOND";
    case TimeUnitArg::Microsecond: return "MICROSECOND";
    case TimeUnitArg::Nanosecond: return "NANOSECOND";
  }
  return "?";
}

// Fixed-length units in millis; 0 for calendar units (month based).
int64_t unit_millis(TimeUnitArg u) {
  switch (u) {
    case TimeUnitArg::Week: return 7 * kMillisPerDay;
    case TimeUnitArg::Day: return kMillisPerDay;
    case TimeUnitArg::Hour: return kMillisPerHour;
    case TimeUnitArg::Minute: return kMillisPerMinute;
    case TimeUnitArg::Second: return kMillisPerSecond;
    case TimeUnitArg::Millisecond: return 1;
    default: return 0;
  }
}

int64_t unit_months(TimeUnitArg u) {
  switch (u) {
    case TimeUnitArg::Year: return 12;
    case TimeUnitArg::Quarter: return 3;
    case TimeUnitArg::Month: return 1;
    default: return 0;
  }
}

// DATE cells are days, TIME cells millis of day, timestamps epoch millis.
int64_t to_millis(const Value& v, Cat c) { return c == Cat::Date ? v.as_int() * kMillisPerDay : v.as_int(); }

int64_t add_months(int64_t millis, int64_t months) {
  int64_t days = floor_div(millis, kMillisPerDay);
  CivilDate d = civil_from_days(days);
  int64_t total = d.year * 12 + (d.month - 1) + months;
  int64_t year = floor_div(total, 12);
  unsigned month = static_cast<unsigned>(floor_mod(total, 12) + 1);
  unsigned day = d.day;
  while (day > 28 && civil_from_days(days_from_civil(year, month, day)).month != month) --day;  // clamp to month end
  return days_from_civil(year, month, day) * kMillisPerDay + floor_mod(millis, kMillisPerDay);
}

// ISO-8601 week number (what Flink's EXTRACT(WEEK) returns).
int64_t iso_week(int64_t days) {
  int64_t weekday = floor_mod(days + 3, 7);  // 0 = Monday (1970-01-01 was a Thursday)
  int64_t thursday = days - weekday + 3;
  CivilDate t = civil_from_days(thursday);
  int64_t jan1 = days_from_civil(t.year, 1, 1);
  return (thursday - jan1) / 7 + 1;
}

int64_t extract_field(TimeUnitArg unit, int64_t millis) {
  int64_t days = floor_div(millis, kMillisPerDay);
  int64_t ms = floor_mod(millis, kMillisPerDay);
  switch (unit) {
    case TimeUnitArg::Year: return civil_from_days(days).year;
    case TimeUnitArg::Quarter: return (civil_from_days(days).month - 1) / 3 + 1;
    case TimeUnitArg::Month: return civil_from_days(days).month;
    case TimeUnitArg::Week: return iso_week(days);
    case TimeUnitArg::Day: return civil_from_days(days).day;
    case TimeUnitArg::Hour: return ms / kMillisPerHour;
    case TimeUnitArg::Minute: return ms / kMillisPerMinute % 60;
    case TimeUnitArg::Second: return ms / kMillisPerSecond % 60;
    case TimeUnitArg::Millisecond: return ms % kMillisPerMinute;  // seconds and millis, as Calcite
    case TimeUnitArg::Microsecond: return ms % kMillisPerMinute * 1000;
    case TimeUnitArg::Nanosecond: return ms % kMillisPerMinute * 1000000;
  }
  return 0;
}

CompiledExprPtr extract_with(int kind, CompiledExprPtr operand, const SourceLocation& loc, const char* fn) {
  Cat c = category(operand->type());
  if (c != Cat::Timestamp && c != Cat::Date && c != Cat::Time && c != Cat::Null)
    type_error(loc, std::string(fn) + " expects a date, time or timestamp, not " + type_family_name(operand->type()));
  Type t = Type::bigint().with_nullable(operand->type().nullable);
  // kind >= 0: a TimeUnitArg; -1 day of year; -2 day of week (1 = Sunday).
  return make_unary(t, std::move(operand), [kind, c](const Value& v, EvalContext&) {
    int64_t millis = to_millis(v, c);
    if (kind == -1) {
      int64_t days = floor_div(millis, kMillisPerDay);
      return Value::integer(days - days_from_civil(civil_from_days(days).year, 1, 1) + 1);
    }
    if (kind == -2) return Value::integer(floor_mod(floor_div(millis, kMillisPerDay) + 4, 7) + 1);
    // Flink's ExtractCallGen adds the timestamp's nanoseconds below the
    // millisecond to MICROSECOND (nano / 1000) and NANOSECOND.
    int64_t below_milli = 0;
    if (kind == static_cast<int>(TimeUnitArg::Microsecond)) below_milli = v.nano_of_milli() / 1000;
    if (kind == static_cast<int>(TimeUnitArg::Nanosecond)) below_milli = v.nano_of_milli();
    return Value::integer(extract_field(static_cast<TimeUnitArg>(kind), millis) + below_milli);
  });
}

template <TimeUnitArg U>
CompiledExprPtr build_part(Args& args, const SourceLocation& loc) {
  return extract_with(static_cast<int>(U), args[0], loc, unit_name(U));
}
CompiledExprPtr build_dayofyear(Args& args, const SourceLocation& loc) { return extract_with(-1, args[0], loc, "DAYOFYEAR"); }
CompiledExprPtr build_dayofweek(Args& args, const SourceLocation& loc) { return extract_with(-2, args[0], loc, "DAYOFWEEK"); }

// ------------------------------------------------------------ clocks

CompiledExprPtr clock(Type t, const SourceLocation& loc, int64_t divisor) {
  return make_nary(t.with_nullable(false), {}, [divisor](const Value*, size_t, EvalContext& ctx) {
    return Value::integer(floor_div(ctx.proctime_millis, divisor));
  }, false, loc);
}
CompiledExprPtr build_current_timestamp(Args&, const SourceLocation& loc) { return clock(Type::timestamp_ltz(3), loc, 1); }
CompiledExprPtr build_localtimestamp(Args&, const SourceLocation& loc) { return clock(Type::timestamp(3), loc, 1); }
CompiledExprPtr build_proctime(Args&, const SourceLocation& loc) {
  return clock(Type::timestamp_ltz(3).with_time_attr(TimeAttr::Proctime), loc, 1);
}
CompiledExprPtr build_current_date(Args&, const SourceLocation& loc) { return clock(Type::date(), loc, kMillisPerDay); }
CompiledExprPtr build_current_time(Args&, const SourceLocation& loc) {
  return make_nary(Type::time(0).with_nullable(false), {}, [](const Value*, size_t, EvalContext& ctx) {
    return Value::integer(floor_mod(ctx.proctime_millis, kMillisPerDay) / 1000 * 1000);
  }, false, loc);
}

// ------------------------------------------------------------ patterns

// The pattern compiled at build time when it is a literal (bad patterns are input errors).
PatternPtr constant_pattern(const Args& args, size_t i, const SourceLocation& loc) {
  if (i >= args.size()) return nullptr;
  const LiteralNode* lit = as_literal(args[i]);
  if (!lit || lit->value().is_null()) return nullptr;
  std::string error;
  auto p = DatePattern::compile(lit->value().as_string(), &error);
  if (!p) type_error(loc, error);
  return std::make_shared<const DatePattern>(std::move(*p));
}

DatePattern row_pattern(const Value& v) {
  std::string error;
  auto p = DatePattern::compile(v.as_string(), &error);
  if (!p) throw EvalError(error);
  return std::move(*p);
}

const DatePattern& default_pattern() {
  static const DatePattern p = *DatePattern::compile("yyyy-MM-dd HH:mm:ss", nullptr);
  return p;
}

std::string& scratch() {
  thread_local std::string s;
  s.clear();
  return s;
}

// Parses with the pattern argument `i` (constant or per row), or with `fallback` when there is none.
template <class Fallback>
std::optional<int64_t> parse_with(const PatternPtr& constant, const Value* v, size_t n, size_t i, Fallback fallback) {
  std::string_view text = v[0].as_string();
  if (constant) return constant->parse(text);
  if (n > i) return row_pattern(v[i]).parse(text);
  return fallback(text);
}

CompiledExprPtr build_to_timestamp(Args& args, const SourceLocation& loc) {
  require_character(args, 0, "TO_TIMESTAMP", loc);
  if (args.size() > 1) require_character(args, 1, "TO_TIMESTAMP", loc);
  PatternPtr constant = constant_pattern(args, 1, loc);
  return make_nary(Type::timestamp(3).with_nullable(true), args, [constant](const Value* v, size_t n, EvalContext&) {
    auto t = parse_with(constant, v, n, 1, [](std::string_view s) { return parse_timestamp(s); });
    return t ? Value::integer(*t) : Value::null();
  }, true, loc);
}

CompiledExprPtr build_to_date(Args& args, const SourceLocation& loc) {
  require_character(args, 0, "TO_DATE", loc);
  if (args.size() > 1) require_character(args, 1, "TO_DATE", loc);
  PatternPtr constant = constant_pattern(args, 1, loc);
  return make_nary(Type::date().with_nullable(true), args, [constant](const Value* v, size_t n, EvalContext&) {
    auto t = parse_with(constant, v, n, 1, [](std::string_view s) -> std::optional<int64_t> {
      auto d = parse_date(s);
      return d ? std::optional<int64_t>(*d * kMillisPerDay) : std::nullopt;
    });
    return t ? Value::integer(floor_div(*t, kMillisPerDay)) : Value::null();
  }, true, loc);
}

// DATE_FORMAT(timestamp | string, pattern)
CompiledExprPtr build_date_format(Args& args, const SourceLocation& loc) {
  Cat c = category(args[0]->type());
  if (c != Cat::Timestamp && c != Cat::Date && c != Cat::Character && c != Cat::Null)
    type_error(loc, "DATE_FORMAT expects a timestamp or a string as argument 1, not " + type_family_name(args[0]->type()));
  require_character(args, 1, "DATE_FORMAT", loc);
  PatternPtr constant = constant_pattern(args, 1, loc);
  return make_nary(Type::string().with_nullable(true), args, [constant, c](const Value* v, size_t, EvalContext& ctx) {
    int64_t millis;
    if (c == Cat::Character) {
      auto t = parse_timestamp(v[0].as_string());
      if (!t) return Value::null();
      millis = *t;
    } else {
      millis = to_millis(v[0], c);
    }
    std::string& out = scratch();
    if (constant) constant->format(out, millis);
    else row_pattern(v[1]).format(out, millis);
    return arena_string(ctx, out);
  }, true, loc);
}

// UNIX_TIMESTAMP() = now in seconds; UNIX_TIMESTAMP(str [, fmt]) parses, and
// like Flink returns Long.MIN_VALUE for text it cannot parse.
CompiledExprPtr build_unix_timestamp(Args& args, const SourceLocation& loc) {
  if (args.empty()) return clock(Type::bigint(), loc, 1000);
  require_character(args, 0, "UNIX_TIMESTAMP", loc);
  if (args.size() > 1) require_character(args, 1, "UNIX_TIMESTAMP", loc);
  PatternPtr constant = constant_pattern(args, 1, loc);
  return make_nary(Type::bigint().with_nullable(nullable_args(args)), args, [constant](const Value* v, size_t n, EvalContext&) {
    auto t = parse_with(constant, v, n, 1, [](std::string_view s) { return default_pattern().parse(s); });
    return Value::integer(t ? floor_div(*t, 1000) : INT64_MIN);
  }, true, loc);
}

CompiledExprPtr build_from_unixtime(Args& args, const SourceLocation& loc) {
  require_integer(args, 0, "FROM_UNIXTIME", loc);
  if (args.size() > 1) require_character(args, 1, "FROM_UNIXTIME", loc);
  PatternPtr constant = constant_pattern(args, 1, loc);
  return make_nary(Type::string().with_nullable(nullable_args(args)), args, [constant](const Value* v, size_t n, EvalContext& ctx) {
    int64_t millis = v[0].as_int() * 1000;
    std::string& out = scratch();
    if (constant) constant->format(out, millis);
    else if (n > 1) row_pattern(v[1]).format(out, millis);
    else default_pattern().format(out, millis);
    return arena_string(ctx, out);
  }, true, loc);
}

const FunctionDef kTimeFunctions[] = {
    {"CURRENT_TIMESTAMP", 0, 0, build_current_timestamp},
    {"NOW", 0, 0, build_current_timestamp},
    {"LOCALTIMESTAMP", 0, 0, build_localtimestamp},
    {"PROCTIME", 0, 0, build_proctime},
    {"CURRENT_DATE", 0, 0, build_current_date},
    {"CURRENT_TIME", 0, 0, build_current_time},
    {"LOCALTIME", 0, 0, build_current_time},
    {"YEAR", 1, 1, build_part<TimeUnitArg::Year>},
    {"QUARTER", 1, 1, build_part<TimeUnitArg::Quarter>},
    {"MONTH", 1, 1, build_part<TimeUnitArg::Month>},
    {"WEEK", 1, 1, build_part<TimeUnitArg::Week>},
    {"DAYOFMONTH", 1, 1, build_part<TimeUnitArg::Day>},
    {"DAYOFYEAR", 1, 1, build_dayofyear},
    {"DAYOFWEEK", 1, 1, build_dayofweek},
    {"HOUR", 1, 1, build_part<TimeUnitArg::Hour>},
    {"MINUTE", 1, 1, build_part<TimeUnitArg::Minute>},
    {"SECOND", 1, 1, build_part<TimeUnitArg::Second>},
    {"TO_TIMESTAMP", 1, 2, build_to_timestamp},
    {"TO_DATE", 1, 2, build_to_date},
    {"DATE_FORMAT", 2, 2, build_date_format},
    {"UNIX_TIMESTAMP", 0, 2, build_unix_timestamp},
    {"FROM_UNIXTIME", 1, 2, build_from_unixtime},
};

}  // namespace

namespace detail {
std::span<const FunctionDef> time_functions() { return kTimeFunctions; }
}  // namespace detail

CompiledExprPtr extract(TimeUnitArg unit, CompiledExprPtr operand, const SourceLocation& loc) {
  Cat c = category(operand->type());
  if (c == Cat::Time && unit_millis(unit) == 0 && unit != TimeUnitArg::Millisecond)
    type_error(loc, std::string("cannot extract ") + unit_name(unit) + " from TIME");
  return extract_with(static_cast<int>(unit), std::move(operand), loc, "EXTRACT");
}

CompiledExprPtr timestamp_add(TimeUnitArg unit, CompiledExprPtr count, CompiledExprPtr ts, const SourceLocation& loc) {
  Args args{count, ts};
  require_integer(args, 0, "TIMESTAMPADD", loc);
  require_temporal(args, 1, "TIMESTAMPADD", loc);
  if (unit == TimeUnitArg::Microsecond || unit == TimeUnitArg::Nanosecond)
    type_error(loc, std::string("TIMESTAMPADD does not support ") + unit_name(unit) + " (timestamps have millisecond precision)");
  Cat c = category(ts->type());
  int64_t step = unit_millis(unit), months = unit_months(unit);
  bool date_result = c == Cat::Date && (months > 0 || step % kMillisPerDay == 0);
  Type t = date_result ? Type::date() : (c == Cat::Date ? Type::timestamp(3) : ts->type().with_time_attr(TimeAttr::None));
  t.nullable = nullable_args(args);
  return make_binary(t, std::move(count), std::move(ts), [c, step, months, date_result](const Value& n, const Value& v, EvalContext&) {
    int64_t millis = to_millis(v, c);
    int64_t out = months > 0 ? add_months(millis, n.as_int() * months) : millis + n.as_int() * step;
    if (c == Cat::Time) out = floor_mod(out, kMillisPerDay);
    return Value::integer(date_result ? floor_div(out, kMillisPerDay) : out);
  });
}

CompiledExprPtr timestamp_diff(TimeUnitArg unit, CompiledExprPtr from, CompiledExprPtr to, const SourceLocation& loc) {
  Args args{from, to};
  require_temporal(args, 0, "TIMESTAMPDIFF", loc);
  require_temporal(args, 1, "TIMESTAMPDIFF", loc);
  if (unit == TimeUnitArg::Microsecond || unit == TimeUnitArg::Nanosecond)
    type_error(loc, std::string("TIMESTAMPDIFF does not support ") + unit_name(unit));
  Cat ca = category(from->type()), cb = category(to->type());
  int64_t step = unit_millis(unit), months = unit_months(unit);
  Type t = Type::integer().with_nullable(nullable_args(args));
  return make_binary(t, std::move(from), std::move(to), [=](const Value& x, const Value& y, EvalContext&) {
    int64_t a = to_millis(x, ca), b = to_millis(y, cb);
    if (months == 0) return Value::integer(static_cast<int32_t>((b - a) / step));
    // Whole months between the two, not counting a partial last month.
    CivilDate da = civil_from_days(floor_div(a, kMillisPerDay)), db = civil_from_days(floor_div(b, kMillisPerDay));
    int64_t m = (db.year * 12 + db.month) - (da.year * 12 + da.month);
    int64_t rest_a = (int64_t{da.day} * kMillisPerDay) + floor_mod(a, kMillisPerDay);
    int64_t rest_b = (int64_t{db.day} * kMillisPerDay) + floor_mod(b, kMillisPerDay);
    if (m > 0 && rest_b < rest_a) --m;
    if (m < 0 && rest_b > rest_a) ++m;
    return Value::integer(static_cast<int32_t>(m / months));
  });
}

CompiledExprPtr floor_ceil_time(bool ceil, CompiledExprPtr ts, TimeUnitArg unit, const SourceLocation& loc) {
  Args args{ts};
  require_temporal(args, 0, ceil ? "CEIL" : "FLOOR", loc);
  Cat c = category(ts->type());
  int64_t step = unit_millis(unit), months = unit_months(unit);
  if (unit == TimeUnitArg::Microsecond || unit == TimeUnitArg::Nanosecond) step = 1;
  Type t = ts->type().with_time_attr(TimeAttr::None);
  return make_unary(t, std::move(ts), [=](const Value& v, EvalContext&) {
    int64_t millis = to_millis(v, c);
    int64_t out;
    if (months > 0) {
      CivilDate d = civil_from_days(floor_div(millis, kMillisPerDay));
      int64_t total = d.year * 12 + (d.month - 1);
      total -= floor_mod(total, months);
      int64_t start = days_from_civil(floor_div(total, 12), static_cast<unsigned>(floor_mod(total, 12) + 1), 1) * kMillisPerDay;
      out = ceil && start != millis ? add_months(start, months) : start;
    } else if (unit == TimeUnitArg::Week) {
      // Weeks start on Monday; 1970-01-05 was one.
      int64_t monday = 4 * kMillisPerDay;
      int64_t start = millis - floor_mod(millis - monday, step);
      out = ceil && start != millis ? start + step : start;
    } else {
      int64_t start = millis - floor_mod(millis, step);
      out = ceil && start != millis ? start + step : start;
    }
    return Value::integer(c == Cat::Date ? floor_div(out, kMillisPerDay) : out);
  });
}

}  // namespace ananas::expr
