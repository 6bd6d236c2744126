// Top-N in the worker on `ananas broker`: Flink docs' Top-N query (the top 5
// products per category by sales, row number selected) reads sales produced
// with kcat and writes upserts keyed by (category, row_num) into an
// upsert-kafka topic; stopped (SIGTERM: a final checkpoint) and started again,
// the next worker ranks a new sale against the restored top, which only the
// restored state can do.
#include <catch2/catch.hpp>

#include <signal.h>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kTopNSql = R"(
CREATE TABLE ShopSales (product_id STRING, category STRING, product_name STRING, sales BIGINT)
  WITH ('connector' = 'kafka', 'topic' = 'sales', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE top5 (product_id STRING, category STRING, product_name STRING, sales BIGINT, row_num BIGINT,
                   PRIMARY KEY (category, row_num) NOT ENFORCED)
  WITH ('connector' = 'upsert-kafka', 'topic' = 'top5', 'properties.bootstrap.servers' = '',
        'key.format' = 'json', 'value.format' = 'json');
INSERT INTO top5
SELECT *
FROM (
  SELECT *,
    ROW_NUMBER() OVER (PARTITION BY category ORDER BY sales DESC) AS row_num
  FROM ShopSales)
WHERE row_num <= 5;
)";

std::string sale(const char* id, const char* category, int sales) {
  return std::string(R"({"product_id":")") + id + R"(","category":")" + category + R"(","product_name":"n)" + id +
         R"(","sales":)" + std::to_string(sales) + "}\n";
}

std::string ranked(const char* id, const char* category, int sales, int rank) {
  return std::string(R"({"category":")") + category + R"(","row_num":)" + std::to_string(rank) + "} | " +
         R"({"product_id":")" + id + R"(","category":")" + category + R"(","product_name":"n)" + id + R"(","sales":)" +
         std::to_string(sales) + R"(,"row_num":)" + std::to_string(rank) + "}";
}

std::vector<std::string> records(const std::string& bootstrap) {
  std::vector<std::string> out;
  for (const auto& r : kcat_dump(bootstrap, "top5"))
    out.push_back(r.at("key").get<std::string>() + " | " + r.at("payload").get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("top_n in the worker: Flink docs' Top-N writes rank upserts and ranks against its restored state", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("top-n-live");
  BrokerProcess broker(dir, 1, {"sales", "top5"});
  write_text(dir.file("top_n.sql"), kTopNSql);
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "sales"}, 20s,
              sale("p1", "c1", 10) + sale("p2", "c1", 30) + sale("p3", "c2", 7) + sale("p4", "c1", 20))
              .exit_code == 0);
  {
    WorkerProcess worker(dir, "top-n-1", broker.bootstrap(), {dir.file("top_n.sql")});
    REQUIRE(wait_until_true([&] { return kcat_dump(broker.bootstrap(), "top5").size() >= 6; }, 20s));
    CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  }
  // p5 (25) ranks second in c1 only against the restored 30, 20, 10: it moves p4 to 3 and p1 to 4.
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "sales"}, 20s, sale("p5", "c1", 25)).exit_code == 0);
  WorkerProcess worker(dir, "top-n-2", broker.bootstrap(), {dir.file("top_n.sql")});
  REQUIRE(wait_until_true([&] { return kcat_dump(broker.bootstrap(), "top5").size() >= 9; }, 20s));
  CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  CHECK(records(broker.bootstrap()) ==
        std::vector<std::string>{ranked("p1", "c1", 10, 1), ranked("p2", "c1", 30, 1), ranked("p1", "c1", 10, 2),
                                 ranked("p3", "c2", 7, 1), ranked("p4", "c1", 20, 2), ranked("p1", "c1", 10, 3),
                                 ranked("p5", "c1", 25, 2), ranked("p4", "c1", 20, 3), ranked("p1", "c1", 10, 4)});
}
