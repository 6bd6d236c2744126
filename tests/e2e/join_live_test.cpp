// A regular join in the worker on `ananas broker`: orders LEFT JOIN products
// into upsert-kafka. Which topic the worker reads first is not fixed, so the
// test reads the output as the table it upserts (the last value per key).
// Stopped (SIGTERM: a final checkpoint) and started again, the worker joins
// a product that arrives later with an order it only has in its restored
// join state.
#include <catch2/catch.hpp>

#include <signal.h>

#include <map>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kJoinSql = R"(
CREATE TABLE Orders (order_id INT, product_id INT)
  WITH ('connector' = 'kafka', 'topic' = 'orders', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE Product (id INT, name STRING)
  WITH ('connector' = 'kafka', 'topic' = 'product', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE enriched (order_id INT, name STRING, PRIMARY KEY (order_id) NOT ENFORCED)
  WITH ('connector' = 'upsert-kafka', 'topic' = 'enriched', 'properties.bootstrap.servers' = '',
        'key.format' = 'json', 'value.format' = 'json');
INSERT INTO enriched
SELECT o.order_id, p.name FROM Orders AS o LEFT JOIN Product AS p ON o.product_id = p.id;
)";

// The upserted table: key -> its last value ("null" once deleted).
std::map<std::string, std::string> table(const std::string& bootstrap) {
  std::map<std::string, std::string> out;
  for (const auto& r : kcat_dump(bootstrap, "enriched"))
    out[r.at("key").get<std::string>()] = r.at("payload").is_null() ? "null" : r.at("payload").get<std::string>();
  return out;
}

}  // namespace

TEST_CASE("join in the worker: a LEFT JOIN enriches orders, and a restart joins a late product from restored state", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("join-live");
  BrokerProcess broker(dir, 1, {"orders", "product", "enriched"});
  write_text(dir.file("join.sql"), kJoinSql);
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "product"}, 20s, "{\"id\":5,\"name\":\"pen\"}\n").exit_code == 0);
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "orders"}, 20s,
              "{\"order_id\":1,\"product_id\":5}\n{\"order_id\":2,\"product_id\":6}\n")
              .exit_code == 0);
  const std::map<std::string, std::string> first = {{R"({"order_id":1})", R"({"order_id":1,"name":"pen"})"},
                                                    {R"({"order_id":2})", R"({"order_id":2,"name":null})"}};
  {
    WorkerProcess worker(dir, "join-1", broker.bootstrap(), {dir.file("join.sql")});
    REQUIRE(wait_until_true([&] { return table(broker.bootstrap()) == first; }, 30s));
    CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  }
  REQUIRE(run({"kcat", "-P", "-b", broker.bootstrap(), "-t", "product"}, 20s, "{\"id\":6,\"name\":\"ink\"}\n").exit_code == 0);
  WorkerProcess worker(dir, "join-2", broker.bootstrap(), {dir.file("join.sql")});
  const std::map<std::string, std::string> last = {{R"({"order_id":1})", R"({"order_id":1,"name":"pen"})"},
                                                   {R"({"order_id":2})", R"({"order_id":2,"name":"ink"})"}};
  const bool joined = wait_until_true([&] { return table(broker.bootstrap()) == last; }, 30s);
  CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  INFO(worker.process().err());
  CHECK(joined);
}
