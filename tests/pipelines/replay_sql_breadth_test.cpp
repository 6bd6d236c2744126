// Issue 12's forms run offline end to end (translate, build, LocalRunner: what
// `ananas replay` does), with the JSON bytes Flink writes: a view read by an
// INSERT, INSERT's implicit casts, GROUP BY an expression, LEFT JOIN UNNEST ON
// TRUE, and STDDEV/VAR in window aggregations and in an updating GROUP BY.
#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::record;
using replay_test::run_sql;
using replay_test::kKafka;
using replay_test::kUpsert;

TEST_CASE("replay: a view, GROUP BY UPPER(name) and an INT sum into a DOUBLE column", "[replay]") {
  const std::string sql =
      "CREATE TABLE orders (id INT, name STRING, amount INT) WITH ('topic' = 'orders', " + kKafka + ");\n"
      "CREATE TABLE totals (name STRING, total DOUBLE, PRIMARY KEY (name) NOT ENFORCED) WITH ('topic' = 'totals', " + kUpsert + ");\n"
      "CREATE TEMPORARY VIEW big_orders AS SELECT name, amount FROM orders WHERE amount > 10;\n"
      "INSERT INTO totals SELECT UPPER(name), SUM(amount) FROM big_orders GROUP BY UPPER(name);\n";
  std::vector<ananas::KcatRecord> input = {
      record("orders", 0, R"({"id":1,"name":"acme","amount":20})"), record("orders", 1, R"({"id":2,"name":"Acme","amount":5})"),
      record("orders", 2, R"({"id":3,"name":"ACME","amount":15})"), record("orders", 3, R"({"id":4,"name":"initech","amount":11})")};
  CHECK(run_sql(sql, input, true) == std::vector<std::string>{
                                         R"({"name":"ACME"} | {"name":"ACME","total":20.0})",
                                         R"({"name":"ACME"} | {"name":"ACME","total":35.0})",
                                         R"({"name":"INITECH"} | {"name":"INITECH","total":11.0})"});
}

TEST_CASE("replay: implicit casts into wider sink columns write the wider type's JSON", "[replay]") {
  // DECIMAL 3.00 is written 3: Flink's JSON format strips trailing zeros (json_encoder.hpp).
  const std::string sql =
      "CREATE TABLE nums (i INT, b BIGINT, f FLOAT, s SMALLINT) WITH ('topic' = 'nums', " + kKafka + ");\n"
      "CREATE TABLE wide (d1 DOUBLE, d2 DOUBLE, dec DECIMAL(12, 2), big BIGINT, fd DOUBLE, si INT) WITH ('topic' = 'wide', " + kKafka + ");\n"
      "INSERT INTO wide SELECT i, b, i, i, f, s FROM nums;\n";
  CHECK(run_sql(sql, {record("nums", 0, R"({"i":3,"b":9007199254740993,"f":1.1,"s":-7})"),
                      record("nums", 1, R"({"i":null,"b":-1,"f":null,"s":null})")}) ==
        std::vector<std::string>{
            R"({"d1":3.0,"d2":9.007199254740992E15,"dec":3,"big":3,"fd":1.100000023841858,"si":-7})",
            R"({"d1":null,"d2":-1.0,"dec":null,"big":null,"fd":null,"si":null})"});
}

TEST_CASE("replay: LEFT JOIN UNNEST ON TRUE keeps orders without tags, with NULLs", "[replay]") {
  const std::string sql =
      "CREATE TABLE tagged_orders (id INT, tags ARRAY<STRING>) WITH ('topic' = 'o', " + kKafka + ");\n"
      "CREATE TABLE tags (id INT, tag STRING, pos INT) WITH ('topic' = 't', " + kKafka + ");\n"
      "INSERT INTO tags SELECT id, tag, pos FROM tagged_orders LEFT JOIN UNNEST(tags) WITH ORDINALITY AS t(tag, pos) ON TRUE;\n";
  CHECK(run_sql(sql, {record("o", 0, R"({"id":1,"tags":["a","b"]})"), record("o", 1, R"({"id":2,"tags":[]})"),
                      record("o", 2, R"({"id":3,"tags":null})"), record("o", 3, R"({"id":4})")}) ==
        std::vector<std::string>{R"({"id":1,"tag":"a","pos":1})", R"({"id":1,"tag":"b","pos":2})",
                                 R"({"id":2,"tag":null,"pos":null})", R"({"id":3,"tag":null,"pos":null})",
                                 R"({"id":4,"tag":null,"pos":null})"});
}

namespace {

const std::string kReadings =
    "CREATE TABLE readings (sensor STRING, v DOUBLE, n INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('topic' = 'r', " +
    kKafka + ");\n"
    "CREATE TABLE stats (sensor STRING, window_start TIMESTAMP(3), sd_pop DOUBLE, sd_samp DOUBLE, var_pop DOUBLE, var_samp DOUBLE, "
    "n_sd INT) WITH ('topic' = 'stats', " + kKafka + ");\n";

ananas::KcatRecord reading(int64_t offset, const char* time, double v) {
  char buf[160];
  std::snprintf(buf, sizeof buf, R"({"sensor":"a","v":%g,"n":%d,"ts":"2024-01-01 00:00:%s"})", v, static_cast<int>(v), time);
  return record("r", offset, buf);
}

std::string stats_row(const char* start, const char* sd_pop, const char* sd_samp, const char* var_pop, const char* var_samp,
                      const char* n_sd) {
  return std::string(R"({"sensor":"a","window_start":"2024-01-01 00:00:)") + start + R"(","sd_pop":)" + sd_pop +
         R"(,"sd_samp":)" + sd_samp + R"(,"var_pop":)" + var_pop + R"(,"var_samp":)" + var_samp + R"(,"n_sd":)" + n_sd + "}";
}

}  // namespace

TEST_CASE("replay: STDDEV/VAR over a TUMBLE window, DOUBLE and INT, one value gives NULL samples", "[replay]") {
  const std::string sql = kReadings +
                          "INSERT INTO stats SELECT sensor, window_start, STDDEV_POP(v), STDDEV_SAMP(v), VAR_POP(v), VAR_SAMP(v), "
                          "STDDEV_POP(n) FROM TABLE(TUMBLE(TABLE readings, DESCRIPTOR(ts), INTERVAL '10' SECOND)) "
                          "GROUP BY sensor, window_start, window_end;\n";
  std::vector<ananas::KcatRecord> input;
  const double xs[] = {2, 4, 4, 4, 5, 5, 7, 9};
  for (int i = 0; i < 8; ++i) input.push_back(reading(i, "01", xs[i]));
  input.push_back(reading(8, "12", 3.5));
  CHECK(run_sql(sql, input) == std::vector<std::string>{stats_row("00", "2.0", "2.138089935299395", "4.0", "4.571428571428571", "2"),
                                                        stats_row("10", "0.0", "null", "0.0", "null", "0")});
}

TEST_CASE("replay: STDDEV/VAR over HOP windows", "[replay]") {
  const std::string sql = kReadings +
                          "INSERT INTO stats SELECT sensor, window_start, STDDEV_POP(v), STDDEV_SAMP(v), VAR_POP(v), VAR_SAMP(v), "
                          "STDDEV_SAMP(n) FROM TABLE(HOP(TABLE readings, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) "
                          "GROUP BY sensor, window_start, window_end;\n";
  // 1 and 2 at 00:01-00:02, 6 and 8 at 00:06-00:07: windows [-5, 5), [0, 10), [5, 15).
  std::vector<ananas::KcatRecord> input = {reading(0, "01", 1), reading(1, "02", 2), reading(2, "06", 6), reading(3, "07", 8)};
  const std::string before = R"({"sensor":"a","window_start":"2023-12-31 23:59:55","sd_pop":0.5,"sd_samp":0.7071067811865476,)"
                             R"("var_pop":0.25,"var_samp":0.5,"n_sd":1})";
  CHECK(run_sql(sql, input) ==
        std::vector<std::string>{before, stats_row("00", "2.8613807855648994", "3.304037933599835", "8.1875", "10.916666666666666", "3"),
                                 stats_row("05", "1.0", "1.4142135623730951", "1.0", "2.0", "1")});
}

TEST_CASE("replay: STDDEV_POP in a GROUP BY over an updating input retracts", "[replay]") {
  const std::string sql =
      "CREATE TABLE clicks (region STRING, user_name STRING) WITH ('topic' = 'c', " + kKafka + ");\n"
      "CREATE TABLE spread (region STRING, sd DOUBLE, PRIMARY KEY (region) NOT ENFORCED) WITH ('topic' = 's', " + kUpsert + ");\n"
      "INSERT INTO spread SELECT region, STDDEV_POP(CAST(cnt AS DOUBLE)) FROM\n"
      "  (SELECT region, user_name, COUNT(*) AS cnt FROM clicks GROUP BY region, user_name) GROUP BY region;\n";
  // Counts per user: ann 1; ann 1, bob 1 (spread unchanged: nothing written); ann 2, bob 1.
  CHECK(run_sql(sql,
                {record("c", 0, R"({"region":"eu","user_name":"ann"})"), record("c", 1, R"({"region":"eu","user_name":"bob"})"),
                 record("c", 2, R"({"region":"eu","user_name":"ann"})")},
                true) == std::vector<std::string>{R"({"region":"eu"} | {"region":"eu","sd":0.0})",
                                                  R"({"region":"eu"} | {"region":"eu","sd":0.5})"});
}

TEST_CASE("replay: the legacy GROUP BY TUMBLE(...) with TUMBLE_START, TUMBLE_END and TUMBLE_ROWTIME", "[replay]") {
  // Flink docs, Queries > Group Window Aggregation: SUM(amount) per user and day.
  const std::string sql =
      "CREATE TABLE Orders (user_id BIGINT, product STRING, amount INT, order_time TIMESTAMP(3),\n"
      "  WATERMARK FOR order_time AS order_time - INTERVAL '1' SECOND) WITH ('topic' = 'orders', " + kKafka + ");\n"
      "CREATE TABLE per_user (user_id BIGINT, wStart TIMESTAMP(3), wEnd TIMESTAMP(3), wTime TIMESTAMP(3), amount INT)\n"
      "  WITH ('topic' = 'per_user', " + kKafka + ");\n"
      "INSERT INTO per_user SELECT user_id, TUMBLE_START(order_time, INTERVAL '1' DAY) AS wStart,\n"
      "  TUMBLE_END(order_time, INTERVAL '1' DAY) AS wEnd, TUMBLE_ROWTIME(order_time, INTERVAL '1' DAY) AS wTime, SUM(amount)\n"
      "FROM Orders GROUP BY TUMBLE(order_time, INTERVAL '1' DAY), user_id;\n";
  auto order = [](int64_t offset, int user, int amount, const char* time) {
    return record("orders", offset,
                  "{\"user_id\":" + std::to_string(user) + ",\"product\":\"p\",\"amount\":" + std::to_string(amount) +
                      ",\"order_time\":\"" + time + "\"}");
  };
  CHECK(run_sql(sql, {order(0, 1, 10, "2024-01-01 08:00:00"), order(1, 2, 5, "2024-01-01 09:00:00"),
                      order(2, 1, 20, "2024-01-01 23:00:00"), order(3, 1, 7, "2024-01-02 10:00:00")}) ==
        std::vector<std::string>{
            R"({"user_id":1,"wStart":"2024-01-01 00:00:00","wEnd":"2024-01-02 00:00:00","wTime":"2024-01-01 23:59:59.999","amount":30})",
            R"({"user_id":2,"wStart":"2024-01-01 00:00:00","wEnd":"2024-01-02 00:00:00","wTime":"2024-01-01 23:59:59.999","amount":5})",
            R"({"user_id":1,"wStart":"2024-01-02 00:00:00","wEnd":"2024-01-03 00:00:00","wTime":"2024-01-02 23:59:59.999","amount":7})"});
}
