// SELECT DISTINCT (issue 12): a group_aggregate keyed by every selected column
// without aggregates, as Calcite and Flink plan it (GroupAggregate(groupBy=[...],
// select=[...])), with the changelog that follows from it.
#include "tests/sql/planner_test_helpers.hpp"

using namespace ananas::pipeline;
using planner_test::kTables;
using planner_test::translate;
using namespace planner_test::model;

TEST_CASE("planner: SELECT DISTINCT is a group_aggregate of every column, no aggregates", "[planner]") {
  const auto set = translate(kTables + "INSERT INTO counts SELECT DISTINCT id, CAST(id * 2 AS BIGINT) FROM pizza_source WHERE id > 0;");
  const Pipeline& p = only_pipeline(set);
  CHECK(operator_names(p) == std::vector<std::string>{"filter", "distinct", "to_counts", "upsert_materialize"});
  const auto& agg = std::get<GroupAggregate>(op(p, "distinct").body);
  CHECK(agg.keys == std::vector<std::string>{"id", "EXPR$1"});
  CHECK(agg.aggregates.empty());
  // The upsert key (id, nr) is not within the sink's key (id): Flink materializes, and so does Ananas.
  CHECK(p.sinks[0].input == "upsert_materialize");
  check_round_trip(set);
  // The group key is the upsert key: DISTINCT of exactly the sink's key needs no materializer.
  const auto keyed = translate(kTables + "INSERT INTO counts (id) SELECT DISTINCT id FROM pizza_source;");
  CHECK(operator_names(only_pipeline(keyed)) == std::vector<std::string>{"project", "distinct", "to_counts"});
  CHECK(only_pipeline(keyed).sinks[0].input == "to_counts");
  check_round_trip(keyed);
}

TEST_CASE("planner: SELECT DISTINCT * and DISTINCT over a GROUP BY, an UNNEST, a view", "[planner]") {
  const auto star = translate(kTables +
                              "CREATE VIEW fruit AS SELECT id, name, c.topping FROM pizza_source CROSS JOIN UNNEST(pizzas) AS b "
                              "CROSS JOIN UNNEST(b.additionalToppings) AS c(topping);\n"
                              "CREATE TABLE fruit_out (id INT, name STRING, topping STRING, PRIMARY KEY (id, name, topping) NOT ENFORCED) "
                              "WITH ('connector' = 'upsert-kafka', 'topic' = 'f', 'key.format' = 'json', 'value.format' = 'json');\n"
                              "INSERT INTO fruit_out SELECT DISTINCT * FROM fruit;");
  const Pipeline& p = only_pipeline(star);
  CHECK(std::get<GroupAggregate>(op(p, "distinct").body).keys == std::vector<std::string>{"id", "name", "topping"});
  CHECK(p.sinks[0].input == "distinct");
  check_round_trip(star);
  // Over an aggregation that does not select all its keys: a second group aggregate over the first one's updates.
  const auto twice = translate(kTables + "INSERT INTO counts SELECT DISTINCT 1, COUNT(*) FROM pizza_source GROUP BY id;");
  CHECK(operator_names(only_pipeline(twice)) == std::vector<std::string>{"aggregate", "project", "distinct", "to_counts", "upsert_materialize"});
  check_round_trip(twice);
}

TEST_CASE("planner: a DISTINCT over rows that are distinct already adds nothing", "[planner]") {
  // Flink's FlinkAggregateRemoveRule: an aggregation selecting all its keys, a window aggregation, a global aggregate.
  for (const auto& [with, without] : std::vector<std::pair<std::string, std::string>>{
           {"INSERT INTO counts SELECT DISTINCT id, COUNT(*) FROM pizza_source GROUP BY id;",
            "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY id;"},
           {"INSERT INTO windows SELECT DISTINCT name, window_start, window_end, COUNT(*)\n"
            "FROM TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(orderTimestamp), INTERVAL '5' SECOND)) GROUP BY name, window_start, window_end;",
            "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*)\n"
            "FROM TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(orderTimestamp), INTERVAL '5' SECOND)) GROUP BY name, window_start, window_end;"},
           {"INSERT INTO windows SELECT DISTINCT name, TUMBLE_START(orderTimestamp, INTERVAL '5' SECOND), "
            "TUMBLE_END(orderTimestamp, INTERVAL '5' SECOND), COUNT(*) FROM pizza_source GROUP BY name, TUMBLE(orderTimestamp, INTERVAL '5' SECOND);",
            "INSERT INTO windows SELECT name, TUMBLE_START(orderTimestamp, INTERVAL '5' SECOND), "
            "TUMBLE_END(orderTimestamp, INTERVAL '5' SECOND), COUNT(*) FROM pizza_source GROUP BY name, TUMBLE(orderTimestamp, INTERVAL '5' SECOND);"},
           {"INSERT INTO counts SELECT DISTINCT 1, COUNT(*) FROM pizza_source;", "INSERT INTO counts SELECT 1, COUNT(*) FROM pizza_source;"}}) {
    INFO(with);
    CHECK(emit_pipelines_yaml(translate(kTables + with)) == emit_pipelines_yaml(translate(kTables + without)));
  }
}

TEST_CASE("planner error: SELECT DISTINCT into a plain kafka sink, as Flink refuses it", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT DISTINCT id, name, name AS topping, orderTimestamp FROM pizza_source;",
                   "filtered SELECT",
                   "Table sink 'default_catalog.default_database.filtered' doesn't support consuming update changes which is "
                   "produced by node GroupAggregate(groupBy=[id, name, topping, orderTimestamp], select=[id, name, topping, orderTimestamp])");
}

TEST_CASE("planner: SELECT DISTINCT over a window TVF is the window aggregation of its columns", "[planner]") {
  const std::string sink = "CREATE TABLE names (name STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3)) WITH ("
                           "'connector' = 'kafka', 'topic' = 'n', 'properties.bootstrap.servers' = 'b:9092', 'value.format' = 'json');\n";
  const std::string tvf = " FROM TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(orderTimestamp), INTERVAL '5' SECOND))";
  const auto set = translate(kTables + sink + "INSERT INTO names SELECT DISTINCT name, window_start, window_end" + tvf + " WHERE id > 0;");
  const auto grouped = translate(kTables + sink + "INSERT INTO names SELECT name, window_start, window_end" + tvf +
                                 " WHERE id > 0 GROUP BY name, window_start, window_end;");
  CHECK(emit_pipelines_yaml(set) == emit_pipelines_yaml(grouped));
  CHECK(std::get<WindowAggregate>(op(only_pipeline(set), "window_aggregate").body).aggregates.empty());
  check_round_trip(set);
  // Insert-only, as Flink's window aggregation: a plain kafka sink takes it.
  CHECK(only_pipeline(set).sinks[0].input != "upsert_materialize");
  CHECK_PLAN_ERROR(kTables + sink + "INSERT INTO names SELECT DISTINCT UPPER(name), window_start, window_end" + tvf + ";", "UPPER",
                   "SELECT DISTINCT over a window table-valued function is translated for listed columns only");
  CHECK_PLAN_ERROR(kTables + sink + "INSERT INTO names SELECT DISTINCT name, window_start, window_start" + tvf + ";", "SELECT DISTINCT",
                   "a SELECT DISTINCT over a window table-valued function must select both window_start and window_end");
}
