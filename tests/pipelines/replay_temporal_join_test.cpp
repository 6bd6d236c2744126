// Event-time temporal joins (issue 12 item 5; Flink docs, Queries > Joins >
// Event Time Temporal Join) run offline end to end (translate, build,
// LocalRunner: what `ananas replay` does): the docs' orders joined with the
// currency rate each order's time saw, LEFT and INNER, the plan in the
// pipeline YAML, and Flink's refusals.
#include <string>
#include <vector>

#include "pipelines/yaml/emit.hpp"
#include "pipelines/yaml/load.hpp"
#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::error_of;
using replay_test::kKafka;
using replay_test::kUpsert;
using replay_test::record;
using replay_test::run_sql;

namespace {

// The docs' tables: the rates are a versioned table (a primary key and a
// watermark), here an upsert-kafka topic whose value carries update_time.
const std::string kTables =
    "CREATE TABLE orders (order_id STRING, price DECIMAL(32,2), currency STRING, order_time TIMESTAMP(3),\n"
    "  WATERMARK FOR order_time AS order_time - INTERVAL '15' SECOND) WITH ('topic' = 'orders', " + kKafka + ");\n"
    "CREATE TABLE currency_rates (currency STRING, conversion_rate DECIMAL(32, 2), update_time TIMESTAMP(3),\n"
    "  WATERMARK FOR update_time AS update_time - INTERVAL '15' SECOND, PRIMARY KEY(currency) NOT ENFORCED)\n"
    "  WITH ('topic' = 'rates', " + kUpsert + ");\n"
    "CREATE TABLE out (order_id STRING, price DECIMAL(32,2), currency STRING, conversion_rate DECIMAL(32, 2),\n"
    "  order_time TIMESTAMP(3)) WITH ('topic' = 'out', " + kKafka + ");\n";

const std::string kDocsQuery =
    "INSERT INTO out SELECT order_id, price, orders.currency, conversion_rate, order_time\n"
    "FROM orders\n"
    "LEFT JOIN currency_rates FOR SYSTEM_TIME AS OF orders.order_time\n"
    "ON orders.currency = currency_rates.currency;\n";

ananas::KcatRecord order(int64_t offset, const std::string& id, const std::string& price, const std::string& currency,
                         const std::string& time) {
  return record("orders", offset, "{\"order_id\":\"" + id + "\",\"price\":" + price + ",\"currency\":\"" + currency +
                                      "\",\"order_time\":\"2020-04-15 " + time + "\"}");
}
ananas::KcatRecord rate(int64_t offset, const std::string& currency, const std::string& value, const std::string& time) {
  return record("rates", offset, "{\"currency\":\"" + currency + "\",\"conversion_rate\":" + value +
                                     ",\"update_time\":\"2020-04-15 " + time + "\"}");
}

// EUR is 1.14 from 11:58 and 1.10 from 12:03 (that version arrives after the
// 12:06 order: the order waits for the watermark, so it still sees it); the
// YEN order has no rate at its time (the first YEN rate is later).
std::vector<ananas::KcatRecord> input() {
  return {rate(0, "EUR", "1.14", "11:58:00"),         order(0, "o_001", "11.11", "EUR", "12:00:00"),
          order(1, "o_002", "12.51", "EUR", "12:06:00"), rate(1, "EUR", "1.10", "12:03:00"),
          order(2, "o_003", "3.00", "YEN", "12:07:00"),  rate(2, "YEN", "0.01", "12:08:00"),
          rate(3, "EUR", "1.20", "12:30:00"),         order(3, "o_004", "5.00", "EUR", "12:40:00")};
}

}  // namespace

TEST_CASE("temporal JOIN: the docs' orders LEFT JOIN currency_rates FOR SYSTEM_TIME AS OF the order time", "[replay][join][temporal_join]") {
  const std::string sql = kTables + kDocsQuery;
  CHECK(run_sql(sql, input()) ==
        std::vector<std::string>{
            R"({"order_id":"o_001","price":11.11,"currency":"EUR","conversion_rate":1.14,"order_time":"2020-04-15 12:00:00"})",
            R"({"order_id":"o_002","price":12.51,"currency":"EUR","conversion_rate":1.1,"order_time":"2020-04-15 12:06:00"})",
            R"({"order_id":"o_003","price":3,"currency":"YEN","conversion_rate":null,"order_time":"2020-04-15 12:07:00"})",
            R"({"order_id":"o_004","price":5,"currency":"EUR","conversion_rate":1.2,"order_time":"2020-04-15 12:40:00"})"});
  auto set = ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs");
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(set);
  INFO(yaml);
  CHECK(yaml.find("    join: left\n    left_key: [currency]\n    right_key: [currency0]\n    as_of: order_time\n"
                  "    right_time: update_time\n") != std::string::npos);
  CHECK(ananas::pipeline::load_pipelines_yaml(yaml, "p.yaml") == set);
}

TEST_CASE("temporal JOIN: an inner join drops the order without a rate, and the join's output keeps the order time as its rowtime",
          "[replay][join][temporal_join]") {
  // A TUMBLE window over the join's output: only possible while order_time is still a time attribute.
  const std::string sql =
      kTables +
      "CREATE TABLE totals (window_start TIMESTAMP(3), n BIGINT, eur DECIMAL(38, 4)) WITH ('topic' = 'totals', " + kKafka + ");\n"
      "CREATE TEMPORARY VIEW priced AS SELECT o.price, r.conversion_rate, o.order_time FROM orders AS o\n"
      "  JOIN currency_rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency;\n"
      "INSERT INTO totals SELECT window_start, COUNT(*), SUM(price * conversion_rate)\n"
      "FROM TABLE(TUMBLE(TABLE priced, DESCRIPTOR(order_time), INTERVAL '1' HOUR)) GROUP BY window_start, window_end;\n";
  CHECK(run_sql(sql, input()) == std::vector<std::string>{R"({"window_start":"2020-04-15 12:00:00","n":3,"eur":32.4264})"});
}

TEST_CASE("temporal JOIN: what Flink refuses is refused with its message", "[replay][join][temporal_join]") {
  const std::string plain_rates =
      "CREATE TABLE plain_rates (currency STRING, conversion_rate DECIMAL(32, 2), update_time TIMESTAMP(3),\n"
      "  WATERMARK FOR update_time AS update_time) WITH ('topic' = 'p', " + kKafka + ");\n"
      "CREATE TABLE unwatermarked (currency STRING, conversion_rate DECIMAL(32, 2), PRIMARY KEY(currency) NOT ENFORCED)\n"
      "  WITH ('topic' = 'u', " + kUpsert + ");\n";
  const std::string select = "INSERT INTO out SELECT order_id, price, orders.currency, conversion_rate, order_time FROM orders ";
  CHECK_THAT(error_of(kTables + plain_rates + select +
                      "JOIN plain_rates FOR SYSTEM_TIME AS OF orders.order_time ON orders.currency = plain_rates.currency;\n"),
             Catch::Contains("Temporal Table Join requires primary key in versioned table, but no primary key can be found."));
  CHECK_THAT(error_of(kTables + plain_rates + "CREATE TABLE o2 (order_id STRING, conversion_rate DECIMAL(32, 2)) WITH "
                                              "('topic' = 'o2', " + kKafka + ");\n"
                      "INSERT INTO o2 SELECT order_id, conversion_rate FROM orders "
                      "JOIN unwatermarked FOR SYSTEM_TIME AS OF orders.order_time ON orders.currency = unwatermarked.currency;\n"),
             Catch::Contains("Event-Time Temporal Table Join requires both primary key and row time attribute in versioned table"));
  CHECK_THAT(error_of(kTables + select +
                      "JOIN currency_rates FOR SYSTEM_TIME AS OF orders.order_time ON orders.order_id = currency_rates.currency;\n"),
             Catch::Contains("(no error)"));  // the key is matched, whatever the left column
  CHECK_THAT(error_of(kTables + select +
                      "JOIN currency_rates FOR SYSTEM_TIME AS OF orders.order_time ON orders.price = currency_rates.conversion_rate;\n"),
             Catch::Contains("Temporal table's primary key [currency] must be included in the equivalence condition of temporal "
                             "join, but current temporal join condition is [price=conversion_rate]."));
  CHECK_THAT(error_of(kTables + select +
                      "JOIN currency_rates FOR SYSTEM_TIME AS OF orders.price ON orders.currency = currency_rates.currency;\n"),
             Catch::Contains("Temporal table join currently only supports 'FOR SYSTEM_TIME AS OF' left table's time attribute field"));
  CHECK_THAT(error_of(kTables + select +
                      "RIGHT JOIN currency_rates FOR SYSTEM_TIME AS OF orders.order_time ON orders.currency = currency_rates.currency;\n"),
             Catch::Contains("a temporal join (FOR SYSTEM_TIME AS OF) is INNER or LEFT"));
  CHECK_THAT(error_of(kTables + "INSERT INTO out SELECT order_id, price, currency, CAST(NULL AS DECIMAL(32, 2)), order_time "
                                "FROM orders FOR SYSTEM_TIME AS OF orders.order_time;\n"),
             Catch::Contains("docs.sql:8:126: FOR SYSTEM_TIME AS OF belongs on the right side of a join"));
}

TEST_CASE("temporal JOIN: a tombstone on the versioned topic is skipped, the last version stays", "[replay][join][temporal_join]") {
  ananas::KcatRecord tombstone = record("rates", 4, "");
  tombstone.key = R"({"currency":"EUR"})";
  tombstone.payload = std::nullopt;
  std::vector<ananas::KcatRecord> in = {rate(0, "EUR", "1.14", "11:58:00"), tombstone, order(0, "o_001", "11.11", "EUR", "12:00:00")};
  CHECK(run_sql(kTables + kDocsQuery, in) ==
        std::vector<std::string>{
            R"({"order_id":"o_001","price":11.11,"currency":"EUR","conversion_rate":1.14,"order_time":"2020-04-15 12:00:00"})"});
}
