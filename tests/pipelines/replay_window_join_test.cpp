// Window joins (issue 12 item 5; Flink docs, Queries > Window JOIN) run
// offline end to end (translate, build, LocalRunner: what `ananas replay`
// does): the docs' FULL OUTER JOIN of LeftTable and RightTable on TUMBLE
// windows with the rows the page prints, as JSON bytes; INNER, LEFT and RIGHT
// of the same rows; HOP and CUMULATE windows; a window join after window
// aggregations; the pipeline YAML; and Flink's refusals (different windows,
// one window equality only).
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
    "CREATE TABLE LeftTable (row_time TIMESTAMP(3), num INT, id STRING, WATERMARK FOR row_time AS row_time - INTERVAL '1' SECOND) "
    "WITH ('topic' = 'left', " + kKafka + ");\n"
    "CREATE TABLE RightTable (row_time TIMESTAMP(3), num INT, id STRING, WATERMARK FOR row_time AS row_time - INTERVAL '1' SECOND) "
    "WITH ('topic' = 'right', " + kKafka + ");\n"
    "CREATE TABLE out (L_Num INT, L_Id STRING, R_Num INT, R_Id STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3)) "
    "WITH ('topic' = 'out', " + kKafka + ");\n";

ananas::KcatRecord row(const std::string& topic, int64_t offset, const std::string& time, int num, const std::string& id) {
  return record(topic, offset, "{\"row_time\":\"2020-04-15 " + time + ":00\",\"num\":" + std::to_string(num) + ",\"id\":\"" + id + "\"}");
}

// The docs' tables: SELECT * FROM LeftTable, SELECT * FROM RightTable.
std::vector<ananas::KcatRecord> docs_rows() {
  return {row("left", 0, "12:02", 1, "L1"), row("left", 1, "12:06", 2, "L2"), row("left", 2, "12:03", 3, "L3"),
          row("right", 0, "12:01", 2, "R2"), row("right", 1, "12:04", 3, "R3"), row("right", 2, "12:05", 4, "R4")};
}

// The docs' query with `join` and the window TVF `tvf` on both sides.
std::string docs_query(const std::string& join, const std::string& tvf = "TUMBLE", const std::string& sizes = "INTERVAL '5' MINUTES") {
  return kTables +
         "INSERT INTO out\n"
         "SELECT L.num as L_Num, L.id as L_Id, R.num as R_Num, R.id as R_Id,\n"
         "       COALESCE(L.window_start, R.window_start) as window_start,\n"
         "       COALESCE(L.window_end, R.window_end) as window_end\n"
         "FROM (\n"
         "    SELECT * FROM TABLE(" + tvf + "(TABLE LeftTable, DESCRIPTOR(row_time), " + sizes + "))\n"
         ") L\n" + join + " JOIN (\n"
         "    SELECT * FROM TABLE(" + tvf + "(TABLE RightTable, DESCRIPTOR(row_time), " + sizes + "))\n"
         ") R\n"
         "ON L.num = R.num AND L.window_start = R.window_start AND L.window_end = R.window_end;\n";
}

std::string out_row(const std::string& l_num, const std::string& l_id, const std::string& r_num, const std::string& r_id,
                    const std::string& start, const std::string& end) {
  auto text = [](const std::string& v) { return v == "null" ? v : "\"" + v + "\""; };
  return "{\"L_Num\":" + l_num + ",\"L_Id\":" + text(l_id) + ",\"R_Num\":" + r_num + ",\"R_Id\":" + text(r_id) +
         ",\"window_start\":\"2020-04-15 " + start + ":00\",\"window_end\":\"2020-04-15 " + end + ":00\"}";
}

}  // namespace

TEST_CASE("window JOIN: the docs' FULL OUTER JOIN of LeftTable and RightTable on 5-minute tumbling windows", "[replay][join][window_join]") {
  const std::string sql = docs_query("FULL");
  // The docs' result, row for row: L2 and R2 do not join, they are in different windows.
  CHECK(run_sql(sql, docs_rows()) == std::vector<std::string>{out_row("1", "L1", "null", "null", "12:00", "12:05"),
                                                              out_row("null", "null", "2", "R2", "12:00", "12:05"),
                                                              out_row("3", "L3", "3", "R3", "12:00", "12:05"),
                                                              out_row("2", "L2", "null", "null", "12:05", "12:10"),
                                                              out_row("null", "null", "4", "R4", "12:05", "12:10")});
  // The plan: one join naming both sides' window bounds, keyed by num alone; insert-only (a kafka sink takes it).
  auto set = ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs");
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(set);
  INFO(yaml);
  CHECK(yaml.find("    join: full\n    left_key: [num]\n    right_key: [num0]\n    left_window: [window_start, window_end]\n"
                  "    right_window: [window_start0, window_end0]\n") != std::string::npos);
  CHECK(ananas::pipeline::load_pipelines_yaml(yaml, "p.yaml") == set);
}

TEST_CASE("window JOIN: INNER, LEFT and RIGHT of the docs' rows", "[replay][join][window_join]") {
  CHECK(run_sql(docs_query("INNER"), docs_rows()) == std::vector<std::string>{out_row("3", "L3", "3", "R3", "12:00", "12:05")});
  CHECK(run_sql(docs_query("LEFT"), docs_rows()) == std::vector<std::string>{out_row("1", "L1", "null", "null", "12:00", "12:05"),
                                                                             out_row("3", "L3", "3", "R3", "12:00", "12:05"),
                                                                             out_row("2", "L2", "null", "null", "12:05", "12:10")});
  CHECK(run_sql(docs_query("RIGHT"), docs_rows()) == std::vector<std::string>{out_row("null", "null", "2", "R2", "12:00", "12:05"),
                                                                              out_row("3", "L3", "3", "R3", "12:00", "12:05"),
                                                                              out_row("null", "null", "4", "R4", "12:05", "12:10")});
}

TEST_CASE("window JOIN: HOP and CUMULATE windows join window by window", "[replay][join][window_join]") {
  // 10-minute windows every 5 minutes: L2 and R2 meet in [12:00, 12:10), L3 and R3 in two windows.
  CHECK(run_sql(docs_query("INNER", "HOP", "INTERVAL '5' MINUTES, INTERVAL '10' MINUTES"), docs_rows()) ==
        std::vector<std::string>{out_row("3", "L3", "3", "R3", "11:55", "12:05"), out_row("2", "L2", "2", "R2", "12:00", "12:10"),
                                 out_row("3", "L3", "3", "R3", "12:00", "12:10")});
  // Windows growing by 5 minutes up to 10 from 12:00: [12:00, 12:05) then [12:00, 12:10).
  CHECK(run_sql(docs_query("LEFT", "CUMULATE", "INTERVAL '5' MINUTES, INTERVAL '10' MINUTES"), docs_rows()) ==
        std::vector<std::string>{out_row("1", "L1", "null", "null", "12:00", "12:05"), out_row("3", "L3", "3", "R3", "12:00", "12:05"),
                                 out_row("1", "L1", "null", "null", "12:00", "12:10"), out_row("2", "L2", "2", "R2", "12:00", "12:10"),
                                 out_row("3", "L3", "3", "R3", "12:00", "12:10")});
}

TEST_CASE("window JOIN: after window aggregations, on the window alone", "[replay][join][window_join]") {
  // Per num and window, the count of each side; joined on the window and num.
  const std::string counts = kTables +
                             "CREATE TABLE counts (num INT, l_cnt BIGINT, r_cnt BIGINT, window_start TIMESTAMP(3), window_end TIMESTAMP(3)) "
                             "WITH ('topic' = 'counts', " + kKafka + ");\n"
                             "INSERT INTO counts\n"
                             "SELECT L.num, L.cnt, R.cnt, L.window_start, L.window_end FROM (\n"
                             "  SELECT num, window_start, window_end, COUNT(*) AS cnt\n"
                             "  FROM TABLE(TUMBLE(TABLE LeftTable, DESCRIPTOR(row_time), INTERVAL '10' MINUTES)) GROUP BY num, window_start, window_end\n"
                             ") L JOIN (\n"
                             "  SELECT num, window_start, window_end, COUNT(*) AS cnt\n"
                             "  FROM TABLE(TUMBLE(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '10' MINUTES)) GROUP BY num, window_start, window_end\n"
                             ") R ON L.window_start = R.window_start AND L.window_end = R.window_end AND L.num = R.num;\n";
  CHECK(run_sql(counts, docs_rows()) ==
        std::vector<std::string>{R"({"num":2,"l_cnt":1,"r_cnt":1,"window_start":"2020-04-15 12:00:00","window_end":"2020-04-15 12:10:00"})",
                                 R"({"num":3,"l_cnt":1,"r_cnt":1,"window_start":"2020-04-15 12:00:00","window_end":"2020-04-15 12:10:00"})"});
  // ON with the window equalities only: every row of a window meets every row of the other side's.
  const std::string pairs = kTables +
                            "INSERT INTO out SELECT L.num, L.id, R.num, R.id, L.window_start, L.window_end FROM (\n"
                            "  SELECT * FROM TABLE(TUMBLE(TABLE LeftTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) L JOIN (\n"
                            "  SELECT * FROM TABLE(TUMBLE(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) R\n"
                            "ON L.window_start = R.window_start AND L.window_end = R.window_end AND L.num < R.num;\n";
  CHECK(run_sql(pairs, docs_rows()) == std::vector<std::string>{out_row("1", "L1", "2", "R2", "12:00", "12:05"),
                                                                out_row("1", "L1", "3", "R3", "12:00", "12:05"),
                                                                out_row("2", "L2", "4", "R4", "12:05", "12:10")});
}

TEST_CASE("window JOIN: after a window Top-N", "[replay][join][window_join]") {
  // The largest num per 5-minute window of LeftTable (L3, then L2), joined with RightTable's rows of its window.
  // LeftTable in time order: the Top-N reads LeftTable alone, whose watermark after L2 (12:05:59) would fire
  // [12:00, 12:05) before L3 and drop it as late.
  std::vector<ananas::KcatRecord> rows = docs_rows();
  std::swap(rows[1].payload, rows[2].payload);
  const std::string sql = kTables +
                          "INSERT INTO out SELECT L.num, L.id, R.num, R.id, L.window_start, L.window_end FROM (\n"
                          "  SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY num DESC) AS rownum\n"
                          "    FROM TABLE(TUMBLE(TABLE LeftTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) WHERE rownum <= 1) L\n"
                          "LEFT JOIN (SELECT * FROM TABLE(TUMBLE(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) R\n"
                          "ON L.window_start = R.window_start AND L.window_end = R.window_end AND L.num = R.num;\n";
  CHECK(run_sql(sql, rows) == std::vector<std::string>{out_row("3", "L3", "3", "R3", "12:00", "12:05"),
                                                       out_row("2", "L2", "null", "null", "12:05", "12:10")});
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs"));
  INFO(yaml);
  CHECK(yaml.find("    left_window: [window_start, window_end]\n") != std::string::npos);
}

TEST_CASE("window JOIN: after another window join (an inner one keeps the left side's windows)", "[replay][join][window_join]") {
  const std::string sql = kTables +
                          "CREATE TABLE three (l STRING, r STRING, r_again STRING, window_start TIMESTAMP(3)) "
                          "WITH ('topic' = 'three', " + kKafka + ");\n"
                          "INSERT INTO three SELECT X.lid, X.rid, C.id, X.window_start FROM (\n"
                          "  SELECT L.id AS lid, R.id AS rid, L.num AS num, L.window_start, L.window_end\n"
                          "  FROM (SELECT * FROM TABLE(TUMBLE(TABLE LeftTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) L\n"
                          "  JOIN (SELECT * FROM TABLE(TUMBLE(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) R\n"
                          "  ON L.num = R.num AND L.window_start = R.window_start AND L.window_end = R.window_end) X\n"
                          "JOIN (SELECT * FROM TABLE(TUMBLE(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) C\n"
                          "ON X.num = C.num AND X.window_start = C.window_start AND X.window_end = C.window_end;\n";
  CHECK(run_sql(sql, docs_rows()) ==
        std::vector<std::string>{R"({"l":"L3","r":"R3","r_again":"R3","window_start":"2020-04-15 12:00:00"})"});
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs"));
  INFO(yaml);
  CHECK(yaml.find("left_window", yaml.find("left_window") + 1) != std::string::npos);  // two window joins
}

TEST_CASE("window JOIN: different windows, or one window equality alone, are refused as Flink refuses them", "[replay][join][window_join]") {
  const std::string mixed = kTables +
                            "INSERT INTO out SELECT L.num, L.id, R.num, R.id, L.window_start, L.window_end FROM (\n"
                            "  SELECT * FROM TABLE(TUMBLE(TABLE LeftTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) L JOIN (\n"
                            "  SELECT * FROM TABLE(HOP(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES, INTERVAL '10' MINUTES))) R\n"
                            "ON L.num = R.num AND L.window_start = R.window_start AND L.window_end = R.window_end;\n";
  CHECK_THAT(error_of(mixed), Catch::Contains("docs.sql:7:4: Currently, window join doesn't support different window table function of "
                                              "left and right inputs. The left window table function is TUMBLE(size=[5 min]). The right "
                                              "window table function is HOP(size=[10 min], slide=[5 min])."));
  const std::string starts = kTables +
                             "INSERT INTO out SELECT L.num, L.id, R.num, R.id, L.window_start, L.window_end FROM (\n"
                             "  SELECT * FROM TABLE(TUMBLE(TABLE LeftTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) L JOIN (\n"
                             "  SELECT * FROM TABLE(TUMBLE(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) R\n"
                             "ON L.num = R.num AND L.window_start = R.window_start;\n";
  CHECK_THAT(error_of(starts), Catch::Contains("Currently, window join requires JOIN ON condition must contain both window starts "
                                               "equality of input tables and window ends equality of input tables. But the current "
                                               "JOIN ON condition is num = num0 AND window_start = window_start0."));
}

TEST_CASE("window join in YAML: left_window and right_window, their errors located", "[replay][join][window_join]") {
  // Sources whose rows carry their window bounds already (as a window TVF's or window aggregation's output).
  const std::string head =
      "pipeline: w\n"
      "sources:\n"
      "  - {name: l, connector: kafka, format: json, options: {topic: l}, columns: [{name: k, type: INT}, "
      "{name: ws, type: TIMESTAMP(3)}, {name: we, type: TIMESTAMP(3)}, {name: t, type: TIMESTAMP(3)}], "
      "watermark: {column: t, expression: t}}\n"
      "  - {name: r, connector: kafka, format: json, options: {topic: r}, columns: [{name: k2, type: INT}, "
      "{name: ws2, type: TIMESTAMP(3)}, {name: we2, type: TIMESTAMP(3)}, {name: t2, type: TIMESTAMP(3)}], "
      "watermark: {column: t2, expression: t2}}\n"
      "operators:\n";
  const std::string sink =
      "sinks:\n  - {name: out, input: j, connector: kafka, format: json, options: {topic: out}, columns: [{name: k, type: INT}, "
      "{name: ws, type: TIMESTAMP(3)}, {name: we, type: TIMESTAMP(3)}, {name: t, type: TIMESTAMP(3)}, {name: k2, type: INT}, "
      "{name: ws2, type: TIMESTAMP(3)}, {name: we2, type: TIMESTAMP(3)}, {name: t2, type: TIMESTAMP(3)}]}\n";
  auto error = [&](const std::string& op, const std::string& sinks = "") {
    try {
      auto set = ananas::pipeline::load_pipelines_yaml(head + op + (sinks.empty() ? sink : sinks), "w.yaml");
      ananas::pipeline::build_pipeline(set.pipelines.at(0));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  const std::string join = "  - name: j\n    type: join\n    inputs: [l, r]\n    join: left\n";  // lines 6..9
  CHECK(error(join + "    left_key: [k]\n    right_key: [k2]\n    left_window: [ws, we]\n    right_window: [ws2, we2]\n") == "(no error)");
  // Keys are optional in a window join, and a LEFT window join feeds a plain kafka sink (it is insert-only).
  CHECK(error(join + "    left_window: [ws, we]\n    right_window: [ws2, we2]\n") == "(no error)");
  CHECK_THAT(error(join + "    left_window: [ws, we]\n"), Catch::Contains("w.yaml:6:5: operators[0] (j): missing required key 'right_window'"));
  CHECK_THAT(error(join + "    left_window: [ws, we, t]\n    right_window: [ws2, we2]\n"),
             Catch::Contains("w.yaml:10:18: operators[0] (j).left_window: left_window names the window's start and end columns"));
  CHECK_THAT(error(join + "    left_window: [ws, wend]\n    right_window: [ws2, we2]\n"),
             Catch::Contains("w.yaml:10:18: left window end column 'wend' is not a column of the input"));
  CHECK_THAT(error(join + "    left_window: [k, we]\n    right_window: [ws2, we2]\n"),
             Catch::Contains("w.yaml:10:18: join 'j': window column k is INT, not a timestamp"));
  CHECK_THAT(error(join + "    left_key: [k]\n    right_key: [k2]\n    left_window: [ws, we]\n    right_window: [ws2, we2]\n"
                          "    left_time: t\n    right_time: t2\n    lower_bound_ms: 0\n    upper_bound_ms: 0\n"),
             Catch::Contains("w.yaml:14:5: operators[0] (j): a join has either time bounds (an interval join) or "
                             "window bounds (a window join), not both"));
  // SEMI and ANTI are window joins, or regular ones (INTERSECT, EXCEPT); not interval joins.
  const std::string semi = "  - name: j\n    type: join\n    inputs: [l, r]\n    join: semi\n";
  const std::string left_sink =
      "sinks:\n  - {name: out, input: j, connector: kafka, format: json, options: {topic: out}, columns: [{name: k, type: INT}, "
      "{name: ws, type: TIMESTAMP(3)}, {name: we, type: TIMESTAMP(3)}, {name: t, type: TIMESTAMP(3)}]}\n";
  CHECK(error(semi + "    left_key: [k]\n    right_key: [k2]\n    left_window: [ws, we]\n    right_window: [ws2, we2]\n",
              left_sink) == "(no error)");  // the left columns only
  CHECK(error(semi + "    left_key: [k]\n    right_key: [k2]\n", left_sink) == "(no error)");
  CHECK_THAT(error(semi + "    left_key: [k]\n    right_key: [k2]\n    left_time: t\n    right_time: t2\n"
                          "    lower_bound_ms: 0\n    upper_bound_ms: 0\n", left_sink),
             Catch::Contains("w.yaml:9:11: operators[0] (j).join: a semi join is a regular or a window join, not a temporal or "
                             "interval one"));
  CHECK_THAT(error(semi + "    null_safe: true\n    left_key: [k]\n    right_key: [k2]\n    left_window: [ws, we]\n"
                          "    right_window: [ws2, we2]\n", left_sink),
             Catch::Contains("w.yaml:10:16: operators[0] (j).null_safe: null_safe keys belong to regular joins"));
  // Without window bounds a join still needs keys.
  CHECK_THAT(error(join + "    left_key: []\n    right_key: []\n"), Catch::Contains("a join needs at least one key column"));

  // The hand-written join runs: rows of one window meet, the others are padded.
  auto set = ananas::pipeline::load_pipelines_yaml(
      head + join + "    left_key: [k]\n    right_key: [k2]\n    left_window: [ws, we]\n    right_window: [ws2, we2]\n" + sink, "w.yaml");
  auto built = ananas::pipeline::build_pipeline(set.pipelines.at(0));
  ananas::pipeline::LocalRunner runner(built);
  runner.run({record("l", 0, R"({"k":1,"ws":"2020-04-15 12:00:00","we":"2020-04-15 12:05:00","t":"2020-04-15 12:01:00"})"),
              record("l", 1, R"({"k":2,"ws":"2020-04-15 12:00:00","we":"2020-04-15 12:05:00","t":"2020-04-15 12:02:00"})"),
              record("r", 0, R"({"k2":1,"ws2":"2020-04-15 12:00:00","we2":"2020-04-15 12:05:00","t2":"2020-04-15 12:03:00"})"),
              record("r", 1, R"({"k2":2,"ws2":"2020-04-15 12:05:00","we2":"2020-04-15 12:10:00","t2":"2020-04-15 12:06:00"})")});
  std::vector<std::string> out;
  for (const auto& o : runner.outputs()) out.push_back(o.value.value_or("null"));
  CHECK(out == std::vector<std::string>{
                   R"({"k":1,"ws":"2020-04-15 12:00:00","we":"2020-04-15 12:05:00","t":"2020-04-15 12:01:00","k2":1,"ws2":"2020-04-15 12:00:00","we2":"2020-04-15 12:05:00","t2":"2020-04-15 12:03:00"})",
                   R"({"k":2,"ws":"2020-04-15 12:00:00","we":"2020-04-15 12:05:00","t":"2020-04-15 12:02:00","k2":null,"ws2":null,"we2":null,"t2":null})"});
}

namespace {

// The docs' SEMI / ANTI queries write LeftTable's windowed rows.
const std::string kLeftRowsOut =
    "CREATE TABLE left_out (row_time TIMESTAMP(3), num INT, id STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3), "
    "window_time TIMESTAMP(3)) WITH ('topic' = 'left_out', " + kKafka + ");\n";

std::string left_row(const std::string& time, int num, const std::string& id, const std::string& start, const std::string& end) {
  return "{\"row_time\":\"2020-04-15 " + time + ":00\",\"num\":" + std::to_string(num) + ",\"id\":\"" + id +
         "\",\"window_start\":\"2020-04-15 " + start + ":00\",\"window_end\":\"2020-04-15 " + end +
         ":00\",\"window_time\":\"2020-04-15 " + (end == "12:05" ? "12:04" : "12:09") + ":59.999\"}";
}

std::string semi_anti_query(const std::string& where) {
  return kTables + kLeftRowsOut +
         "INSERT INTO left_out\n"
         "SELECT *\n"
         "FROM (\n"
         "    SELECT * FROM TABLE(TUMBLE(TABLE LeftTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))\n"
         ") L WHERE " + where + ";\n";
}

const std::string kRightWindowed = "SELECT * FROM TABLE(TUMBLE(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))";

}  // namespace

TEST_CASE("window SEMI JOIN: the docs' IN and EXISTS forms", "[replay][join][window_join]") {
  const std::vector<std::string> l3{left_row("12:03", 3, "L3", "12:00", "12:05")};
  CHECK(run_sql(semi_anti_query("L.num IN (\n  SELECT num FROM (\n    " + kRightWindowed +
                                "\n  ) R WHERE L.window_start = R.window_start AND L.window_end = R.window_end)"),
                docs_rows()) == l3);
  CHECK(run_sql(semi_anti_query("EXISTS (\n  SELECT * FROM (\n    " + kRightWindowed +
                                "\n  ) R WHERE L.num = R.num AND L.window_start = R.window_start AND L.window_end = R.window_end)"),
                docs_rows()) == l3);
  const std::string yaml = ananas::pipeline::emit_pipelines_yaml(ananas::pipeline::translate_sql(
      {{"docs.sql", semi_anti_query("EXISTS (SELECT * FROM (" + kRightWindowed +
                                    ") R WHERE L.num = R.num AND L.window_start = R.window_start AND L.window_end = R.window_end)")}},
      "docs"));
  INFO(yaml);
  CHECK(yaml.find("    join: semi\n    left_key: [num]\n    right_key: [num0]\n    left_window: [window_start, window_end]\n") !=
        std::string::npos);
}

TEST_CASE("window ANTI JOIN: the docs' NOT IN and NOT EXISTS forms", "[replay][join][window_join]") {
  const std::vector<std::string> l1_l2{left_row("12:02", 1, "L1", "12:00", "12:05"), left_row("12:06", 2, "L2", "12:05", "12:10")};
  CHECK(run_sql(semi_anti_query("L.num NOT IN (\n  SELECT num FROM (\n    " + kRightWindowed +
                                "\n  ) R WHERE L.window_start = R.window_start AND L.window_end = R.window_end)"),
                docs_rows()) == l1_l2);
  CHECK(run_sql(semi_anti_query("NOT EXISTS (\n  SELECT * FROM (\n    " + kRightWindowed +
                                "\n  ) R WHERE L.num = R.num AND L.window_start = R.window_start AND L.window_end = R.window_end)"),
                docs_rows()) == l1_l2);
}

TEST_CASE("window SEMI / ANTI JOIN: NOT IN with NULLs, other conditions, and what is refused", "[replay][join][window_join]") {
  // A right row with a NULL num in L1's window: `1 NOT IN (2, 3, NULL)` is not true, so L1 is no longer output.
  std::vector<ananas::KcatRecord> rows = docs_rows();
  rows.push_back(record("right", 3, R"({"row_time":"2020-04-15 12:02:30","num":null,"id":"R0"})"));
  CHECK(run_sql(semi_anti_query("L.num NOT IN (SELECT num FROM (" + kRightWindowed +
                                ") R WHERE L.window_start = R.window_start AND L.window_end = R.window_end)"),
                rows) == std::vector<std::string>{left_row("12:06", 2, "L2", "12:05", "12:10")});
  // NOT EXISTS does not care: R0's NULL num equals nothing.
  CHECK(run_sql(semi_anti_query("NOT EXISTS (SELECT * FROM (" + kRightWindowed +
                                ") R WHERE L.num = R.num AND L.window_start = R.window_start AND L.window_end = R.window_end) "
                                "AND L.id <> 'L2'"),
                rows) == std::vector<std::string>{left_row("12:02", 1, "L1", "12:00", "12:05")});
  // Not over windows, or without the window equalities: refused, located.
  CHECK_THAT(error_of(semi_anti_query("L.num IN (SELECT num FROM RightTable)")),
             Catch::Contains("a IN subquery is translated only as a window SEMI join (Flink docs, Queries > Window JOIN): the "
                             "subquery's FROM must be a window table-valued function"));
  CHECK_THAT(error_of(semi_anti_query("L.num IN (SELECT num FROM (" + kRightWindowed + ") R)")),
             Catch::Contains("Currently, window join requires JOIN ON condition must contain both window starts equality"));
  CHECK_THAT(error_of(kTables + "INSERT INTO out SELECT num, id, num, id, row_time, row_time FROM LeftTable "
                                "WHERE num IN (SELECT num FROM RightTable);\n"),
             Catch::Contains("docs.sql:4:"));
  CHECK_THAT(error_of(kTables + "INSERT INTO out SELECT num, id, num, id, row_time, row_time FROM LeftTable "
                                "WHERE num > 0 OR num IN (SELECT num FROM RightTable);\n"),
             Catch::Contains("subqueries are not supported here"));
}
