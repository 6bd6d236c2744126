// Interval joins (issue 12 item 5; Flink docs, Queries > Joins > Interval
// Joins) run offline end to end (translate, build, LocalRunner: what `ananas
// replay` does): the docs' Orders/Shipments query in its comma form and as
// JOIN ... ON, the bounds in the pipeline YAML, strict bounds, and what stays
// a regular join (an outer join, bounds on one side only).
#include <algorithm>
#include <string>
#include <vector>

#include "pipelines/yaml/emit.hpp"
#include "pipelines/yaml/load.hpp"
#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::error_of;
using replay_test::kKafka;
using replay_test::record;
using replay_test::run_sql;

namespace {

const std::string kTables =
    "CREATE TABLE Orders (id INT, order_time TIMESTAMP(3), WATERMARK FOR order_time AS order_time) "
    "WITH ('topic' = 'orders', " + kKafka + ");\n"
    "CREATE TABLE Shipments (order_id INT, ship_time TIMESTAMP(3), WATERMARK FOR ship_time AS ship_time) "
    "WITH ('topic' = 'shipments', " + kKafka + ");\n"
    "CREATE TABLE out (id INT, order_time TIMESTAMP(3), order_id INT, ship_time TIMESTAMP(3)) "
    "WITH ('topic' = 'out', " + kKafka + ");\n";

ananas::KcatRecord order(int64_t offset, int id, const std::string& time) {
  return record("orders", offset, "{\"id\":" + std::to_string(id) + ",\"order_time\":\"2020-04-15 " + time + "\"}");
}
ananas::KcatRecord shipment(int64_t offset, int id, const std::string& time) {
  return record("shipments", offset, "{\"order_id\":" + std::to_string(id) + ",\"ship_time\":\"2020-04-15 " + time + "\"}");
}

// Orders 1..4; order 1 ships within 4 hours, order 2 after 5 hours, order 3
// is shipped before it was ordered, order 4 ships twice within the bounds.
std::vector<ananas::KcatRecord> input() {
  return {order(0, 1, "08:00:00"), order(1, 2, "08:30:00"), shipment(0, 1, "11:00:00"), order(2, 3, "12:00:00"),
          shipment(1, 3, "11:30:00"), order(3, 4, "12:10:00"), shipment(2, 2, "13:30:00"), shipment(3, 4, "12:10:00"),
          shipment(4, 4, "16:10:00"), shipment(5, 4, "16:10:01")};
}

const std::vector<std::string> kExpected{
    R"({"id":1,"order_time":"2020-04-15 08:00:00","order_id":1,"ship_time":"2020-04-15 11:00:00"})",
    R"({"id":4,"order_time":"2020-04-15 12:10:00","order_id":4,"ship_time":"2020-04-15 12:10:00"})",
    R"({"id":4,"order_time":"2020-04-15 12:10:00","order_id":4,"ship_time":"2020-04-15 16:10:00"})"};

}  // namespace

TEST_CASE("interval JOIN: the docs' comma join of Orders and Shipments within 4 hours", "[replay][join][interval_join]") {
  const std::string sql = kTables +
                          "INSERT INTO out SELECT * FROM Orders o, Shipments s WHERE o.id = s.order_id AND\n"
                          "o.order_time BETWEEN s.ship_time - INTERVAL '4' HOUR AND s.ship_time;\n";
  CHECK(run_sql(sql, input()) == kExpected);
  // The plan names the bounds: order_time - ship_time within [-4 h, 0].
  auto set = ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs");
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(set);
  INFO(yaml);
  CHECK(yaml.find("    left_key: [id]\n    right_key: [order_id]\n    left_time: order_time\n    right_time: ship_time\n"
                  "    lower_bound_ms: -14400000\n    upper_bound_ms: 0\n") != std::string::npos);
  CHECK(ananas::pipeline::load_pipelines_yaml(yaml, "p.yaml") == set);
}

TEST_CASE("interval JOIN: the same as JOIN ... ON, with the bounds as two comparisons", "[replay][join][interval_join]") {
  CHECK(run_sql(kTables + "INSERT INTO out SELECT * FROM Orders o JOIN Shipments s ON o.id = s.order_id AND "
                          "o.order_time BETWEEN s.ship_time - INTERVAL '4' HOUR AND s.ship_time;\n",
                input()) == kExpected);
  // The right side's time on the left of the comparisons, and a strict upper bound.
  const std::string strict = kTables +
                             "INSERT INTO out SELECT * FROM Orders o JOIN Shipments s ON o.id = s.order_id AND "
                             "s.ship_time >= o.order_time AND s.ship_time < o.order_time + INTERVAL '4' HOUR;\n";
  CHECK(run_sql(strict, input()) == std::vector<std::string>{kExpected[0], kExpected[1]});
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(ananas::pipeline::translate_sql({{"docs.sql", strict}}, "docs"));
  INFO(yaml);
  CHECK(yaml.find("    lower_bound_ms: -14399999\n    upper_bound_ms: 0\n") != std::string::npos);
}

TEST_CASE("interval JOIN: a one-sided bound stays a regular join", "[replay][join][interval_join]") {
  // Only a lower bound: a regular join, whose output has no time attributes.
  const std::string one_sided = kTables + "INSERT INTO out SELECT * FROM Orders o, Shipments s WHERE o.id = s.order_id AND "
                                          "o.order_time >= s.ship_time - INTERVAL '4' HOUR;\n";
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(ananas::pipeline::translate_sql({{"docs.sql", one_sided}}, "docs"));
  INFO(yaml);
  CHECK(yaml.find("left_time") == std::string::npos);
  // A comma join without a WHERE is still a cross join, refused.
  CHECK_THAT(error_of(kTables + "INSERT INTO out SELECT * FROM Orders o, Shipments s;\n"), Catch::Contains("cross join"));
}

TEST_CASE("interval JOIN: LEFT, RIGHT and FULL write the rows without a partner padded, insert-only", "[replay][join][interval_join]") {
  const std::string on = " JOIN Shipments s ON o.id = s.order_id AND o.order_time BETWEEN s.ship_time - INTERVAL '4' HOUR AND s.ship_time;\n";
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  // Order 2 ships after 5 hours and order 3 before it was ordered: no partner.
  const std::vector<std::string> orders_alone{
      R"({"id":2,"order_time":"2020-04-15 08:30:00","order_id":null,"ship_time":null})",
      R"({"id":3,"order_time":"2020-04-15 12:00:00","order_id":null,"ship_time":null})"};
  // Shipments of orders 3 and 2 out of the bounds, and order 4's second one 1 s too late.
  const std::vector<std::string> shipments_alone{
      R"({"id":null,"order_time":null,"order_id":2,"ship_time":"2020-04-15 13:30:00"})",
      R"({"id":null,"order_time":null,"order_id":3,"ship_time":"2020-04-15 11:30:00"})",
      R"({"id":null,"order_time":null,"order_id":4,"ship_time":"2020-04-15 16:10:01"})"};
  std::vector<std::string> left = kExpected, right = kExpected, full = kExpected;
  left.insert(left.end(), orders_alone.begin(), orders_alone.end());
  right.insert(right.end(), shipments_alone.begin(), shipments_alone.end());
  full.insert(full.end(), orders_alone.begin(), orders_alone.end());
  full.insert(full.end(), shipments_alone.begin(), shipments_alone.end());
  const std::string select = kTables + "INSERT INTO out SELECT * FROM Orders o ";
  CHECK(sorted(run_sql(select + "LEFT" + on, input())) == sorted(left));
  CHECK(sorted(run_sql(select + "RIGHT" + on, input())) == sorted(right));
  CHECK(sorted(run_sql(select + "FULL OUTER" + on, input())) == sorted(full));
  // An interval join, insert-only: a plain kafka sink takes it.
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(ananas::pipeline::translate_sql({{"docs.sql", select + "LEFT" + on}}, "docs"));
  INFO(yaml);
  CHECK(yaml.find("    join: left\n    left_key: [id]\n    right_key: [order_id]\n    left_time: order_time\n") != std::string::npos);
}

TEST_CASE("interval JOIN: the watermark after the join is held back by the bounds, so a window over the pairs misses none",
          "[replay][join][interval_join]") {
  // Order 4's second pair is made at 15:00, when both inputs' watermarks have
  // passed 13:00: its order_time (12:10) would be late for the hour window
  // [12:00, 13:00) had the join forwarded the watermark as it came (Flink
  // holds it back by 4 hours here).
  const std::string sql =
      kTables +
      "CREATE TABLE hourly (window_start TIMESTAMP(3), pairs BIGINT) WITH ('topic' = 'hourly', " + kKafka + ");\n"
      "CREATE TEMPORARY VIEW shipped AS SELECT o.id, o.order_time FROM Orders o, Shipments s WHERE o.id = s.order_id AND\n"
      "o.order_time BETWEEN s.ship_time - INTERVAL '4' HOUR AND s.ship_time;\n"
      "INSERT INTO hourly SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE shipped, DESCRIPTOR(order_time), INTERVAL '1' HOUR))\n"
      "GROUP BY window_start, window_end;\n";
  const std::vector<ananas::KcatRecord> in = {order(0, 4, "12:10:00"), shipment(0, 4, "12:30:00"), shipment(1, 9, "13:05:00"),
                                              order(1, 5, "14:00:00"), shipment(2, 4, "15:00:00")};
  CHECK(run_sql(sql, in) == std::vector<std::string>{R"({"window_start":"2020-04-15 12:00:00","pairs":2})"});
}

TEST_CASE("interval JOIN: keys of different types (INT = BIGINT) match in their common type", "[replay][join][interval_join]") {
  // Shipments' order_id is a BIGINT here: the orders' INT id is cast before the join, the bounds stay.
  std::string tables = kTables;
  const std::string int_id = "(order_id INT, ship_time";
  tables.replace(tables.find(int_id), int_id.size(), "(order_id BIGINT, ship_time");
  tables.replace(tables.rfind("order_id INT"), std::string("order_id INT").size(), "order_id BIGINT");
  const std::string sql = tables +
                          "INSERT INTO out SELECT * FROM Orders o, Shipments s WHERE o.id = s.order_id AND\n"
                          "o.order_time BETWEEN s.ship_time - INTERVAL '4' HOUR AND s.ship_time;\n";
  CHECK(run_sql(sql, input()) == kExpected);
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs"));
  INFO(yaml);
  CHECK(yaml.find("    left_key: [$f2]\n    right_key: [order_id]\n    left_time: order_time\n") != std::string::npos);
}
