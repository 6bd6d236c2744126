// SELECT DISTINCT and statement sets (issue 12) run offline end to end
// (translate, build, LocalRunner: what `ananas replay` does), with the JSON
// bytes Flink writes.
#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::record;
using replay_test::run_sql;
using replay_test::kKafka;
using replay_test::kUpsert;

namespace {

const std::string kOrders = "CREATE TABLE orders (id INT, name STRING) WITH ('topic' = 'orders', " + kKafka + ");\n";

std::vector<ananas::KcatRecord> orders() {
  return {record("orders", 0, R"({"id":1,"name":"acme"})"), record("orders", 1, R"({"id":2,"name":"initech"})"),
          record("orders", 2, R"({"id":3,"name":"acme"})"), record("orders", 3, R"({"id":4,"name":"acme"})"),
          record("orders", 4, R"({"id":5,"name":null})"), record("orders", 5, R"({"id":6,"name":null})")};
}

}  // namespace

TEST_CASE("replay: SELECT DISTINCT writes each distinct row once into upsert-kafka", "[replay]") {
  // Flink's GroupAggFunction emits nothing when a row repeats (no accumulator changes).
  const std::string sql = kOrders +
                          "CREATE TABLE names (name STRING, PRIMARY KEY (name) NOT ENFORCED) WITH ('topic' = 'names', " + kUpsert + ");\n"
                          "INSERT INTO names SELECT DISTINCT name FROM orders;\n";
  CHECK(run_sql(sql, orders(), true) == std::vector<std::string>{R"({"name":"acme"} | {"name":"acme"})",
                                                                R"({"name":"initech"} | {"name":"initech"})",
                                                                R"({"name":null} | {"name":null})"});
}

TEST_CASE("replay: SELECT DISTINCT over a GROUP BY deletes a row when its last copy is retracted", "[replay]") {
  // The distinct counts per name: acme's count goes 1, 2, 3; initech's stays 1. Count 1 stays (initech
  // holds it), count 2 loses its only copy when acme reaches 3: a DELETE, written as a tombstone.
  const std::string sql = kOrders +
                          "CREATE TABLE seen (n BIGINT, PRIMARY KEY (n) NOT ENFORCED) WITH ('topic' = 'seen', " + kUpsert + ");\n"
                          "INSERT INTO seen SELECT DISTINCT COUNT(*) AS n FROM orders WHERE id < 5 GROUP BY name;\n";
  CHECK(run_sql(sql, orders(), true) == std::vector<std::string>{R"({"n":1} | {"n":1})", R"({"n":2} | {"n":2})",
                                                                R"({"n":2} | null)", R"({"n":3} | {"n":3})"});
}

TEST_CASE("replay: SELECT DISTINCT over TUMBLE writes the distinct rows of each window once", "[replay]") {
  const std::string sql =
      "CREATE TABLE clicks (name STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('topic' = 'c', " + kKafka + ");\n"
      "CREATE TABLE seen (name STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3)) WITH ('topic' = 's', " + kKafka + ");\n"
      "INSERT INTO seen SELECT DISTINCT name, window_start, window_end\n"
      "FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '5' SECOND));\n";
  auto click = [](int64_t offset, const char* name, const char* second) {
    return record("c", offset, std::string(R"({"name":")") + name + R"(","ts":"2024-01-01 00:00:)" + second + R"("})");
  };
  CHECK(run_sql(sql, {click(0, "a", "01"), click(1, "a", "02"), click(2, "a", "03"), click(3, "a", "06"), click(4, "b", "12")}) ==
        std::vector<std::string>{
            R"({"name":"a","window_start":"2024-01-01 00:00:00","window_end":"2024-01-01 00:00:05"})",
            R"({"name":"a","window_start":"2024-01-01 00:00:05","window_end":"2024-01-01 00:00:10"})",
            // the end of the input fires the last window, as Flink's final watermark does
            R"({"name":"b","window_start":"2024-01-01 00:00:10","window_end":"2024-01-01 00:00:15"})"});
}

TEST_CASE("replay: a statement set writes what its INSERTs write on their own", "[replay]") {
  using namespace ananas::pipeline;
  const std::string tables = kOrders + "CREATE TABLE ids (id INT) WITH ('topic' = 'ids', " + kKafka + ");\n" +
                             "CREATE TABLE names (name STRING, PRIMARY KEY (name) NOT ENFORCED) WITH ('topic' = 'names', " +
                             kUpsert + ");\n";
  const std::string inserts = "INSERT INTO ids SELECT id FROM orders WHERE name = 'acme';\n"
                              "INSERT INTO names SELECT DISTINCT name FROM orders WHERE id > 1;\n";
  auto run_all = [](const std::string& sql) {
    PipelineSet set = translate_sql({{"set.sql", sql}}, "set");
    std::vector<std::string> out;
    for (const auto& p : set.pipelines) {
      BuiltPipeline built = build_pipeline(p);
      LocalRunner runner(built);
      runner.run(orders());
      REQUIRE(runner.bad_records().empty());
      for (const auto& o : runner.outputs()) out.push_back(p.sinks[0].name + ": " + o.value.value_or("null"));
    }
    return out;
  };
  const std::vector<std::string> expected = {"ids: {\"id\":1}", "ids: {\"id\":3}", "ids: {\"id\":4}",
                                             "names: {\"name\":\"initech\"}", "names: {\"name\":\"acme\"}",
                                             "names: {\"name\":null}"};
  CHECK(run_all(tables + inserts) == expected);
  CHECK(run_all(tables + "EXECUTE STATEMENT SET\nBEGIN\n" + inserts + "END;\n") == expected);
  CHECK(run_all(tables + "BEGIN STATEMENT SET;\n" + inserts + "END;\n") == expected);
}
