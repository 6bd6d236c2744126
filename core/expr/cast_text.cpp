// The text of a value as CAST(x AS STRING) prints it in Flink 1.15+.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/decimal.hpp"
#include "core/expr/coerce.hpp"
#include "core/json/java_number_text.hpp"
#include "core/timefmt.hpp"

namespace ananas::expr::detail {

static void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Flink's interval text: `+0 00:00:05.000` (day-time), `+1-02` (year-month).
static void append_interval_day_time(std::string& out, int64_t millis) {
  out += millis < 0 ? '-' : '+';
  uint64_t m = millis < 0 ? 0 - static_cast<uint64_t>(millis) : static_cast<uint64_t>(millis);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%llu %02llu:%02llu:%02llu.%03llu", static_cast<unsigned long long>(m / 86400000),
                static_cast<unsigned long long>(m / 3600000 % 24), static_cast<unsigned long long>(m / 60000 % 60),
                static_cast<unsigned long long>(m / 1000 % 60), static_cast<unsigned long long>(m % 1000));
  out += buf;
}

static void append_interval_year_month(std::string& out, int64_t months) {
  out += months < 0 ? '-' : '+';
  uint64_t m = months < 0 ? 0 - static_cast<uint64_t>(months) : static_cast<uint64_t>(months);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%llu-%02llu", static_cast<unsigned long long>(m / 12),
                static_cast<unsigned long long>(m % 12));
  out += buf;
}

static void append_element(std::string& out, const Value& v, const Type& t) {
  if (v.is_null()) out += "NULL";
  else append_cast_text(out, v, t);
}

void append_cast_text(std::string& out, const Value& v, const Type& t) {
  switch (t.id) {
    case TypeId::Null: out += "NULL"; return;
    case TypeId::Boolean: out += v.as_bool() ? "TRUE" : "FALSE"; return;
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Int:
    case TypeId::BigInt: append_int(out, v.as_int()); return;
    case TypeId::Float:
    case TypeId::Double: {
      double d = v.as_double();
      // Java's names for the values the JSON number printer does not take.
      if (std::isnan(d)) out += "NaN";
      else if (std::isinf(d)) out += d < 0 ? "-Infinity" : "Infinity";
      else if (t.id == TypeId::Float) append_java_float(out, static_cast<float>(d));
      else append_java_double(out, d);
      return;
    }
    case TypeId::Decimal: append_big_decimal_plain(out, v.unscaled(), t.scale); return;
    case TypeId::Char:
    case TypeId::Varchar:
    case TypeId::Binary: out += v.as_string(); return;
    case TypeId::Date: append_date(out, v.as_int()); return;
    case TypeId::Time: out += format_time(v.as_int(), t.precision); return;
    case TypeId::Timestamp:
    case TypeId::TimestampLtz: append_timestamp_sql(out, v.as_int(), t.precision, v.nano_of_milli()); return;
    case TypeId::IntervalDayTime: append_interval_day_time(out, v.as_int()); return;
    case TypeId::IntervalYearMonth: append_interval_year_month(out, v.as_int()); return;
    case TypeId::Array: {
      out += '[';
      auto e = v.elements();
      for (size_t i = 0; i < e.size(); ++i) {
        if (i) out += ", ";
        append_element(out, e[i], t.children[0]);
      }
      out += ']';
      return;
    }
    case TypeId::Row: {
      out += '(';
      auto e = v.elements();
      for (size_t i = 0; i < e.size() && i < t.children.size(); ++i) {
        if (i) out += ", ";
        append_element(out, e[i], t.children[i]);
      }
      out += ')';
      return;
    }
    case TypeId::Map: {
      out += '{';
      auto e = v.elements();
      for (size_t i = 0; i + 1 < e.size(); i += 2) {
        if (i) out += ", ";
        append_element(out, e[i], t.children[0]);
        out += '=';
        append_element(out, e[i + 1], t.children[1]);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace ananas::expr::detail
