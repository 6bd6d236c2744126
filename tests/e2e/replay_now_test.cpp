// `ananas replay/test`: CURRENT_TIMESTAMP, NOW(), LOCALTIMESTAMP and
// PROCTIME() in a projection read the wall clock, or the instant --now fixes
// for a reproducible run (never 1970-01-01).
#include <catch2/catch.hpp>

#include <ctime>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kClockSql = R"(
CREATE TABLE src (id INT) WITH ('connector' = 'kafka', 'topic' = 'in', 'properties.bootstrap.servers' = '',
  'value.format' = 'json');
CREATE TABLE clocks (id INT, ts TIMESTAMP_LTZ(3), n TIMESTAMP_LTZ(3), lts TIMESTAMP(3), p TIMESTAMP_LTZ(3))
  WITH ('connector' = 'kafka', 'topic' = 'out', 'properties.bootstrap.servers' = '', 'value.format' = 'json');
INSERT INTO clocks SELECT id, CURRENT_TIMESTAMP, NOW(), LOCALTIMESTAMP, PROCTIME() FROM src;
)";

const char* kInput =
    R"({"topic":"in","partition":0,"offset":0,"tstype":"create","ts":1700000000000,"key":null,"payload":"{\"id\": 1}"})"
    "\n";

}  // namespace

TEST_CASE("ananas replay --now fixes the time functions, without it they read the wall clock", "[e2e]") {
  ScratchDir dir("replay-now");
  write_text(dir.file("clocks.sql"), kClockSql);
  write_text(dir.file("in.jsonl"), kInput);

  Result fixed = run({ananas_binary(), "replay", dir.file("clocks.sql"), "--input", dir.file("in.jsonl"), "--now",
                      "2024-05-06 07:08:09.123"},
                     60s);
  INFO(fixed.err);
  REQUIRE(fixed.exit_code == 0);
  // Session time zone UTC: TIMESTAMP_LTZ and TIMESTAMP show the same wall time.
  CHECK(fixed.out.find(R"({\"id\":1,\"ts\":\"2024-05-06 07:08:09.123Z\",\"n\":\"2024-05-06 07:08:09.123Z\",)"
                       R"(\"lts\":\"2024-05-06 07:08:09.123\",\"p\":\"2024-05-06 07:08:09.123Z\"})") != std::string::npos);

  Result wall = run({ananas_binary(), "replay", dir.file("clocks.sql"), "--input", dir.file("in.jsonl")}, 60s);
  INFO(wall.err);
  REQUIRE(wall.exit_code == 0);
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  const std::string year = "\\\"ts\\\":\\\"" + std::to_string(utc.tm_year + 1900) + "-";
  CHECK(wall.out.find(year) != std::string::npos);
  CHECK(wall.out.find("1970-01-01") == std::string::npos);

  Result bad = run({ananas_binary(), "replay", dir.file("clocks.sql"), "--input", dir.file("in.jsonl"), "--now",
                    "yesterday"},
                   60s);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--now") != std::string::npos);
}
