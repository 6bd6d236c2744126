// UNION ALL in the worker on `ananas broker`: two topics, each with its own
// event time, unioned into a 5-second TUMBLE count. The union's watermark is
// the minimum over its inputs, so the rows of the table the worker happens
// to read second (here both are on the broker before the worker starts, and
// either may be read first) are never late: window [00:00, 00:05) counts all
// four of its rows. Were the union's watermark the faster table's, the other
// table's 00:03 and 00:04 would arrive behind 00:12 and be dropped. A
// restarted worker finishes the next window from its restored state.
#include <catch2/catch.hpp>

#include <signal.h>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kUnionSql = R"(
CREATE TABLE web (name STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector' = 'kafka', 'topic' = 'web', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE app (who STRING, at TIMESTAMP(3), WATERMARK FOR at AS at)
  WITH ('connector' = 'kafka', 'topic' = 'app', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE clicks_per_5s (window_start TIMESTAMP(3), window_end TIMESTAMP(3), clicks BIGINT)
  WITH ('connector' = 'kafka', 'topic' = 'clicks', 'properties.bootstrap.servers' = '', 'format' = 'json');
INSERT INTO clicks_per_5s
WITH clicks AS (SELECT name, ts FROM web UNION ALL SELECT who, at FROM app)
SELECT window_start, window_end, COUNT(*)
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY window_start, window_end;
)";

std::string click(const char* name_key, const char* time_key, const char* second) {
  return std::string(R"({")") + name_key + R"(":"x",")" + time_key + R"(":"2024-01-01 00:00:)" + second + "\"}\n";
}

}  // namespace

TEST_CASE("union_all in the worker: two topics meet in one window, the slower one not late, and a restart resumes it", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("union-all-live");
  BrokerProcess broker(dir, 1, {"web", "app", "clicks"});
  write_text(dir.file("union.sql"), kUnionSql);

  const Result explained = run({ananas_binary(), "explain", dir.file("union.sql")}, 20s);
  INFO(explained.out << explained.err);
  REQUIRE(explained.exit_code == 0);
  CHECK(explained.out.find("union_all union_all <- project, project_1") != std::string::npos);

  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "web"}, 20s,
              click("name", "ts", "01") + click("name", "ts", "02") + click("name", "ts", "12"))
              .exit_code == 0);
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "app"}, 20s,
              click("who", "at", "03") + click("who", "at", "04") + click("who", "at", "13"))
              .exit_code == 0);
  {
    WorkerProcess worker(dir, "union-1", broker.bootstrap(), {dir.file("union.sql")});
    REQUIRE(wait_until_true([&] { return !kcat_dump(broker.bootstrap(), "clicks").empty(); }, 30s));
    CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);  // a final checkpoint of both inputs' positions
  }
  const auto first = kcat_dump(broker.bootstrap(), "clicks");
  REQUIRE(first.size() == 1);  // [00:10, 00:15) waits for a watermark past 00:15 on both tables
  CHECK(first[0].at("payload").get<std::string>() ==
        R"({"window_start":"2024-01-01 00:00:00","window_end":"2024-01-01 00:00:05","clicks":4})");

  // Restarted, the worker counts 00:12 and 00:13 from its restored window
  // state once both tables pass 00:15 (and reads neither topic again).
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "web"}, 20s, click("name", "ts", "16")).exit_code == 0);
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "app"}, 20s, click("who", "at", "17")).exit_code == 0);
  WorkerProcess worker(dir, "union-2", broker.bootstrap(), {dir.file("union.sql")});
  REQUIRE(wait_until_true([&] { return kcat_dump(broker.bootstrap(), "clicks").size() >= 2; }, 30s));
  CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  const auto out = kcat_dump(broker.bootstrap(), "clicks");
  REQUIRE(out.size() == 2);
  CHECK(out[1].at("payload").get<std::string>() ==
        R"({"window_start":"2024-01-01 00:00:10","window_end":"2024-01-01 00:00:15","clicks":2})");
}
