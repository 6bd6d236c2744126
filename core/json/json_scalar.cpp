#include "core/json/json_scalar.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "core/json/json_text.hpp"
#include "core/timefmt.hpp"

namespace ananas {

std::string_view json_kind_name(JsonKind k) {
  switch (k) {
    case JsonKind::Null: return "null";
    case JsonKind::Bool: return "boolean";
    case JsonKind::Number: return "number";
    case JsonKind::String: return "string";
    case JsonKind::Object: return "object";
    case JsonKind::Array: return "array";
  }
  return "value";
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// java.lang.String.trim(): strips every char <= U+0020 at both ends.
std::string_view java_trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20) s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20) s.remove_suffix(1);
  return s;
}

// Long.parseLong / Integer.parseInt / Byte.parseByte: optional sign, decimal
// digits only, range checked.
std::optional<int64_t> parse_java_integer(std::string_view s, int64_t min, int64_t max) {
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  __int128 v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
    if (v > static_cast<__int128>(max) + 1) return std::nullopt;
  }
  if (negative) v = -v;
  if (v < min || v > max) return std::nullopt;
  return static_cast<int64_t>(v);
}

bool is_integer_token(std::string_view token) { return token.find_first_of(".eE") == std::string_view::npos; }

// from_chars for a JSON number token; out-of-range becomes ±Infinity or ±0
// as Java's parser rounds.
template <class F>
std::optional<F> parse_floating(std::string_view t) {
  const bool negative = !t.empty() && t.front() == '-';
  std::string_view body = negative ? t.substr(1) : t;
  if (!body.empty() && body.front() == '+') body.remove_prefix(1);
  F v{};
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::general);
  if (end != body.data() + body.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    const size_t e = body.find_first_of("eE");
    const bool tiny = e != std::string_view::npos && e + 1 < body.size() && body[e + 1] == '-';
    v = tiny ? F{0} : std::numeric_limits<F>::infinity();
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return negative ? -v : v;
}

// Double.parseDouble after trim: also NaN, Infinity and a d/f suffix.
template <class F>
std::optional<F> parse_java_floating(std::string_view s) {
  std::string_view body = s;
  bool negative = false;
  if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (body == "NaN") return std::numeric_limits<F>::quiet_NaN();
  if (body == "Infinity") return negative ? -std::numeric_limits<F>::infinity() : std::numeric_limits<F>::infinity();
  if (!body.empty() && std::string_view("dDfF").find(body.back()) != std::string_view::npos) body.remove_suffix(1);
  // Only decimal digits, one dot, one exponent: from_chars alone would also take "inf".
  bool digit = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (is_digit(c)) digit = true;
    else if (c != '.' && c != 'e' && c != 'E' && !((c == '-' || c == '+') && i > 0 && (body[i - 1] == 'e' || body[i - 1] == 'E')))
      return std::nullopt;
  }
  if (!digit) return std::nullopt;
  auto v = parse_floating<F>(body);
  if (!v) return std::nullopt;
  return negative ? -*v : *v;
}

// Fixed-width digits at s[pos..pos+n).
bool fixed_digits(std::string_view s, size_t& pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!is_digit(s[pos + i])) return false;
    out = out * 10 + (s[pos + i] - '0');
  }
  pos += n;
  return true;
}

bool lit(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

// ISO_LOCAL_DATE with a 4-digit year.
bool scan_iso_date(std::string_view s, size_t& pos, int64_t& days) {
  int64_t y, m, d;
  if (!fixed_digits(s, pos, 4, y) || !lit(s, pos, '-') || !fixed_digits(s, pos, 2, m) || !lit(s, pos, '-') ||
      !fixed_digits(s, pos, 2, d))
    return false;
  if (m < 1 || m > 12 || d < 1) return false;
  const int64_t next = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, static_cast<unsigned>(m + 1), 1);
  const int64_t first = days_from_civil(y, static_cast<unsigned>(m), 1);
  if (d > next - first) return false;
  days = first + d - 1;
  return true;
}

// HH:mm[:ss[.f{1,9}]] (seconds required when `need_seconds`, as Flink's SQL
// pattern "HH:mm:ss" does). Millis of day, and the nanoseconds below the
// millisecond in `nano_of_milli` when asked.
bool scan_iso_time(std::string_view s, size_t& pos, bool need_seconds, int64_t& millis,
                   uint32_t* nano_of_milli = nullptr) {
  int64_t h, mi, sec = 0, nanos = 0;
  if (!fixed_digits(s, pos, 2, h) || !lit(s, pos, ':') || !fixed_digits(s, pos, 2, mi)) return false;
  if (lit(s, pos, ':')) {
    if (!fixed_digits(s, pos, 2, sec)) return false;
    if (lit(s, pos, '.')) {
      size_t n = 0;
      while (pos < s.size() && is_digit(s[pos]) && n < 9) {
        nanos = nanos * 10 + (s[pos] - '0');
        ++pos;
        ++n;
      }
      if (n == 0) return false;
      for (; n < 9; ++n) nanos *= 10;
    }
  } else if (need_seconds) {
    return false;
  }
  if (h > 23 || mi > 59 || sec > 59) return false;
  millis = h * kMillisPerHour + mi * kMillisPerMinute + sec * kMillisPerSecond + nanos / kNanosPerMilli;
  if (nano_of_milli) *nano_of_milli = static_cast<uint32_t>(nanos % kNanosPerMilli);
  return true;
}

std::optional<PreciseTimestamp> parse_json_timestamp(std::string_view s, bool iso, bool zulu) {
  size_t pos = 0;
  int64_t days, millis;
  uint32_t nano_of_milli = 0;
  if (!scan_iso_date(s, pos, days) || !lit(s, pos, iso ? 'T' : ' ') ||
      !scan_iso_time(s, pos, !iso, millis, &nano_of_milli))
    return std::nullopt;
  if (zulu && !lit(s, pos, 'Z')) return std::nullopt;
  if (pos != s.size()) return std::nullopt;
  return PreciseTimestamp{days * kMillisPerDay + millis, nano_of_milli};
}

bool convert_integer(const JsonScalar& s, const Type& type, Value& out) {
  int64_t min, max;
  switch (type.id) {
    case TypeId::TinyInt: min = INT8_MIN; max = INT8_MAX; break;
    case TypeId::SmallInt: min = INT16_MIN; max = INT16_MAX; break;
    case TypeId::Int: min = INT32_MIN; max = INT32_MAX; break;
    default: min = INT64_MIN; max = INT64_MAX; break;
  }
  // INT and BIGINT take a JSON float truncated toward zero (Jackson's
  // canConvertToInt/Long + intValue); TINYINT/SMALLINT go through
  // Byte/Short.parseX of the text, which rejects "1.5".
  const bool wide = type.id == TypeId::Int || type.id == TypeId::BigInt;
  if (s.kind == JsonKind::Number && wide && !is_integer_token(s.text)) {
    auto d = parse_floating<double>(s.text);
    if (!d || std::isnan(*d) || *d < static_cast<double>(min) || *d > static_cast<double>(max)) return false;
    // 2^63 as a double is out of range although it compares equal to max.
    if (type.id == TypeId::BigInt && *d >= 9223372036854775808.0) return false;
    out = Value::integer(static_cast<int64_t>(std::trunc(*d)));
    return true;
  }
  if (s.kind != JsonKind::Number && s.kind != JsonKind::String) return false;
  auto v = parse_java_integer(s.kind == JsonKind::String ? java_trim(s.text) : s.text, min, max);
  if (!v) return false;
  out = Value::integer(*v);
  return true;
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

}  // namespace

bool is_json_number(std::string_view t) {
  size_t i = 0;
  if (i < t.size() && t[i] == '-') ++i;
  if (i >= t.size()) return false;
  if (t[i] == '0') ++i;
  else if (is_digit(t[i])) while (i < t.size() && is_digit(t[i])) ++i;
  else return false;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (i >= t.size() || !is_digit(t[i])) return false;
    while (i < t.size() && is_digit(t[i])) ++i;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (i >= t.size() || !is_digit(t[i])) return false;
    while (i < t.size() && is_digit(t[i])) ++i;
  }
  return i == t.size();
}

std::optional<ParsedDecimal> parse_decimal_text(std::string_view t, int precision, int scale) {
  size_t i = 0;
  bool negative = false;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) negative = t[i++] == '-';
  std::string digits;  // significant digits, leading zeros dropped
  int64_t frac_digits = 0;
  bool any_digit = false, dot = false;
  for (; i < t.size(); ++i) {
    const char c = t[i];
    if (is_digit(c)) {
      any_digit = true;
      if (dot) ++frac_digits;
      if (!(digits.empty() && c == '0')) digits.push_back(c);
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!any_digit) return std::nullopt;
  int64_t exponent = 0;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) exp_negative = t[i++] == '-';
    if (i >= t.size()) return std::nullopt;
    for (; i < t.size(); ++i) {
      if (!is_digit(t[i])) return std::nullopt;
      if (exponent < 1'000'000'000) exponent = exponent * 10 + (t[i] - '0');
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != t.size()) return std::nullopt;

  // value = digits × 10^-(frac_digits - exponent); rescale to `scale`.
  ParsedDecimal result;
  const int64_t shift = static_cast<int64_t>(scale) - (frac_digits - exponent);  // > 0: append zeros
  if (digits.empty()) return result;  // zero at any scale
  bool round_up = false;
  if (shift >= 0) {
    if (static_cast<int64_t>(digits.size()) + shift > precision) {
      result.fits = false;
      return result;
    }
    digits.append(static_cast<size_t>(shift), '0');
  } else {
    const int64_t drop = -shift;
    if (drop > static_cast<int64_t>(digits.size())) {
      digits.clear();
    } else {
      round_up = digits[digits.size() - static_cast<size_t>(drop)] >= '5';
      digits.resize(digits.size() - static_cast<size_t>(drop));
    }
  }
  // digits now has at most precision (<= 38) + however many the input had.
  if (static_cast<int64_t>(digits.size()) > precision) {
    result.fits = false;
    return result;
  }
  __int128 v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  if (round_up) {
    ++v;
    __int128 limit = 1;
    for (int k = 0; k < precision; ++k) limit *= 10;
    if (v >= limit) {
      result.fits = false;
      return result;
    }
  }
  result.unscaled = negative ? -v : v;
  return result;
}

bool convert_json_scalar(const JsonScalar& s, const Type& type, bool iso, Arena& arena, Value& out) {
  if (s.kind == JsonKind::Null) {
    out = Value::null();
    return true;
  }
  switch (type.id) {
    case TypeId::TinyInt:
    case TypeId::SmallInt:
    case TypeId::Int:
    case TypeId::BigInt:
      return convert_integer(s, type, out);
    case TypeId::Float:
    case TypeId::Double: {
      std::optional<double> d;
      if (type.id == TypeId::Float) {
        std::optional<float> f;
        if (s.kind == JsonKind::Number) f = parse_floating<float>(s.text);
        else if (s.kind == JsonKind::String) f = parse_java_floating<float>(java_trim(s.text));
        if (f) d = *f;
      } else {
        if (s.kind == JsonKind::Number) d = parse_floating<double>(s.text);
        else if (s.kind == JsonKind::String) d = parse_java_floating<double>(java_trim(s.text));
      }
      if (!d) return false;
      out = Value::real(*d);
      return true;
    }
    case TypeId::Boolean:
      // Boolean.parseBoolean(asText().trim()): anything but "true" is false.
      if (s.kind == JsonKind::Object || s.kind == JsonKind::Array) return false;
      out = Value::boolean(ascii_iequals(s.kind == JsonKind::String ? java_trim(s.text) : s.text, "true"));
      return true;
    case TypeId::Char:
    case TypeId::Varchar:
      out = Value::string(arena.copy(s.text));
      return true;
    case TypeId::Binary: {
      if (s.kind != JsonKind::String) return false;
      auto bytes = decode_base64(s.text);
      if (!bytes) return false;
      out = Value::string(arena.copy(*bytes));
      return true;
    }
    case TypeId::Decimal: {
      if (s.kind != JsonKind::Number && s.kind != JsonKind::String) return false;
      auto d = parse_decimal_text(s.text, type.precision, type.scale);
      if (!d) return false;
      if (!d->fits) {
        out = Value::null();
      } else if (d->unscaled >= INT64_MIN && d->unscaled <= INT64_MAX) {
        out = Value::decimal(static_cast<int64_t>(d->unscaled));
      } else {
        auto* p = arena.allocate_array<__int128>(1);
        *p = d->unscaled;
        out = Value::big_decimal(p);
      }
      return true;
    }
    case TypeId::Date: {
      size_t pos = 0;
      int64_t days;
      if (s.kind != JsonKind::String || !scan_iso_date(s.text, pos, days) || pos != s.text.size()) return false;
      out = Value::integer(days);
      return true;
    }
    case TypeId::Time: {
      size_t pos = 0;
      int64_t millis;
      if (s.kind != JsonKind::String || !scan_iso_time(s.text, pos, false, millis) || pos != s.text.size()) return false;
      // Flink keeps LocalTime.toSecondOfDay() * 1000: the fraction is dropped.
      out = Value::integer(millis / 1000 * 1000);
      return true;
    }
    case TypeId::Timestamp:
    case TypeId::TimestampLtz: {
      if (s.kind != JsonKind::String) return false;
      auto ts = parse_json_timestamp(s.text, iso, type.id == TypeId::TimestampLtz);
      if (!ts) return false;
      // Flink's converter keeps all nine digits (TimestampData of the parsed
      // LocalDateTime) whatever the precision, but a row stores TIMESTAMP(p <= 3)
      // as epoch millis only (Flink: TimestampData.isCompact, BinaryRowData.getTimestamp),
      // so the digits below the millisecond survive only for p > 3.
      out = type.precision > 3 ? Value::timestamp(ts->millis, ts->nano_of_milli) : Value::integer(ts->millis);
      return true;
    }
    default:
      return false;  // intervals, NULL type: Flink's JSON format has no converter
  }
}

}  // namespace ananas
