// UNION ALL and UNION (issue 12 item 6) run offline end to end (translate,
// build, LocalRunner: what `ananas replay` does) with the JSON bytes Flink
// writes: the examples of Flink's docs page (Queries > Set Operations), the
// watermark of a union (the minimum over its inputs), type widening, and the
// forms Calcite rejects, in its words.
#include <string>
#include <vector>

#include "pipelines/yaml/emit.hpp"
#include "pipelines/yaml/load.hpp"
#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::error_of;
using replay_test::record;
using replay_test::run_sql;
using replay_test::kKafka;
using replay_test::kUpsert;

namespace {

const std::string kTables = replay_test::kSetOpsTables;

std::vector<ananas::KcatRecord> docs_rows() { return replay_test::set_ops_docs_rows(); }

std::vector<std::string> values_of(std::initializer_list<const char*> letters) {
  std::vector<std::string> out;
  for (const char* s : letters) out.push_back(std::string(R"({"s":")") + s + "\"}");
  return out;
}

}  // namespace

TEST_CASE("UNION ALL: the docs' example writes every row of both tables", "[replay][union]") {
  const std::string sql = kTables + "CREATE TABLE out (s STRING) WITH ('topic' = 'out', " + kKafka + ");\n"
                                    "INSERT INTO out (SELECT s FROM t1) UNION ALL (SELECT s FROM t2);\n";
  CHECK(run_sql(sql, docs_rows()) == values_of({"c", "a", "b", "b", "c", "d", "e", "a", "b", "b"}));
}

TEST_CASE("UNION: the docs' example writes each distinct row once into upsert-kafka", "[replay][union]") {
  const std::string sql = kTables +
                          "CREATE TABLE out (s STRING, PRIMARY KEY (s) NOT ENFORCED) WITH ('topic' = 'out', " + kUpsert + ");\n"
                          "INSERT INTO out (SELECT s FROM t1) UNION (SELECT s FROM t2);\n";
  CHECK(run_sql(sql, docs_rows()) == values_of({"c", "a", "b", "d", "e"}));
  // Like SELECT DISTINCT, UNION is an updating GroupAggregate: a plain kafka sink refuses it.
  const std::string append = kTables + "CREATE TABLE out (s STRING) WITH ('topic' = 'out', " + kKafka + ");\n"
                                       "INSERT INTO out SELECT s FROM t1 UNION SELECT s FROM t2;\n";
  CHECK_THAT(error_of(append), Catch::Contains("doesn't support consuming update changes which is produced by node GroupAggregate"));
}

TEST_CASE("UNION ALL: a chain is one union_all node, a table read twice gives its rows twice", "[replay][union]") {
  const std::string sql = kTables + "CREATE TABLE out (s STRING) WITH ('topic' = 'out', " + kKafka + ");\n"
                                    "INSERT INTO out SELECT s FROM t1 UNION ALL SELECT s FROM t2 WHERE s <> 'b' "
                                    "UNION ALL SELECT s FROM t1 WHERE s = 'c';\n";
  CHECK(run_sql(sql, docs_rows()) == values_of({"c", "c", "a", "b", "b", "c", "c", "d", "e", "a"}));
  auto set = ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs");
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(set);
  INFO(yaml);
  CHECK(yaml.find("    type: union_all\n    inputs: [project, filter, filter_1]\n") != std::string::npos);
  CHECK(ananas::pipeline::load_pipelines_yaml(yaml, "p.yaml") == set);
}

TEST_CASE("UNION ALL: the watermark is the minimum over the inputs, so a slower table's rows are not late", "[replay][union]") {
  // t1 reaches 00:12 before t2 has sent anything: were the union's watermark
  // t1's, window [00:00, 00:05) would fire then and drop t2's 00:03 and 00:04.
  const std::string sql =
      "CREATE TABLE c1 (name STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('topic' = 'c1', " + kKafka + ");\n"
      "CREATE TABLE c2 (who STRING, at TIMESTAMP(3), WATERMARK FOR at AS at) WITH ('topic' = 'c2', " + kKafka + ");\n"
      "CREATE TABLE counts (window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT) WITH ('topic' = 'n', " + kKafka + ");\n"
      "INSERT INTO counts WITH clicks AS (SELECT name, ts FROM c1 UNION ALL SELECT who, at FROM c2)\n"
      "SELECT window_start, window_end, COUNT(*) FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '5' SECOND))\n"
      "GROUP BY window_start, window_end;\n";
  auto click = [](const char* topic, int64_t offset, const char* second) {
    return record(topic, offset, std::string(R"({"name":"x","who":"y","ts":"2024-01-01 00:00:)") + second +
                                     R"(","at":"2024-01-01 00:00:)" + second + R"("})");
  };
  CHECK(run_sql(sql, {click("c1", 0, "01"), click("c1", 1, "02"), click("c1", 2, "12"), click("c2", 0, "03"),
                      click("c2", 1, "04"), click("c2", 2, "13")}) ==
        std::vector<std::string>{
            R"({"window_start":"2024-01-01 00:00:00","window_end":"2024-01-01 00:00:05","n":4})",
            R"({"window_start":"2024-01-01 00:00:10","window_end":"2024-01-01 00:00:15","n":2})"});
}

TEST_CASE("UNION ALL: column types widen to the least restrictive, names are the first branch's", "[replay][union]") {
  const std::string sql =
      "CREATE TABLE a (i INT, name STRING) WITH ('topic' = 'a', " + kKafka + ");\n"
      "CREATE TABLE b (d DOUBLE, label STRING) WITH ('topic' = 'b', " + kKafka + ");\n"
      "CREATE TABLE out (v DOUBLE, name STRING) WITH ('topic' = 'out', " + kKafka + ");\n"
      "INSERT INTO out SELECT i AS v, name FROM a UNION ALL SELECT d, label FROM b;\n";
  CHECK(run_sql(sql, {record("a", 0, R"({"i":1,"name":"x"})"), record("b", 0, R"({"d":2.5,"label":"y"})")}) ==
        std::vector<std::string>{R"({"v":1.0,"name":"x"})", R"({"v":2.5,"name":"y"})"});
  auto set = ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs");
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(set);
  INFO(yaml);
  CHECK(yaml.find("{name: v, expr: CAST(i AS DOUBLE)}") != std::string::npos);
  CHECK(yaml.find("{name: name, expr: label}") != std::string::npos);
}

TEST_CASE("UNION ALL: what Calcite rejects gets its words, at the branch", "[replay][union]") {
  const std::string head = kTables + "CREATE TABLE n (i INT) WITH ('topic' = 'n', " + kKafka + ");\n"
                                     "CREATE TABLE out (s STRING) WITH ('topic' = 'out', " + kKafka + ");\n";
  CHECK_THAT(error_of(head + "INSERT INTO out SELECT s FROM t1 UNION ALL SELECT s, s FROM t2;\n"),
             Catch::Contains("docs.sql:5:44: Column count mismatch in UNION ALL"));
  CHECK_THAT(error_of(head + "INSERT INTO out SELECT s FROM t1 UNION ALL SELECT i FROM n;\n"),
             Catch::Contains("docs.sql:5:44: Type mismatch in column 1 of UNION ALL"));
}

TEST_CASE("union_all in YAML: inputs listed, at least two, once each, and of one shape", "[replay][union]") {
  const std::string head =
      "pipeline: u\n"
      "sources:\n"
      "  - {name: a, connector: kafka, format: json, options: {topic: a}, columns: [{name: x, type: INT}]}\n"
      "  - {name: b, connector: kafka, format: json, options: {topic: b}, columns: [{name: y, type: STRING}]}\n"
      "operators:\n";
  const std::string sink = "sinks:\n  - {name: out, input: u, connector: blackhole, format: json, columns: [{name: x, type: INT}]}\n";
  auto error = [&](const std::string& op) {
    try {
      auto set = ananas::pipeline::load_pipelines_yaml(head + op + sink, "u.yaml");
      ananas::pipeline::build_pipeline(set.pipelines.at(0));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK_THAT(error("  - {name: u, type: union_all, inputs: [a]}\n"),
             Catch::Contains("u.yaml:6:40: operators[0] (u).inputs: union_all reads at least two inputs"));
  CHECK_THAT(error("  - {name: u, type: union_all, inputs: [a, a]}\n"), Catch::Contains("input 'a' is listed twice"));
  CHECK_THAT(error("  - {name: u, type: union_all, input: a}\n"), Catch::Contains("unknown key 'input'"));
  CHECK_THAT(error("  - {name: u, type: union_all, inputs: [a, c]}\n"),
             Catch::Contains("input 'c' is not a source or operator of pipeline u"));
  CHECK_THAT(error("  - {name: u, type: union_all, inputs: [a, b]}\n"),
             Catch::Contains("union_all 'u': column 1 of input 'b' (y) is STRING, but 'a' gives INT"));
  CHECK(error("  - {name: u, type: calc, input: a, inputs: [a, b]}\n").find("unknown key 'inputs'") != std::string::npos);
}
