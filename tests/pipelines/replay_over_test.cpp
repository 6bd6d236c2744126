// OVER aggregations (issue 12 item 2) run offline end to end (translate,
// build, LocalRunner: what `ananas replay` does) with the JSON bytes Flink
// writes: the examples of Flink's docs page (Queries > Over Aggregation), ROWS
// and UNBOUNDED frames, a z-score rule, and the queries Flink rejects.
#include <string>
#include <vector>

#include "pipelines/yaml/emit.hpp"
#include "pipelines/yaml/load.hpp"
#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::record;
using replay_test::error_of;
using replay_test::run_sql;
using replay_test::kKafka;

namespace {

// Flink's docs page's Orders table; the watermark is the order time itself.
const std::string kOrders =
    "CREATE TABLE Orders (order_id INT, product STRING, amount INT, order_time TIMESTAMP(3),\n"
    "  WATERMARK FOR order_time AS order_time) WITH ('topic' = 'orders', " + kKafka + ");\n";

// The same with a watermark one minute behind: rows of equal time can both arrive before it passes them.
std::string delayed_orders() {
  std::string sql = kOrders;
  sql.replace(sql.find("AS order_time)"), 14, "AS order_time - INTERVAL '1' MINUTE)");
  return sql;
}

ananas::KcatRecord order(int64_t offset, int id, const char* product, int amount, const char* time) {
  char buf[200];
  std::snprintf(buf, sizeof buf, R"({"order_id":%d,"product":"%s","amount":%d,"order_time":"2024-01-01 %s"})", id, product,
                amount, time);
  return record("orders", offset, buf);
}

// a 10:00 (10), a 10:30 (20), b 10:30 (5, behind the watermark but its product
// has emitted nothing: kept), a 10:30 (30: product a emitted 10:30, dropped as
// late), a 10:10 (late), a 11:30 (40: the 10:00 order left the hour), b 11:45 (7).
std::vector<ananas::KcatRecord> orders() {
  return {order(0, 1, "a", 10, "10:00:00"), order(1, 2, "a", 20, "10:30:00"), order(2, 3, "b", 5, "10:30:00"),
          order(3, 4, "a", 30, "10:30:00"), order(4, 5, "a", 1, "10:10:00"),  order(5, 6, "a", 40, "11:30:00"),
          order(6, 7, "b", 7, "11:45:00")};
}

std::string out_row(int id, const char* time, int amount, const std::string& rest) {
  return "{\"order_id\":" + std::to_string(id) + ",\"order_time\":\"2024-01-01 " + time + "\",\"amount\":" +
         std::to_string(amount) + "," + rest + "}";
}


}  // namespace

TEST_CASE("replay: Flink docs' OVER example, SUM over the last hour per product", "[replay][over]") {
  const std::string sql = kOrders +
                          "CREATE TABLE out1 (order_id INT, order_time TIMESTAMP(3), amount INT, one_hour_prod_amount_sum INT) "
                          "WITH ('topic' = 'out', " + kKafka + ");\n"
                          "INSERT INTO out1\n"
                          "SELECT order_id, order_time, amount,\n"
                          "  SUM(amount) OVER (\n"
                          "    PARTITION BY product\n"
                          "    ORDER BY order_time\n"
                          "    RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW\n"
                          "  ) AS one_hour_prod_amount_sum\n"
                          "FROM Orders;\n";
  CHECK(run_sql(sql, orders()) == std::vector<std::string>{
                                      out_row(1, "10:00:00", 10, R"("one_hour_prod_amount_sum":10)"),
                                      out_row(2, "10:30:00", 20, R"("one_hour_prod_amount_sum":30)"),
                                      out_row(3, "10:30:00", 5, R"("one_hour_prod_amount_sum":5)"),
                                      out_row(6, "11:30:00", 40, R"("one_hour_prod_amount_sum":60)"),
                                      out_row(7, "11:45:00", 7, R"("one_hour_prod_amount_sum":7)")});
}

TEST_CASE("replay: Flink docs' WINDOW clause, SUM and AVG over one named window", "[replay][over]") {
  const std::string sql = kOrders +
                          "CREATE TABLE out2 (order_id INT, order_time TIMESTAMP(3), amount INT, sum_amount INT, avg_amount INT) "
                          "WITH ('topic' = 'out', " + kKafka + ");\n"
                          "INSERT INTO out2\n"
                          "SELECT order_id, order_time, amount,\n"
                          "  SUM(amount) OVER w AS sum_amount,\n"
                          "  AVG(amount) OVER w AS avg_amount\n"
                          "FROM Orders\n"
                          "WINDOW w AS (\n"
                          "  PARTITION BY product\n"
                          "  ORDER BY order_time\n"
                          "  RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)\n";
  // AVG of an INT is an INT, truncated (Flink's AvgAggFunction for INT).
  CHECK(run_sql(sql, orders()) == std::vector<std::string>{
                                      out_row(1, "10:00:00", 10, R"("sum_amount":10,"avg_amount":10)"),
                                      out_row(2, "10:30:00", 20, R"("sum_amount":30,"avg_amount":15)"),
                                      out_row(3, "10:30:00", 5, R"("sum_amount":5,"avg_amount":5)"),
                                      out_row(6, "11:30:00", 40, R"("sum_amount":60,"avg_amount":30)"),
                                      out_row(7, "11:45:00", 7, R"("sum_amount":7,"avg_amount":7)")});
}

TEST_CASE("replay: ROWS BETWEEN 2 PRECEDING and UNBOUNDED PRECEDING, peers one by one", "[replay][over]") {
  const std::string sql = delayed_orders() +
                          "CREATE TABLE out3 (order_id INT, max3 INT, cnt BIGINT, running INT) WITH ('topic' = 'out', " + kKafka + ");\n"
                          "INSERT INTO out3 SELECT order_id,\n"
                          "  MAX(amount) OVER (PARTITION BY product ORDER BY order_time ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),\n"
                          "  COUNT(*) OVER (PARTITION BY product ORDER BY order_time ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),\n"
                          "  SUM(amount) OVER (PARTITION BY product ORDER BY order_time ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)\n"
                          "FROM Orders;\n";
  // Product a: 50 and 10 at 10:00, 20 at 10:30, 30 and 5 at 11:00; the watermark trails by a minute.
  const std::vector<ananas::KcatRecord> in = {order(0, 1, "a", 50, "10:00:00"), order(1, 2, "a", 10, "10:00:00"),
                                              order(2, 3, "a", 20, "10:30:00"), order(3, 4, "a", 30, "11:00:00"),
                                              order(4, 5, "a", 5, "11:00:00")};
  // The 10:00 rows leave when the 10:30 record moves the watermark, the 11:00 ones at the end of the input.
  CHECK(run_sql(sql, in) == std::vector<std::string>{
                                R"({"order_id":1,"max3":50,"cnt":1,"running":50})", R"({"order_id":2,"max3":50,"cnt":2,"running":60})",
                                R"({"order_id":3,"max3":50,"cnt":3,"running":80})", R"({"order_id":4,"max3":30,"cnt":3,"running":60})",
                                R"({"order_id":5,"max3":30,"cnt":3,"running":55})"});
  const std::string unbounded = delayed_orders() +
                                "CREATE TABLE out4 (order_id INT, cnt BIGINT, total INT) WITH ('topic' = 'out', " + kKafka + ");\n"
                                "INSERT INTO out4 SELECT order_id, COUNT(*) OVER w, SUM(amount) OVER w FROM Orders\n"
                                "WINDOW w AS (PARTITION BY product ORDER BY order_time RANGE UNBOUNDED PRECEDING);\n";
  // RANGE: the two 10:00 rows and the two 11:00 rows are peers and see each other.
  CHECK(run_sql(unbounded, in) == std::vector<std::string>{R"({"order_id":1,"cnt":2,"total":60})", R"({"order_id":2,"cnt":2,"total":60})",
                                                           R"({"order_id":3,"cnt":3,"total":80})", R"({"order_id":4,"cnt":5,"total":115})",
                                                           R"({"order_id":5,"cnt":5,"total":115})"});
}

TEST_CASE("replay: a z-score rule, AVG and STDDEV_POP over the last 10 seconds per sensor", "[replay][over]") {
  const std::string sql =
      "CREATE TABLE readings (sensor STRING, v DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('topic' = 'r', " + kKafka + ");\n"
      "CREATE TABLE anomalies (sensor STRING, ts TIMESTAMP(3), v DOUBLE, mu DOUBLE, sigma DOUBLE) WITH ('topic' = 'a', " + kKafka + ");\n"
      "INSERT INTO anomalies\n"
      "SELECT sensor, ts, v, mu, sigma FROM (\n"
      "  SELECT sensor, ts, v, AVG(v) OVER w AS mu, STDDEV_POP(v) OVER w AS sigma\n"
      "  FROM readings\n"
      "  WINDOW w AS (PARTITION BY sensor ORDER BY ts RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW)\n"
      ") WHERE sigma > 0 AND ABS(v - mu) / sigma > 1.5;\n";
  std::vector<ananas::KcatRecord> in;
  const std::pair<int, int> values[] = {{1, 2}, {2, 4}, {3, 4}, {4, 4}, {5, 5}, {6, 5}, {7, 7}, {8, 9}, {15, 100}, {3, 1000}};
  int64_t offset = 0;
  for (auto [second, v] : values) {
    char buf[120];
    std::snprintf(buf, sizeof buf, R"({"sensor":"s1","v":%d,"ts":"2024-01-01 00:00:%02d"})", v, second);
    in.push_back(record("r", offset++, buf));
  }
  // z = |v - mu| / sigma: 1.84 at :07, 2.0 at :08, 2.0 at :15 (:01 to :04 have left its frame);
  // the last reading (:03, after :15 was emitted) is late and dropped.
  CHECK(run_sql(sql, in) == std::vector<std::string>{
                                R"({"sensor":"s1","ts":"2024-01-01 00:00:07","v":7.0,"mu":4.428571428571429,"sigma":1.3997084244475306})",
                                R"({"sensor":"s1","ts":"2024-01-01 00:00:08","v":9.0,"mu":5.0,"sigma":2.0})",
                                R"({"sensor":"s1","ts":"2024-01-01 00:00:15","v":100.0,"mu":25.2,"sigma":37.42940020892667})"});
}

TEST_CASE("OVER: the translation is one over_aggregate node between the source and the projection", "[replay][over]") {
  const std::string sql = kOrders +
                          "CREATE TABLE o (order_id INT, s INT) WITH ('topic' = 'out', " + kKafka + ");\n"
                          "INSERT INTO o SELECT order_id, SUM(amount) OVER (PARTITION BY product ORDER BY order_time "
                          "ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) FROM Orders WHERE amount > 0;\n";
  auto set = ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs");
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(set);
  CHECK(yaml.find("  - name: over_aggregate\n"
                  "    type: over_aggregate\n"
                  "    input: filter\n"
                  "    partition_by: [product]\n"
                  "    order_by: order_time\n"
                  "    frame: {unit: rows, preceding: 10}\n"
                  "    aggregates:\n"
                  "      - {name: w0$o0, function: SUM, args: [amount]}\n") != std::string::npos);
  CHECK(ananas::pipeline::load_pipelines_yaml(yaml, "p.yaml") == set);
}

TEST_CASE("OVER: the forms Flink rejects get Flink's words, at their place", "[replay][over]") {
  const std::string head = kOrders + "CREATE TABLE o (order_id INT, s INT) WITH ('topic' = 'out', " + kKafka + ");\n";
  auto over = [&](const std::string& window) {
    return error_of(head + "INSERT INTO o SELECT order_id, SUM(amount) OVER (" + window + ") FROM Orders;\n");
  };
  CHECK(over("PARTITION BY product ORDER BY amount") ==
        "docs.sql:4:80: OVER windows' ordering in stream mode must be defined on a time attribute.");
  CHECK(over("ORDER BY order_time DESC") == "docs.sql:4:59: The window can only be ordered in ASCENDING mode.");
  CHECK(over("ORDER BY order_time, amount") == "docs.sql:4:71: The window can only be ordered by a single time column.");
  CHECK(over("ORDER BY order_time ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING") ==
        "docs.sql:4:99: Flink only supports CURRENT ROW as the upper boundary of an OVER window.");
  CHECK(over("PARTITION BY product") ==
        "docs.sql:4:44: OVER windows' ordering in stream mode must be defined on a time attribute.");
  CHECK(error_of(head + "INSERT INTO o SELECT SUM(amount) OVER (ORDER BY order_time ROWS 2 PRECEDING), "
                        "COUNT(amount) OVER (ORDER BY order_time) FROM Orders;\n") ==
        "docs.sql:4:93: Over Agg: Unsupported use of OVER windows. All aggregates must be computed on the same window.");
  CHECK(error_of(head + "INSERT INTO o SELECT order_id, SUM(amount) OVER w FROM Orders;\n") ==
        "docs.sql:4:49: window 'w' is not defined in a WINDOW clause");
}
