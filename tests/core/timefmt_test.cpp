#include <catch2/catch.hpp>

#include "core/timefmt.hpp"

using namespace ananas;

namespace {
std::string json_ts(int64_t ms, bool iso = false) {
  std::string s;
  append_timestamp_json(s, ms, iso);
  return s;
}
}  // namespace

TEST_CASE("civil date conversion round-trips, including negative years") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2023, 1, 1) == 19358);
  CHECK(days_from_civil(1969, 12, 31) == -1);
  CHECK(days_from_civil(2000, 2, 29) == 11016);
  CHECK(civil_from_days(-1) == CivilDate{1969, 12, 31});
  CHECK(civil_from_days(days_from_civil(-44, 3, 15)) == CivilDate{-44, 3, 15});
  for (int64_t d = -800000; d <= 800000; d += 997) {
    const CivilDate c = civil_from_days(d);
    REQUIRE(days_from_civil(c.year, c.month, c.day) == d);
  }
}

TEST_CASE("JSON timestamp text drops a zero fraction and trailing zeros") {
  const int64_t base = 1672567200000;  // 2023-01-01 10:00:00 UTC
  CHECK(json_ts(base + 123) == "2023-01-01 10:00:00.123");
  CHECK(json_ts(base + 120) == "2023-01-01 10:00:00.12");
  CHECK(json_ts(base + 100) == "2023-01-01 10:00:00.1");
  CHECK(json_ts(base) == "2023-01-01 10:00:00");
  CHECK(json_ts(base + 4999) == "2023-01-01 10:00:04.999");
  CHECK(json_ts(base + 120, true) == "2023-01-01T10:00:00.12");
  CHECK(json_ts(base, true) == "2023-01-01T10:00:00");
  CHECK(json_ts(-1) == "1969-12-31 23:59:59.999");  // no Kafka timestamp (-1)
  CHECK(json_ts(1) == "1970-01-01 00:00:00.001");
}

TEST_CASE("SQL timestamp, date and time text have fixed fraction digits") {
  CHECK(format_timestamp_sql(1672567200120, 3) == "2023-01-01 10:00:00.120");
  CHECK(format_timestamp_sql(1672567200120, 0) == "2023-01-01 10:00:00");
  CHECK(format_timestamp_sql(1672567200120, 6) == "2023-01-01 10:00:00.120000");
  CHECK(format_timestamp_sql(-1, 3) == "1969-12-31 23:59:59.999");
  CHECK(format_date(0) == "1970-01-01");
  CHECK(format_date(days_from_civil(-1, 1, 1)) == "-0001-01-01");
  CHECK(format_date(days_from_civil(10000, 1, 1)) == "+10000-01-01");
  CHECK(format_time(36000123, 3) == "10:00:00.123");
  CHECK(format_time(36000123, 0) == "10:00:00");
}

TEST_CASE("timestamp, date and time parsing") {
  CHECK(parse_timestamp("2023-01-01 10:00:00.123") == 1672567200123);
  CHECK(parse_timestamp("2023-01-01T10:00:00.12") == 1672567200120);
  CHECK(parse_timestamp("2023-01-01 10:00:00.123456789") == 1672567200123);  // beyond millis truncated
  CHECK(parse_timestamp("2023-01-01 10:00") == 1672567200000);
  CHECK(parse_timestamp(" 2023-01-01 ") == 1672531200000);
  CHECK(parse_timestamp("1969-12-31 23:59:59.999") == -1);
  CHECK_FALSE(parse_timestamp("2023-02-29 00:00:00"));
  CHECK(parse_timestamp("2024-02-29 00:00:00"));
  CHECK_FALSE(parse_timestamp("2023-13-01"));
  CHECK_FALSE(parse_timestamp("2023-01-01 24:00:00"));
  CHECK_FALSE(parse_timestamp("2023-01-01 10:00:00.1234567890"));
  CHECK_FALSE(parse_timestamp("2023-01-01X10:00:00"));
  CHECK_FALSE(parse_timestamp(""));
  CHECK_FALSE(parse_timestamp("yesterday"));
  CHECK(parse_date("2023-01-01") == 19358);
  CHECK_FALSE(parse_date("2023-01-01 10:00:00"));
  CHECK(parse_time("10:00:00.5") == 36000500);
  CHECK_FALSE(parse_time("10:60"));
}

TEST_CASE("human durations for pipeline YAML") {
  CHECK(parse_duration_millis("5s") == 5000);
  CHECK(parse_duration_millis("1500ms") == 1500);
  CHECK(parse_duration_millis("2min") == 120000);
  CHECK(parse_duration_millis("1h") == 3600000);
  CHECK(parse_duration_millis("1d") == 86400000);
  CHECK(parse_duration_millis("5 seconds") == 5000);
  CHECK(parse_duration_millis("1 second") == 1000);
  CHECK(parse_duration_millis("1.5s") == 1500);
  CHECK(parse_duration_millis("10 MINUTES") == 600000);
  CHECK(parse_duration_millis("0s") == 0);
  CHECK_FALSE(parse_duration_millis("5"));
  CHECK_FALSE(parse_duration_millis("s"));
  CHECK_FALSE(parse_duration_millis("-5s"));
  CHECK_FALSE(parse_duration_millis("5 fortnights"));
  CHECK_FALSE(parse_duration_millis("1.0001s"));  // not a whole millisecond
  CHECK_FALSE(parse_duration_millis("99999999999999999999d"));
  CHECK_FALSE(parse_duration_millis("9999999999999999d"));  // overflows int64 millis
}

TEST_CASE("timestamps keep nanoseconds below the millisecond in their text forms") {
  const int64_t base = 1672567200123;  // 2023-01-01 10:00:00.123 UTC
  std::string json;
  // Flink's appendFraction(NANO_OF_SECOND, 0, 9, true): the fewest digits that keep the value.
  append_timestamp_json(json, base, false, 456789);
  CHECK(json == "2023-01-01 10:00:00.123456789");
  json.clear();
  append_timestamp_json(json, base, true, 400000);
  CHECK(json == "2023-01-01T10:00:00.1234");
  json.clear();
  append_timestamp_json(json, base - 123, false, 1);
  CHECK(json == "2023-01-01 10:00:00.000000001");
  // CAST to STRING: exactly `precision` digits, the rest cut off.
  CHECK(format_timestamp_sql(base, 9, 456789) == "2023-01-01 10:00:00.123456789");
  CHECK(format_timestamp_sql(base, 6, 456789) == "2023-01-01 10:00:00.123456");
  CHECK(format_timestamp_sql(base, 3, 456789) == "2023-01-01 10:00:00.123");
  CHECK(format_timestamp_sql(-1, 9, 999999) == "1969-12-31 23:59:59.999999999");
  CHECK(parse_timestamp_precise("2023-01-01 10:00:00.123456789") == PreciseTimestamp{base, 456789});
  CHECK(parse_timestamp_precise("2023-01-01 10:00:00.1234") == PreciseTimestamp{base, 400000});
  CHECK(parse_timestamp_precise("1969-12-31 23:59:59.9999999") == PreciseTimestamp{-1, 999900});
  CHECK_FALSE(parse_timestamp_precise("2023-01-01 10:00:00.1234567890"));
}

TEST_CASE("truncate_timestamp cuts the fraction as Flink's DateTimeUtils.truncate does") {
  const int64_t base = 1672567200123;
  CHECK(truncate_timestamp({base, 456789}, 6) == PreciseTimestamp{base, 456000});
  CHECK(truncate_timestamp({base, 456789}, 4) == PreciseTimestamp{base, 400000});
  CHECK(truncate_timestamp({base, 456789}, 3) == PreciseTimestamp{base, 0});
  CHECK(truncate_timestamp({base, 456789}, 1) == PreciseTimestamp{base - 23, 0});
  CHECK(truncate_timestamp({base, 456789}, 9) == PreciseTimestamp{base, 456789});
  // The nano-of-second 5 written without leading zeros is one digit, no more than 6: kept.
  CHECK(truncate_timestamp({base - 123, 5}, 6) == PreciseTimestamp{base - 123, 5});
  // p <= 3 cuts the epoch millis toward zero, as Java's division does.
  CHECK(truncate_timestamp({-1, 0}, 0) == PreciseTimestamp{0, 0});
}
