// An event-time temporal join in the worker on `ananas broker`: orders joined
// with the currency rate of their time from an upsert-kafka versioned table.
// An order waits for the watermark (the minimum of both topics'), so the
// first run writes only the orders the rates' watermark has passed; stopped
// (SIGTERM: a final checkpoint) and started again, the worker joins the order
// that only its restored state still holds with a rate that arrives later,
// and a new order with a version that only its restored state holds.
#include <catch2/catch.hpp>

#include <signal.h>

#include <set>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kTemporalSql = R"(
CREATE TABLE orders (order_id STRING, currency STRING, order_time TIMESTAMP(3),
  WATERMARK FOR order_time AS order_time)
  WITH ('connector' = 'kafka', 'topic' = 'orders', 'properties.bootstrap.servers' = '', 'format' = 'json',
        'scan.startup.mode' = 'earliest-offset');
CREATE TABLE currency_rates (currency STRING, conversion_rate DECIMAL(10, 2), update_time TIMESTAMP(3),
  WATERMARK FOR update_time AS update_time, PRIMARY KEY (currency) NOT ENFORCED)
  WITH ('connector' = 'upsert-kafka', 'topic' = 'rates', 'properties.bootstrap.servers' = '',
        'key.format' = 'json', 'value.format' = 'json');
CREATE TABLE priced (order_id STRING, currency STRING, conversion_rate DECIMAL(10, 2), order_time TIMESTAMP(3))
  WITH ('connector' = 'kafka', 'topic' = 'priced', 'properties.bootstrap.servers' = '', 'format' = 'json');
INSERT INTO priced
SELECT o.order_id, o.currency, r.conversion_rate, o.order_time
FROM orders AS o LEFT JOIN currency_rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency;
)";

std::string rate(const std::string& currency, const std::string& value, const std::string& time) {
  return "{\"currency\":\"" + currency + "\",\"conversion_rate\":" + value + ",\"update_time\":\"2020-04-15 " + time + "\"}\n";
}
std::string order(const std::string& id, const std::string& currency, const std::string& time) {
  return "{\"order_id\":\"" + id + "\",\"currency\":\"" + currency + "\",\"order_time\":\"2020-04-15 " + time + "\"}\n";
}
std::string priced(const std::string& id, const std::string& currency, const std::string& value, const std::string& time) {
  return "{\"order_id\":\"" + id + "\",\"currency\":\"" + currency + "\",\"conversion_rate\":" + value +
         ",\"order_time\":\"2020-04-15 " + time + "\"}";
}

std::multiset<std::string> output(const std::string& bootstrap) {
  std::multiset<std::string> out;
  for (const auto& r : kcat_dump(bootstrap, "priced")) out.insert(r.at("payload").get<std::string>());
  return out;
}

void produce(const std::string& bootstrap, const std::string& topic, const std::string& lines) {
  REQUIRE(run({"kcat", "-P", "-b", bootstrap, "-t", topic}, 20s, lines).exit_code == 0);
}

}  // namespace

TEST_CASE("temporal join in the worker: orders wait for the rates' watermark, and a restart joins them from restored state",
          "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("temporal-join-live");
  BrokerProcess broker(dir, 1, {"orders", "rates", "priced"});
  const std::string& b = broker.bootstrap();
  write_text(dir.file("temporal.sql"), kTemporalSql);
  produce(b, "rates", rate("EUR", "1.14", "11:58:00") + rate("USD", "1.00", "12:10:00"));
  produce(b, "orders", order("o_001", "EUR", "12:00:00") + order("o_usd", "USD", "12:10:00") + order("o_002", "EUR", "12:20:00"));
  // The watermark is min(12:20, 12:10): o_002 waits for a rate at or after its time.
  const std::multiset<std::string> first = {priced("o_001", "EUR", "1.14", "12:00:00"), priced("o_usd", "USD", "1", "12:10:00")};
  {
    WorkerProcess worker(dir, "temporal-1", b, {dir.file("temporal.sql")});
    const bool written = wait_until_true([&] { return output(b) == first; }, 30s);
    INFO(worker.process().err());
    REQUIRE(written);
    std::this_thread::sleep_for(1s);  // o_002 must not come out before the watermark passes it
    CHECK(output(b) == first);
    CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  }
  produce(b, "rates", rate("EUR", "1.10", "12:15:00") + rate("USD", "1.01", "12:40:00"));
  produce(b, "orders", order("o_003", "EUR", "12:12:00") + order("o_004", "USD", "12:40:00"));
  WorkerProcess worker(dir, "temporal-2", b, {dir.file("temporal.sql")});
  std::multiset<std::string> last = first;
  last.insert(priced("o_002", "EUR", "1.1", "12:20:00"));   // restored order, new version
  last.insert(priced("o_003", "EUR", "1.14", "12:12:00"));  // new order, restored version
  last.insert(priced("o_004", "USD", "1.01", "12:40:00"));
  const bool joined = wait_until_true([&] { return output(b) == last; }, 30s);
  CHECK(worker.process().signal_and_wait(SIGTERM, 20s) == 0);
  INFO(worker.process().err());
  CHECK(joined);
  CHECK(output(b) == last);
}
