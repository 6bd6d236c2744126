// OVER aggregation and deduplication in the worker on `ananas broker`: a z-score rule (AVG and
// STDDEV_POP over the last 10 seconds per sensor) reads readings produced with
// kcat and writes its anomalies, the bytes `ananas replay` and Flink write; a
// reading produced late is dropped and counted in ananas_late_records_dropped_total;
// and Flink docs' deduplication query (keep the first row of each order_id on
// processing time) writes each order once.
#include <catch2/catch.hpp>

#include <signal.h>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kZScoreSql = R"(
CREATE TABLE readings (sensor STRING, v DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector' = 'kafka', 'topic' = 'readings', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE anomalies (sensor STRING, ts TIMESTAMP(3), v DOUBLE, mu DOUBLE, sigma DOUBLE)
  WITH ('connector' = 'kafka', 'topic' = 'anomalies', 'properties.bootstrap.servers' = '', 'format' = 'json');
INSERT INTO anomalies
SELECT sensor, ts, v, mu, sigma FROM (
  SELECT sensor, ts, v, AVG(v) OVER w AS mu, STDDEV_POP(v) OVER w AS sigma
  FROM readings
  WINDOW w AS (PARTITION BY sensor ORDER BY ts RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW)
) WHERE sigma > 0 AND ABS(v - mu) / sigma > 1.5;
)";

}  // namespace

TEST_CASE("over_aggregate in the worker: a z-score rule over a RANGE window, late reading dropped", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("over-live");
  BrokerProcess broker(dir, 1, {"readings", "anomalies"});
  // s1's readings in time order, and s2 at :30 to move the watermark past :15. The worker
  // offers a watermark per batch it reads, so the late reading is produced only once the
  // first ones came out: it is then behind what s1 emitted (:15) and dropped.
  std::string values;
  const std::pair<int, int> readings[] = {{1, 2}, {2, 4}, {3, 4}, {4, 4}, {5, 5}, {6, 5}, {7, 7}, {8, 9}, {15, 100}};
  for (auto [second, v] : readings) {
    char buf[120];
    std::snprintf(buf, sizeof buf, R"({"sensor":"s1","v":%d,"ts":"2024-01-01 00:00:%02d"})", v, second);
    values += std::string(buf) + "\n";
  }
  values += R"({"sensor":"s2","v":1,"ts":"2024-01-01 00:00:30"})" "\n";
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "readings"}, 20s, values).exit_code == 0);
  write_text(dir.file("zscore.sql"), kZScoreSql);
  WorkerProcess worker(dir, "over", broker.bootstrap(), {dir.file("zscore.sql")});
  std::vector<nlohmann::json> out;
  REQUIRE(wait_until_true([&] { return (out = kcat_dump(broker.bootstrap(), "anomalies")).size() >= 3; }, 20s));
  const std::string late_values = R"({"sensor":"s1","v":1000,"ts":"2024-01-01 00:00:03"})" "\n"
                                  R"({"sensor":"s2","v":1,"ts":"2024-01-01 00:00:40"})" "\n";
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "readings"}, 20s, late_values).exit_code == 0);
  double late = 0;
  CHECK(wait_until_true(
      [&] {
        late = metric_sum(http_get(worker.base_url() + "/metrics").second, "ananas_late_records_dropped_total");
        return late >= 1;
      },
      20s));
  CHECK(late == 1);
  CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  INFO("worker stderr:\n" << worker.process().err());
  std::vector<std::string> payloads;
  for (const auto& r : kcat_dump(broker.bootstrap(), "anomalies")) payloads.push_back(r.at("payload").get<std::string>());
  CHECK(payloads == std::vector<std::string>{
                        R"({"sensor":"s1","ts":"2024-01-01 00:00:07","v":7.0,"mu":4.428571428571429,"sigma":1.3997084244475306})",
                        R"({"sensor":"s1","ts":"2024-01-01 00:00:08","v":9.0,"mu":5.0,"sigma":2.0})",
                        R"({"sensor":"s1","ts":"2024-01-01 00:00:15","v":100.0,"mu":25.2,"sigma":37.42940020892667})"});
}

TEST_CASE("deduplicate in the worker: Flink docs' keep-first-row query writes each order once", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("dedup-live");
  BrokerProcess broker(dir, 1, {"orders", "firsts"});
  const std::string values = R"({"order_id":"o1","user":"ann","product":"p","num":1})" "\n"
                             R"({"order_id":"o2","user":"bob","product":"q","num":2})" "\n"
                             R"({"order_id":"o1","user":"ann","product":"p","num":3})" "\n";
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "orders"}, 20s, values).exit_code == 0);
  write_text(dir.file("dedup.sql"), R"(
CREATE TABLE Orders (order_id STRING, `user` STRING, product STRING, num BIGINT, proctime AS PROCTIME())
  WITH ('connector' = 'kafka', 'topic' = 'orders', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE firsts (order_id STRING, `user` STRING, product STRING, num BIGINT)
  WITH ('connector' = 'kafka', 'topic' = 'firsts', 'properties.bootstrap.servers' = '', 'format' = 'json');
INSERT INTO firsts
SELECT order_id, `user`, product, num
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY proctime ASC) AS row_num FROM Orders)
WHERE row_num = 1;
)");
  WorkerProcess worker(dir, "dedup", broker.bootstrap(), {dir.file("dedup.sql")});
  REQUIRE(wait_until_true([&] { return kcat_dump(broker.bootstrap(), "firsts").size() >= 2; }, 20s));
  // A fourth order, a duplicate again, read after the first ones: still dropped.
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "orders"}, 20s,
              R"({"order_id":"o2","user":"bob","product":"q","num":4})" "\n"
              R"({"order_id":"o3","user":"cy","product":"r","num":5})" "\n")
              .exit_code == 0);
  REQUIRE(wait_until_true([&] { return kcat_dump(broker.bootstrap(), "firsts").size() >= 3; }, 20s));
  CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  std::vector<std::string> payloads;
  for (const auto& r : kcat_dump(broker.bootstrap(), "firsts")) payloads.push_back(r.at("payload").get<std::string>());
  CHECK(payloads == std::vector<std::string>{R"({"order_id":"o1","user":"ann","product":"p","num":1})",
                                             R"({"order_id":"o2","user":"bob","product":"q","num":2})",
                                             R"({"order_id":"o3","user":"cy","product":"r","num":5})"});
}
