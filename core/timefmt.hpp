#pragma once
// Calendar arithmetic and the text forms of dates, times and timestamps that
// Flink prints and parses. Every millisecond value here is a UTC wall clock
// (Ananas's session time zone defaults to UTC; Flink docs, Table API & SQL > Concepts > Time Zone), so there is no time
// zone database involved: a TIMESTAMP value is "epoch millis of the wall clock
// read as UTC", a TIMESTAMP_LTZ value is an instant, and both format the same
// way (LTZ adds a `Z` in JSON).
//
// The calendar is the proleptic Gregorian one (what java.time uses), valid for
// negative years too; division rounds toward negative infinity throughout so
// times before 1970 format correctly (-1 ms is 1969-12-31 23:59:59.999).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ananas {

struct CivilDate {
  int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
  bool operator==(const CivilDate&) const = default;
};

inline constexpr int64_t kMillisPerSecond = 1000;
inline constexpr int64_t kMillisPerMinute = 60 * kMillisPerSecond;
inline constexpr int64_t kMillisPerHour = 60 * kMillisPerMinute;
inline constexpr int64_t kMillisPerDay = 24 * kMillisPerHour;

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). The
// date is not validated: days_from_civil({2023, 2, 30}) is 2023-03-02.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
CivilDate civil_from_days(int64_t days_since_epoch);

// Floor division and modulo for splitting millis into days and millis-of-day.
int64_t floor_div(int64_t a, int64_t b);
int64_t floor_mod(int64_t a, int64_t b);

inline constexpr int64_t kNanosPerMilli = 1'000'000;

// A timestamp to the nanosecond, as Flink's TimestampData holds it: epoch
// millis plus the nanoseconds within that millisecond (0..999,999).
struct PreciseTimestamp {
  int64_t millis = 0;
  uint32_t nano_of_milli = 0;
  bool operator==(const PreciseTimestamp&) const = default;
};

// Flink JSON SQL format (Flink: TimeFormats.SQL_TIMESTAMP_FORMAT; Flink docs, Formats > JSON > json.timestamp-format.standard): `yyyy-MM-dd HH:mm:ss`, then `.` and the
// fraction only if it is non-zero, trailing zeros removed (`.12`, `.999`,
// `.123456789`: appendFraction(NANO_OF_SECOND, 0, 9, true) prints the fewest
// digits that keep the nanoseconds, whatever the column's precision).
// `iso_t` uses `T` as separator (timestamp-format.standard = 'ISO-8601').
void append_timestamp_json(std::string& out, int64_t epoch_millis, bool iso_t = false, uint32_t nano_of_milli = 0);

// What CAST(TIMESTAMP(p) AS STRING) prints: always exactly `precision` (0..9)
// fraction digits (`2023-01-01 10:00:00.120` for p = 3, no dot for p = 0);
// digits of `nano_of_milli` beyond the precision are cut off.
std::string format_timestamp_sql(int64_t epoch_millis, int precision, uint32_t nano_of_milli = 0);
void append_timestamp_sql(std::string& out, int64_t epoch_millis, int precision, uint32_t nano_of_milli = 0);

// Flink's DateTimeUtils.truncate, what CAST to TIMESTAMP(p) does: the
// fraction is cut to `precision` digits, except that Flink skips the cut when
// the nano-of-second written without leading zeros has at most `precision`
// digits (`.000000005` stays in a TIMESTAMP(6)), and for p <= 3 it cuts the
// millis toward zero (before 1970 that rounds up). Kept as Flink does it.
PreciseTimestamp truncate_timestamp(PreciseTimestamp ts, int precision);

// `yyyy-MM-dd`. Years outside 0..9999 print like java.time: `+10000-01-01`,
// `-0001-01-01`.
std::string format_date(int64_t days_since_epoch);
void append_date(std::string& out, int64_t days_since_epoch);

// `HH:mm:ss` plus exactly `precision` (0..9) fraction digits.
std::string format_time(int64_t millis_of_day, int precision);

// Parses `yyyy-MM-dd`, `yyyy-MM-dd HH:mm[:ss[.f{1,9}]]` (or `T` instead of the
// space), as Flink's CAST(string AS TIMESTAMP) and its JSON decoder accept.
// Leading/trailing spaces are ignored. Digits beyond milliseconds are
// truncated. Out-of-range fields (month 13, hour 24, Feb 30) are rejected.
std::optional<int64_t> parse_timestamp(std::string_view text);
// The same, keeping all nine fraction digits.
std::optional<PreciseTimestamp> parse_timestamp_precise(std::string_view text);
// `yyyy-MM-dd` → days since epoch; validated like parse_timestamp.
std::optional<int64_t> parse_date(std::string_view text);
// `HH:mm[:ss[.f{1,9}]]` → millis of day.
std::optional<int64_t> parse_time(std::string_view text);

// Human durations used in pipeline YAML: a non-negative integer (optionally
// with a fraction, `1.5s`) followed by a unit, with or without a space:
// `ms`/`milli`/`millis`/`millisecond(s)`, `s`/`sec`/`secs`/`second(s)`,
// `m`/`min`/`mins`/`minute(s)`, `h`/`hour(s)`, `d`/`day(s)`. Units are case
// insensitive. A bare number is rejected (ambiguous). Results that are not a
// whole number of milliseconds, or that overflow, are rejected.
std::optional<int64_t> parse_duration_millis(std::string_view text);

}  // namespace ananas
