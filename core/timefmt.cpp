#include "core/timefmt.hpp"

#include <cctype>
#include <charconv>
#include <limits>

namespace ananas {

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms": eras of
// 400 years make the calendar periodic, so negative years need only floor
// division of the era.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;                                       // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;     // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;               // [0, 146096]
  return era * 146097 + doe - 719468;
}

CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;                                    // [0, 146096]
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             // [0, 365]
  const int64_t mp = (5 * doy + 2) / 153;                                  // [0, 11]
  const unsigned d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const unsigned m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{yoe + era * 400 + (m <= 2), m, d};
}

namespace {

void append_padded(std::string& out, int64_t v, int width) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  for (int pad = width - static_cast<int>(end - buf); pad > 0; --pad) out.push_back('0');
  out.append(buf, end);
}

// java.time's ISO_LOCAL_DATE year: 4 digits with a sign only outside 0..9999.
void append_year(std::string& out, int64_t year) {
  if (year > 9999) out.push_back('+');
  if (year < 0) {
    out.push_back('-');
    append_padded(out, -year, 4);
  } else {
    append_padded(out, year, 4);
  }
}

void append_civil_date(std::string& out, const CivilDate& c) {
  append_year(out, c.year);
  out.push_back('-');
  append_padded(out, c.month, 2);
  out.push_back('-');
  append_padded(out, c.day, 2);
}

void append_hms(std::string& out, int64_t millis_of_day) {
  append_padded(out, millis_of_day / kMillisPerHour, 2);
  out.push_back(':');
  append_padded(out, millis_of_day / kMillisPerMinute % 60, 2);
  out.push_back(':');
  append_padded(out, millis_of_day / kMillisPerSecond % 60, 2);
}

// The nine digits of a nano-of-second.
void nine_digits(char (&digits)[9], int64_t nano_of_second) {
  for (int i = 8; i >= 0; --i, nano_of_second /= 10) digits[i] = static_cast<char>('0' + nano_of_second % 10);
}

// Exactly `precision` digits of a fraction of a second.
void append_fixed_fraction(std::string& out, int64_t nano_of_second, int precision) {
  if (precision <= 0) return;
  if (precision > 9) precision = 9;
  char digits[9];
  nine_digits(digits, nano_of_second);
  out.push_back('.');
  out.append(digits, static_cast<size_t>(precision));
}

int64_t nano_of_second(int64_t millis_of_day, uint32_t nano_of_milli) {
  return millis_of_day % 1000 * kNanosPerMilli + nano_of_milli;
}

}  // namespace

void append_date(std::string& out, int64_t days) { append_civil_date(out, civil_from_days(days)); }

std::string format_date(int64_t days) {
  std::string out;
  append_date(out, days);
  return out;
}

void append_timestamp_json(std::string& out, int64_t epoch_millis, bool iso_t, uint32_t nano_of_milli) {
  const int64_t days = floor_div(epoch_millis, kMillisPerDay);
  const int64_t ms_of_day = epoch_millis - days * kMillisPerDay;
  append_date(out, days);
  out.push_back(iso_t ? 'T' : ' ');
  append_hms(out, ms_of_day);
  const int64_t nanos = nano_of_second(ms_of_day, nano_of_milli);
  if (nanos == 0) return;
  char digits[9];
  nine_digits(digits, nanos);
  size_t n = 9;
  while (digits[n - 1] == '0') --n;
  out.push_back('.');
  out.append(digits, n);
}

void append_timestamp_sql(std::string& out, int64_t epoch_millis, int precision, uint32_t nano_of_milli) {
  const int64_t days = floor_div(epoch_millis, kMillisPerDay);
  const int64_t ms_of_day = epoch_millis - days * kMillisPerDay;
  append_date(out, days);
  out.push_back(' ');
  append_hms(out, ms_of_day);
  append_fixed_fraction(out, nano_of_second(ms_of_day, nano_of_milli), precision);
}

std::string format_timestamp_sql(int64_t epoch_millis, int precision, uint32_t nano_of_milli) {
  std::string out;
  append_timestamp_sql(out, epoch_millis, precision, nano_of_milli);
  return out;
}

PreciseTimestamp truncate_timestamp(PreciseTimestamp ts, int precision) {
  const int64_t nanos = nano_of_second(floor_mod(ts.millis, kMillisPerDay), ts.nano_of_milli);
  // Integer.toString(nano).length() <= precision: nothing to cut.
  int written = 1;
  for (int64_t n = nanos; n >= 10; n /= 10) ++written;
  if (written <= precision) return ts;
  int64_t unit = 1;
  if (precision <= 3) {
    for (int i = precision; i < 3; ++i) unit *= 10;
    return {ts.millis / unit * unit, 0};  // Java's division: toward zero
  }
  for (int i = precision; i < 9; ++i) unit *= 10;
  return {ts.millis, static_cast<uint32_t>(ts.nano_of_milli / unit * unit)};
}

std::string format_time(int64_t millis_of_day, int precision) {
  std::string out;
  const int64_t ms = floor_mod(millis_of_day, kMillisPerDay);
  append_hms(out, ms);
  append_fixed_fraction(out, nano_of_second(ms, 0), precision);
  return out;
}

namespace {

// A cursor over the text being parsed; every reader returns false on mismatch.
struct Scanner {
  std::string_view s;
  size_t pos = 0;

  bool done() const { return pos == s.size(); }
  bool peek(char c) const { return pos < s.size() && s[pos] == c; }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++pos;
    return true;
  }
  // Between min and max digits; the value in `out`.
  bool digits(int min, int max, int64_t& out, int* count = nullptr) {
    int n = 0;
    out = 0;
    while (n < max && pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      out = out * 10 + (s[pos] - '0');
      ++pos;
      ++n;
    }
    if (count) *count = n;
    return n >= min;
  }
};

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool scan_date(Scanner& sc, int64_t& days) {
  int64_t y, m, d;
  if (!sc.digits(4, 4, y) || !sc.eat('-') || !sc.digits(1, 2, m) || !sc.eat('-') || !sc.digits(1, 2, d))
    return false;
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, static_cast<unsigned>(m))) return false;
  days = days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
  return true;
}

bool scan_time(Scanner& sc, int64_t& millis, uint32_t* nano_of_milli = nullptr) {
  int64_t h, mi, sec = 0, nanos = 0;
  if (!sc.digits(1, 2, h) || !sc.eat(':') || !sc.digits(1, 2, mi)) return false;
  if (sc.eat(':')) {
    if (!sc.digits(1, 2, sec)) return false;
    if (sc.eat('.')) {
      int n = 0;
      if (!sc.digits(1, 9, nanos, &n)) return false;
      for (; n < 9; ++n) nanos *= 10;
    }
  }
  if (h > 23 || mi > 59 || sec > 59) return false;
  millis = h * kMillisPerHour + mi * kMillisPerMinute + sec * kMillisPerSecond + nanos / kNanosPerMilli;
  if (nano_of_milli) *nano_of_milli = static_cast<uint32_t>(nanos % kNanosPerMilli);
  return true;
}

}  // namespace

std::optional<int64_t> parse_date(std::string_view text) {
  Scanner sc{trim(text)};
  int64_t days;
  if (!scan_date(sc, days) || !sc.done()) return std::nullopt;
  return days;
}

std::optional<int64_t> parse_time(std::string_view text) {
  Scanner sc{trim(text)};
  int64_t ms;
  if (!scan_time(sc, ms) || !sc.done()) return std::nullopt;
  return ms;
}

std::optional<PreciseTimestamp> parse_timestamp_precise(std::string_view text) {
  Scanner sc{trim(text)};
  int64_t days;
  if (!scan_date(sc, days)) return std::nullopt;
  if (sc.done()) return PreciseTimestamp{days * kMillisPerDay, 0};
  if (!sc.eat(' ') && !sc.eat('T')) return std::nullopt;
  int64_t ms;
  uint32_t nano_of_milli = 0;
  if (!scan_time(sc, ms, &nano_of_milli) || !sc.done()) return std::nullopt;
  return PreciseTimestamp{days * kMillisPerDay + ms, nano_of_milli};
}

std::optional<int64_t> parse_timestamp(std::string_view text) {
  auto ts = parse_timestamp_precise(text);
  if (!ts) return std::nullopt;
  return ts->millis;
}

namespace {

bool unit_is(std::string_view unit, std::initializer_list<std::string_view> spellings) {
  for (std::string_view s : spellings) {
    if (s.size() != unit.size()) continue;
    bool same = true;
    for (size_t i = 0; i < s.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(unit[i])) == s[i];
    if (same) return true;
  }
  return false;
}

std::optional<int64_t> unit_millis(std::string_view unit) {
  if (unit_is(unit, {"ms", "milli", "millis", "millisecond", "milliseconds"})) return 1;
  if (unit_is(unit, {"s", "sec", "secs", "second", "seconds"})) return kMillisPerSecond;
  if (unit_is(unit, {"m", "min", "mins", "minute", "minutes"})) return kMillisPerMinute;
  if (unit_is(unit, {"h", "hour", "hours"})) return kMillisPerHour;
  if (unit_is(unit, {"d", "day", "days"})) return kMillisPerDay;
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> parse_duration_millis(std::string_view text) {
  Scanner sc{trim(text)};
  // Whole part and optional fraction kept as an exact decimal: value = num / 10^scale.
  int64_t num = 0;
  int64_t scale_pow = 1;
  size_t start = sc.pos;
  while (sc.pos < sc.s.size() && std::isdigit(static_cast<unsigned char>(sc.s[sc.pos]))) {
    if (num > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
    num = num * 10 + (sc.s[sc.pos++] - '0');
  }
  if (sc.pos == start) return std::nullopt;
  if (sc.eat('.')) {
    size_t frac_start = sc.pos;
    while (sc.pos < sc.s.size() && std::isdigit(static_cast<unsigned char>(sc.s[sc.pos]))) {
      if (num > (std::numeric_limits<int64_t>::max() - 9) / 10 || scale_pow > 1000000000000LL) return std::nullopt;
      num = num * 10 + (sc.s[sc.pos++] - '0');
      scale_pow *= 10;
    }
    if (sc.pos == frac_start) return std::nullopt;
  }
  while (sc.eat(' ')) {}
  auto per_unit = unit_millis(sc.s.substr(sc.pos));
  if (!per_unit) return std::nullopt;
  __int128 total = static_cast<__int128>(num) * *per_unit;
  if (total % scale_pow != 0) return std::nullopt;
  total /= scale_pow;
  if (total > std::numeric_limits<int64_t>::max()) return std::nullopt;
  return static_cast<int64_t>(total);
}

}  // namespace ananas
