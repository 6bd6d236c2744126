// Session time zones as Flink's table.local-time-zone takes them: TZDB IDs
// (from the system's database), UTC, fixed GMT offsets; anything else is refused.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/time_zone.hpp"

using namespace ananas;

TEST_CASE("time zones: TZDB IDs, UTC and GMT offsets are accepted") {
  if (!std::filesystem::exists("/usr/share/zoneinfo/Europe/Rome")) {
    WARN("no time zone database at /usr/share/zoneinfo (Debian package tzdata): TZDB IDs not checked");
  } else {
    CHECK_FALSE(time_zone_problem("Europe/Rome"));
    CHECK_FALSE(time_zone_problem("America/Argentina/Buenos_Aires"));
    CHECK_FALSE(time_zone_problem("Etc/GMT+3"));
  }
  CHECK_FALSE(time_zone_problem("UTC"));
  CHECK_FALSE(time_zone_problem("GMT"));
  CHECK_FALSE(time_zone_problem("GMT+03:00"));
  CHECK_FALSE(time_zone_problem("GMT-8"));
  CHECK_FALSE(time_zone_problem("GMT+18:00"));
}

TEST_CASE("time zones: unknown names, database tables and bad offsets are refused") {
  CHECK(time_zone_problem("Mars/Olympus").value_or("").find("unknown time zone 'Mars/Olympus'") == 0);
  CHECK(time_zone_problem("").value_or("") == "a time zone must not be empty");
  for (const char* bad : {"zone.tab", "tzdata.zi", "posix/Europe/Rome", "../etc/passwd", "/etc/localtime", "GMT+19",
                          "GMT+03:60", "GMT+18:30", "+03:00", "Z", "Europe/Rome "})
    CHECK(time_zone_problem(bad));
  if (std::filesystem::exists("/usr/share/zoneinfo/Europe/Rome"))
    CHECK(time_zone_problem("Europe/Rom").value_or("").find("(did you mean 'Europe/Rome'?)") != std::string::npos);
}

TEST_CASE("time zones: the names of UTC itself") {
  for (const char* utc : {"UTC", "GMT", "Etc/UTC", "GMT+00:00", "GMT-0", "Zulu"}) CHECK(is_utc_time_zone(utc));
  for (const char* other : {"Europe/Rome", "GMT+01:00", "Etc/GMT+1"}) CHECK_FALSE(is_utc_time_zone(other));
}
