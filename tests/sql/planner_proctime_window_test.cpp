// Processing-time windows (Flink docs, Queries > Window TVF: "time_attr ...
// can be either a processing time or event time attribute"): a window
// aggregation over a window TVF or legacy group window on a PROCTIME() column
// is a window_aggregate with `time: processing`; Flink's refusals of the other
// uses of a processing-time window stay, located where Flink refuses them.
#include "tests/sql/planner_test_helpers.hpp"

using namespace ananas::pipeline;
using planner_test::kTables;
using planner_test::translate;
using namespace planner_test::model;

namespace {

const std::string kTumbleTvf = "TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(orderProctime), INTERVAL '5' SECOND))";

}  // namespace

TEST_CASE("planner: TUMBLE, HOP and CUMULATE over a PROCTIME() column are processing-time window aggregations", "[planner][proctime]") {
  const auto tumble = translate(kTables + "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*) FROM " + kTumbleTvf +
                                " GROUP BY window_start, window_end, name;");
  const Pipeline& p = only_pipeline(tumble);
  CHECK(operator_names(p) == std::vector<std::string>{"window_aggregate", "project"});
  const auto& w = std::get<WindowAggregate>(op(p, "window_aggregate").body);
  CHECK(w.window.kind == WindowKind::Tumble);
  CHECK(w.window.processing_time);
  CHECK(w.window.time_column == "orderProctime");
  CHECK(w.keys == std::vector<std::string>{"name"});
  const std::string yaml = emit_pipelines_yaml(tumble);
  CHECK_THAT(yaml, Catch::Matchers::Contains("time: processing\n"));
  check_round_trip(tumble);

  const auto hop = translate(kTables + "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*) FROM "
                                       "TABLE(HOP(TABLE pizza_source, DESCRIPTOR(orderProctime), INTERVAL '1' SECOND, INTERVAL '5' SECOND))"
                                       " GROUP BY window_start, window_end, name;");
  CHECK(std::get<WindowAggregate>(op(only_pipeline(hop), "window_aggregate").body).window.processing_time);
  check_round_trip(hop);
  const auto cumulate = translate(kTables + "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*) FROM "
                                            "TABLE(CUMULATE(TABLE pizza_source, DESCRIPTOR(orderProctime), INTERVAL '1' SECOND, "
                                            "INTERVAL '5' SECOND)) GROUP BY window_start, window_end, name;");
  CHECK(std::get<WindowAggregate>(op(only_pipeline(cumulate), "window_aggregate").body).window.processing_time);
  check_round_trip(cumulate);

  // The event-time column still gives an event-time window, written without `time:`.
  const auto event = translate(kTables + "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*) FROM "
                                         "TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(orderTimestamp), INTERVAL '5' SECOND))"
                                         " GROUP BY window_start, window_end, name;");
  CHECK_FALSE(std::get<WindowAggregate>(op(only_pipeline(event), "window_aggregate").body).window.processing_time);
  CHECK_THAT(emit_pipelines_yaml(event), !Catch::Matchers::Contains("time: processing"));
}

TEST_CASE("planner: GROUP BY TUMBLE(proctime, size) with TUMBLE_START, TUMBLE_END, TUMBLE_PROCTIME is the TVF's aggregation", "[planner][proctime]") {
  const std::string sinks =
      "CREATE TABLE proc_windows (name VARCHAR, ws TIMESTAMP(3), we TIMESTAMP(3), wt TIMESTAMP_LTZ(3), nr BIGINT) WITH ("
      "'connector' = 'kafka', 'topic' = 'pw', 'properties.bootstrap.servers' = 'localhost:9092', 'value.format' = 'json');\n";
  const auto legacy = translate(kTables + sinks +
                                "INSERT INTO proc_windows SELECT name, TUMBLE_START(orderProctime, INTERVAL '5' SECOND), "
                                "TUMBLE_END(orderProctime, INTERVAL '5' SECOND), TUMBLE_PROCTIME(orderProctime, INTERVAL '5' SECOND), "
                                "COUNT(*) FROM pizza_source GROUP BY TUMBLE(orderProctime, INTERVAL '5' SECOND), name;");
  const auto tvf = translate(kTables + sinks + "INSERT INTO proc_windows SELECT name, window_start, window_end, window_time, COUNT(*) FROM " +
                             kTumbleTvf + " GROUP BY window_start, window_end, name;");
  CHECK(emit_pipelines_yaml(legacy) == emit_pipelines_yaml(tvf));
  CHECK(std::get<WindowAggregate>(op(only_pipeline(legacy), "window_aggregate").body).window.processing_time);
  check_round_trip(legacy);

  const auto hop = translate(kTables + sinks +
                             "INSERT INTO proc_windows SELECT name, HOP_START(orderProctime, INTERVAL '1' SECOND, INTERVAL '5' SECOND), "
                             "HOP_END(orderProctime, INTERVAL '1' SECOND, INTERVAL '5' SECOND), "
                             "HOP_PROCTIME(orderProctime, INTERVAL '1' SECOND, INTERVAL '5' SECOND), COUNT(*) FROM pizza_source "
                             "GROUP BY HOP(orderProctime, INTERVAL '1' SECOND, INTERVAL '5' SECOND), name;");
  const auto& w = std::get<WindowAggregate>(op(only_pipeline(hop), "window_aggregate").body);
  CHECK(w.window.kind == WindowKind::Hop);
  CHECK(w.window.processing_time);
  check_round_trip(hop);
}

TEST_CASE("planner error: processing-time windows outside window aggregations, SESSION, and the wrong time property", "[planner][proctime]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY SESSION(orderProctime, INTERVAL '5' SECOND), id;",
                   "orderProctime, INTERVAL", "processing-time SESSION windows are not supported yet");
  CHECK_PLAN_ERROR(kTables + "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*) FROM "
                             "TABLE(SESSION(TABLE pizza_source PARTITION BY name, DESCRIPTOR(orderProctime), INTERVAL '5' SECOND)) "
                             "GROUP BY window_start, window_end, name;",
                   "orderProctime)", "processing-time SESSION windows are not supported yet");
  // TUMBLE_ROWTIME reads an event-time window; TUMBLE_PROCTIME a processing-time one.
  CHECK_PLAN_ERROR(kTables + "INSERT INTO windows SELECT name, TUMBLE_ROWTIME(orderProctime, INTERVAL '5' SECOND), "
                             "TUMBLE_END(orderProctime, INTERVAL '5' SECOND), COUNT(*) FROM pizza_source "
                             "GROUP BY TUMBLE(orderProctime, INTERVAL '5' SECOND), name;",
                   "TUMBLE_ROWTIME", "TUMBLE_ROWTIME is not supported: the window is on processing time (use TUMBLE_PROCTIME)");
  CHECK_PLAN_ERROR(kTables + "INSERT INTO windows SELECT name, TUMBLE_PROCTIME(orderTimestamp, INTERVAL '5' SECOND), "
                             "TUMBLE_END(orderTimestamp, INTERVAL '5' SECOND), COUNT(*) FROM pizza_source "
                             "GROUP BY TUMBLE(orderTimestamp, INTERVAL '5' SECOND), name;",
                   "TUMBLE_PROCTIME", "TUMBLE_PROCTIME is not supported: the window is on event time");
  // Flink's StreamExecWindowTableFunction: the TVF's rows themselves.
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, name, window_start FROM " + kTumbleTvf + ";",
                   "TABLE(TUMBLE", "Processing time Window TableFunction is not supported yet.");
  // Flink's StreamExecWindowRank over a processing-time window aggregation.
  CHECK_PLAN_ERROR(kTables + "INSERT INTO windows SELECT name, window_start, window_end, nr FROM (SELECT *, ROW_NUMBER() OVER ("
                             "PARTITION BY window_start, window_end ORDER BY nr DESC) AS rn FROM (SELECT name, window_start, window_end, "
                             "COUNT(*) AS nr FROM " + kTumbleTvf + " GROUP BY window_start, window_end, name)) WHERE rn <= 3;",
                   "OVER (", "Processing time Window TopN is not supported yet.");
  // Flink's StreamExecWindowDeduplicate / StreamExecWindowRank on the TVF's
  // rows (Flink's WindowDeduplicateTest.testUnsupportedWindowTVFOnProctime*):
  // the first or last row of each window is a deduplication, more rows a Top-N.
  const std::string ranked = "INSERT INTO filtered SELECT id, name, name, window_start FROM (SELECT *, ROW_NUMBER() OVER ("
                             "PARTITION BY name, window_start, window_end ORDER BY orderProctime ";
  CHECK_PLAN_ERROR(kTables + ranked + "DESC) AS rownum FROM " + kTumbleTvf + ") WHERE rownum <= 1;", "OVER (",
                   "Processing time Window Deduplication is not supported yet.");
  CHECK_PLAN_ERROR(kTables + ranked + ") AS rownum FROM " + kTumbleTvf + ") WHERE rownum = 1;", "OVER (",
                   "Processing time Window Deduplication is not supported yet.");
  CHECK_PLAN_ERROR(kTables + ranked + "DESC) AS rownum FROM " + kTumbleTvf + ") WHERE rownum <= 2;", "OVER (",
                   "Processing time Window TopN is not supported yet.");
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, name, window_start FROM (SELECT *, ROW_NUMBER() OVER ("
                             "PARTITION BY window_start, window_end ORDER BY id) AS rownum FROM " + kTumbleTvf + ") WHERE rownum <= 1;",
                   "OVER (", "Processing time Window TopN is not supported yet.");
  // Not partitioned by the window: a rank over the TVF's rows, which Flink refuses as such.
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, name, window_start FROM (SELECT *, ROW_NUMBER() OVER ("
                             "PARTITION BY name ORDER BY orderProctime) AS rownum FROM " + kTumbleTvf + ") WHERE rownum <= 1;",
                   "TABLE(TUMBLE", "Processing time Window TableFunction is not supported yet.");
  // Flink's StreamExecWindowJoin.
  const std::string per_name = "(SELECT name, window_start, window_end, COUNT(*) AS nr FROM " + kTumbleTvf +
                               " GROUP BY window_start, window_end, name)";
  CHECK_PLAN_ERROR(kTables + "INSERT INTO windows SELECT L.name, L.window_start, L.window_end, R.nr FROM " + per_name + " L JOIN " +
                       per_name + " R ON L.window_start = R.window_start AND L.window_end = R.window_end AND L.name = R.name;",
                   "(SELECT name", "Processing time Window Join is not supported yet.");
}
