// SQL literals -> constant expressions, typed as Calcite/Flink type them
// (Flink docs, Table API & SQL > Data Types; Calcite SqlLiteral typing): 30 -> INT, 100.0 -> DECIMAL(4, 1), 1e2 -> DOUBLE, 'x' -> CHAR(1).
#include <cstdlib>

#include "core/decimal.hpp"
#include "core/expr/bind_literal.hpp"
#include "core/expr/builders.hpp"
#include "core/sql/expr_parser.hpp"
#include "core/timefmt.hpp"

namespace ananas::expr {

namespace {

[[noreturn]] void bad(const sql::Literal& l, const std::string& what) {
  throw InputError(l.loc, what);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Splits "d h:m:s.f" style interval text into its numbers.
std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ' ' || s[i] == ':' || s[i] == '-') {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

int64_t unit_ms(sql::TimeUnit u) {
  switch (u) {
    case sql::TimeUnit::Week: return 7 * kMillisPerDay;
    case sql::TimeUnit::Day: return kMillisPerDay;
    case sql::TimeUnit::Hour: return kMillisPerHour;
    case sql::TimeUnit::Minute: return kMillisPerMinute;
    case sql::TimeUnit::Second: return kMillisPerSecond;
    case sql::TimeUnit::Millisecond: return 1;
    default: return 0;
  }
}

// The seconds field may carry a fraction: "1.5" -> 1500 ms.
std::optional<int64_t> seconds_field_ms(std::string_view f) {
  size_t dot = f.find('.');
  std::string_view whole = f.substr(0, dot);
  if (!all_digits(whole) || whole.size() > 12) return std::nullopt;
  int64_t ms = std::stoll(std::string(whole)) * 1000;
  if (dot != std::string_view::npos) {
    std::string_view frac = f.substr(dot + 1);
    if (!all_digits(frac)) return std::nullopt;
    int64_t scale = 100;
    for (size_t i = 0; i < frac.size() && i < 3; ++i, scale /= 10) ms += (frac[i] - '0') * scale;
  }
  return ms;
}

CompiledExprPtr interval(const sql::Literal& l) {
  std::string_view text = l.text;
  bool negative = l.negative;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = negative != (text.front() == '-');
    text.remove_prefix(1);
  }
  const sql::IntervalQualifier& q = l.interval;
  sql::TimeUnit end = q.end.value_or(q.start);
  auto fields = split_fields(text);
  std::string form = std::string("INTERVAL '") + l.text + "' " + sql::time_unit_name(q.start) +
                     (q.end ? std::string(" TO ") + sql::time_unit_name(*q.end) : "");
  auto fail = [&]() -> CompiledExprPtr { bad(l, "invalid interval literal " + form); };

  if (q.start == sql::TimeUnit::Year || q.start == sql::TimeUnit::Month) {
    int64_t months = 0;
    if (q.start == sql::TimeUnit::Year && end == sql::TimeUnit::Month) {
      if (fields.size() != 2 || !all_digits(fields[0]) || !all_digits(fields[1]) || fields[0].size() > 9) return fail();
      months = std::stoll(std::string(fields[0])) * 12 + std::stoll(std::string(fields[1]));
    } else {
      if (fields.size() != 1 || !all_digits(fields[0]) || fields[0].size() > 9) return fail();
      months = std::stoll(std::string(fields[0])) * (q.start == sql::TimeUnit::Year ? 12 : 1);
    }
    return literal(Value::integer(negative ? -months : months), Type::interval_year_month());
  }
  // Day-time: fields run from the start unit down to the end unit.
  static const sql::TimeUnit kOrder[] = {sql::TimeUnit::Day, sql::TimeUnit::Hour, sql::TimeUnit::Minute, sql::TimeUnit::Second};
  int first = -1, last = -1;
  for (int i = 0; i < 4; ++i) {
    if (kOrder[i] == q.start) first = i;
    if (kOrder[i] == end) last = i;
  }
  int64_t millis = 0;
  if (first < 0 || last < 0) {
    // A single-unit interval such as MILLISECOND or WEEK.
    if (fields.size() != 1 || !all_digits(fields[0]) || fields[0].size() > 15 || unit_ms(q.start) == 0) return fail();
    millis = std::stoll(std::string(fields[0])) * unit_ms(q.start);
  } else {
    if (last < first || fields.size() != static_cast<size_t>(last - first + 1)) return fail();
    for (int i = first; i <= last; ++i) {
      std::string_view f = fields[static_cast<size_t>(i - first)];
      if (kOrder[i] == sql::TimeUnit::Second) {
        auto ms = seconds_field_ms(f);
        if (!ms) return fail();
        millis += *ms;
      } else {
        if (!all_digits(f) || f.size() > 12) return fail();
        millis += std::stoll(std::string(f)) * unit_ms(kOrder[i]);
      }
    }
  }
  return literal(Value::integer(negative ? -millis : millis), Type::interval_day_time());
}

int fraction_digits(std::string_view text) {
  size_t dot = text.find('.');
  if (dot == std::string_view::npos) return 0;
  int n = 0;
  for (size_t i = dot + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) ++n;
  return n > 9 ? 9 : n;
}

}  // namespace

CompiledExprPtr bind_literal(const sql::Literal& l, bool negated) {
  switch (l.literal_kind) {
    case sql::LiteralKind::Null: return null_literal();
    case sql::LiteralKind::Boolean: return literal(Value::boolean(l.bool_value), Type::boolean());
    case sql::LiteralKind::Integer: {
      if (l.text.size() > 38) bad(l, "numeric literal " + l.text + " is out of range");
      __int128 v = 0;
      for (char c : l.text) {
        if (c < '0' || c > '9') bad(l, "invalid numeric literal " + l.text);
        v = v * 10 + (c - '0');
      }
      if (negated) v = -v;
      if (v >= INT32_MIN && v <= INT32_MAX) return literal(Value::integer(static_cast<int64_t>(v)), Type::integer());
      if (v >= INT64_MIN && v <= INT64_MAX) return literal(Value::integer(static_cast<int64_t>(v)), Type::bigint());
      Arena arena;
      return literal(decimal_value(v, arena), Type::decimal(decimal_digit_count(v), 0));
    }
    case sql::LiteralKind::Decimal: {
      Type t = decimal_literal_type(l.text);
      if (t.precision > kMaxDecimalPrecision) bad(l, "numeric literal " + l.text + " has more than 38 digits");
      DecimalParse p = parse_decimal(l.text, t.precision, t.scale);
      if (p.status != DecimalParse::Status::Ok) bad(l, "invalid numeric literal " + l.text);
      Arena arena;
      return literal(decimal_value(negated ? -p.unscaled : p.unscaled, arena), t);
    }
    case sql::LiteralKind::Approximate: {
      char* end = nullptr;
      double d = std::strtod(l.text.c_str(), &end);
      if (end != l.text.c_str() + l.text.size()) bad(l, "invalid numeric literal " + l.text);
      return literal(Value::real(negated ? -d : d), Type::double_type());
    }
    case sql::LiteralKind::String: return string_literal(l.text);
    case sql::LiteralKind::Interval: {
      CompiledExprPtr e = interval(l);
      if (!negated) return e;
      return negate(e, l.loc);
    }
    case sql::LiteralKind::Timestamp: {
      auto t = parse_timestamp_precise(l.text);
      if (!t) bad(l, "invalid TIMESTAMP literal '" + l.text + "' (expected yyyy-MM-dd HH:mm:ss[.fff])");
      return literal(Value::timestamp(t->millis, t->nano_of_milli), Type::timestamp(fraction_digits(l.text)));
    }
    case sql::LiteralKind::Date: {
      auto d = parse_date(l.text);
      if (!d) bad(l, "invalid DATE literal '" + l.text + "' (expected yyyy-MM-dd)");
      return literal(Value::integer(*d), Type::date());
    }
    case sql::LiteralKind::Time: {
      auto t = parse_time(l.text);
      if (!t) bad(l, "invalid TIME literal '" + l.text + "' (expected HH:mm:ss)");
      return literal(Value::integer(*t), Type::time(fraction_digits(l.text)));
    }
  }
  bad(l, "unsupported literal");
}

}  // namespace ananas::expr
