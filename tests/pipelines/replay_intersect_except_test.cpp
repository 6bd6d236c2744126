// INTERSECT [ALL] and EXCEPT [ALL] (issue 12) run offline end to end
// (translate, build, LocalRunner: what `ananas replay` does) with the
// changelog Flink's plans produce and the JSON bytes its upsert-kafka sink
// writes: the examples of Flink's docs page (Queries > Set Operations, its
// views t1 and t2 as tables whose rows arrive t1's first), NULLs matching
// NULLs, INTERSECT binding tighter than UNION, and what Flink refuses.
//
// Where the docs give only the final rows, the expected records are worked
// out from Flink's plans (SetOperatorsTest.xml): INTERSECT / EXCEPT are a
// LeftSemiJoin / LeftAntiJoin on IS NOT DISTINCT FROM of every column and a
// GroupAggregate; INTERSECT ALL / EXCEPT ALL a Union with markers, a
// GroupAggregate counting them, a Calc and a Correlate with ReplicateRows,
// whose rows reach the sink through its SinkUpsertMaterializer.
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

const std::string kOut = replay_test::kSetOpsTables + "CREATE TABLE out (s STRING, PRIMARY KEY (s) NOT ENFORCED) "
                                                      "WITH ('topic' = 'out', " + kUpsert + ");\n";

// "key | value" records of upsert-kafka: a letter's row, or its tombstone ("-letter").
std::vector<std::string> upserts(std::initializer_list<const char*> letters) {
  std::vector<std::string> out;
  for (std::string s : letters) {
    const bool tombstone = s[0] == '-';
    if (tombstone) s = s.substr(1);
    const std::string row = R"({"s":")" + s + "\"}";
    out.push_back(row + " | " + (tombstone ? "null" : row));
  }
  return out;
}

}  // namespace

TEST_CASE("INTERSECT: the docs' example writes a and b, each when it is first in both tables", "[replay][set_ops]") {
  // The semi join emits a once and b twice (t1 has two b's) when t2's a and b arrive; the DISTINCT keeps one each.
  CHECK(run_sql(kOut + "INSERT INTO out (SELECT s FROM t1) INTERSECT (SELECT s FROM t2);\n", replay_test::set_ops_docs_rows(),
                true) == upserts({"a", "b"}));
  auto set = ananas::pipeline::translate_sql({{"docs.sql", kOut + "INSERT INTO out SELECT s FROM t1 INTERSECT SELECT s FROM t2;\n"}},
                                             "docs");
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(set);
  INFO(yaml);
  CHECK(yaml.find("    type: join\n    inputs: [project, project_1]\n    join: semi\n    null_safe: true\n    left_key: [s]\n"
                  "    right_key: [s0]\n") != std::string::npos);
  CHECK(ananas::pipeline::load_pipelines_yaml(yaml, "p.yaml") == set);
}

TEST_CASE("EXCEPT: the docs' example writes t1's rows, then deletes those t2 has", "[replay][set_ops]") {
  // The anti join emits t1's rows (no t2 row yet), then retracts a and both b's as t2's arrive.
  CHECK(run_sql(kOut + "INSERT INTO out (SELECT s FROM t1) EXCEPT (SELECT s FROM t2);\n", replay_test::set_ops_docs_rows(), true) ==
        upserts({"c", "a", "b", "-a", "-b"}));
}

TEST_CASE("INTERSECT ALL: the docs' example ends with a and b, b's copies rewritten as t2's count grows", "[replay][set_ops]") {
  // Counts (t1, t2) per row: a reaches (1, 1): +U a once; b reaches (2, 1): +U b once, then (2, 2):
  // -U b (the one copy), +U b twice. Through the sink's materializer: b's last copy gone is a
  // tombstone, then b again.
  CHECK(run_sql(kOut + "INSERT INTO out (SELECT s FROM t1) INTERSECT ALL (SELECT s FROM t2);\n", replay_test::set_ops_docs_rows(),
                true) == upserts({"a", "b", "-b", "b", "b"}));
  auto set = ananas::pipeline::translate_sql(
      {{"docs.sql", kOut + "INSERT INTO out SELECT s FROM t1 INTERSECT ALL SELECT s FROM t2;\n"}}, "docs");
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(set);
  INFO(yaml);
  CHECK(yaml.find("    aggregates:\n      - {name: vcol_left_cnt, function: COUNT, args: [vcol_left_marker]}\n"
                  "      - {name: vcol_right_cnt, function: COUNT, args: [vcol_right_marker]}\n") != std::string::npos);
  CHECK(yaml.find("    type: replicate\n    input: set_filter\n    times: $f0\n") != std::string::npos);
  CHECK(ananas::pipeline::load_pipelines_yaml(yaml, "p.yaml") == set);
}

TEST_CASE("EXCEPT ALL: the docs' example ends with c, each change of a count retracting and rewriting its copies", "[replay][set_ops]") {
  // Sums (+1 per t1 row, -1 per t2 row): c 1, a 1, b 1, b 2 (-U b, +U b twice), c 2 (-U c, +U c
  // twice), then t2: a 0 (-U a), b 1 (-U b twice, +U b), b 0 (-U b).
  CHECK(run_sql(kOut + "INSERT INTO out (SELECT s FROM t1) EXCEPT ALL (SELECT s FROM t2);\n", replay_test::set_ops_docs_rows(),
                true) == upserts({"c", "a", "b", "-b", "b", "b", "-c", "c", "c", "-a", "-b", "b", "-b"}));
}

TEST_CASE("EXCEPT of an updating right branch: a row comes back when its match is retracted", "[replay][set_ops]") {
  // t2's rows seen fewer than twice: b's second copy retracts b (-U), so t1's b's lose their only
  // match and the anti join writes them again.
  CHECK(run_sql(kOut + "INSERT INTO out SELECT s FROM t1 EXCEPT SELECT s FROM t2 GROUP BY s HAVING COUNT(*) < 2;\n",
                replay_test::set_ops_docs_rows(), true) == upserts({"c", "a", "b", "-a", "-b", "b"}));
}

TEST_CASE("INTERSECT and EXCEPT: NULL matches NULL, and the columns take the branches' common types", "[replay][set_ops]") {
  const std::string tables =
      "CREATE TABLE l (k INT, v STRING) WITH ('topic' = 'l', " + kKafka + ");\n"
      "CREATE TABLE r (k BIGINT, v STRING) WITH ('topic' = 'r', " + kKafka + ");\n"
      "CREATE TABLE out (k BIGINT, v STRING, PRIMARY KEY (k) NOT ENFORCED) WITH ('topic' = 'out', " + kUpsert + ");\n";
  const std::vector<ananas::KcatRecord> rows = {record("l", 0, R"({"k":1,"v":null})"), record("l", 1, R"({"k":2,"v":"x"})"),
                                                record("r", 0, R"({"k":1,"v":null})"), record("r", 1, R"({"k":2,"v":"y"})")};
  CHECK(run_sql(tables + "INSERT INTO out SELECT * FROM l INTERSECT SELECT * FROM r;\n", rows, true) ==
        std::vector<std::string>{R"({"k":1} | {"k":1,"v":null})"});
  CHECK(run_sql(tables + "INSERT INTO out SELECT * FROM l EXCEPT SELECT * FROM r;\n", rows, true) ==
        std::vector<std::string>{R"({"k":1} | {"k":1,"v":null})", R"({"k":2} | {"k":2,"v":"x"})", R"({"k":1} | null)"});
}

TEST_CASE("INTERSECT of a left branch whose rows are unique already has no second DISTINCT", "[replay][set_ops]") {
  // Flink's FlinkAggregateRemoveRule drops the Aggregate: the semi join keeps the left rows' uniqueness.
  const std::string sql = kOut + "INSERT INTO out SELECT DISTINCT s FROM t1 INTERSECT SELECT s FROM t2;\n";
  CHECK(run_sql(sql, replay_test::set_ops_docs_rows(), true) == upserts({"a", "b"}));
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs"));
  INFO(yaml);
  CHECK(yaml.find("type: group_aggregate") == yaml.rfind("type: group_aggregate"));  // the left branch's DISTINCT alone
  CHECK(yaml.find("    input: intersect\n    connector: upsert-kafka") != std::string::npos);
}

TEST_CASE("INTERSECT binds tighter than UNION and EXCEPT", "[replay][set_ops]") {
  // t1 UNION (t2 INTERSECT t1): every distinct row of t1, and t2's a and b (in t1 already).
  CHECK(run_sql(kOut + "INSERT INTO out SELECT s FROM t1 UNION SELECT s FROM t2 INTERSECT SELECT s FROM t1;\n",
                replay_test::set_ops_docs_rows(), true) == upserts({"c", "a", "b"}));
}

TEST_CASE("INTERSECT and EXCEPT: what Flink refuses, in its words", "[replay][set_ops]") {
  const std::string append = replay_test::kSetOpsTables + "CREATE TABLE out (s STRING) WITH ('topic' = 'out', " + kKafka + ");\n";
  CHECK_THAT(error_of(append + "INSERT INTO out SELECT s FROM t1 INTERSECT SELECT s FROM t2;\n"),
             Catch::Contains("doesn't support consuming update changes which is produced by node GroupAggregate(groupBy=[s], "
                             "select=[s])"));
  CHECK_THAT(error_of(append + "INSERT INTO out SELECT s FROM t1 EXCEPT ALL SELECT s FROM t2;\n"),
             Catch::Contains("doesn't support consuming update changes which is produced by node GroupAggregate(groupBy=[s], "
                             "select=[s, SUM(vcol_marker) AS sum_vcol_marker])"));
  CHECK_THAT(error_of(append + "INSERT INTO out SELECT s FROM t1 INTERSECT ALL SELECT s, s FROM t2;\n"),
             Catch::Contains("Column count mismatch in INTERSECT ALL"));
  CHECK_THAT(error_of(replay_test::kSetOpsTables + "CREATE TABLE n (i INT) WITH ('topic' = 'n', " + kKafka + ");\n" +
                      "CREATE TABLE out (s STRING, PRIMARY KEY (s) NOT ENFORCED) WITH ('topic' = 'out', " + kUpsert + ");\n" +
                      "INSERT INTO out SELECT s FROM t1 EXCEPT SELECT i FROM n;\n"),
             Catch::Contains("Type mismatch in column 1 of EXCEPT"));
}
