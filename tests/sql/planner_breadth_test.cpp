// Forms of Flink SQL beyond the tutorial (issue 12): views, INSERT's implicit
// casts, expressions in GROUP BY, LEFT JOIN UNNEST ... ON TRUE, LATERAL TABLE's
// message, and the statistical aggregates: what they translate to, and where
// the ones that stay unsupported are refused.
#include "tests/sql/planner_test_helpers.hpp"

using namespace ananas::pipeline;
using planner_test::kTables;
using planner_test::translate;
using namespace planner_test::model;

namespace {

// Sinks for the cases below; appended after kTables (lines 6 and 7).
const std::string kMoreSinks =
    "CREATE TABLE doubles (id INT, v DOUBLE) WITH ('connector' = 'kafka', 'topic' = 'd', "
    "'properties.bootstrap.servers' = 'localhost:9092', 'value.format' = 'json');\n"
    "CREATE TABLE stats (name VARCHAR, sd DOUBLE, nsd INT, PRIMARY KEY (name) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', "
    "'topic' = 's', 'properties.bootstrap.servers' = 'localhost:9092', 'key.format' = 'json', 'value.format' = 'json');\n";

const std::string kFruitQuery =
    "SELECT id, name, c.topping, orderTimestamp FROM pizza_source CROSS JOIN UNNEST(pizzas) AS b "
    "CROSS JOIN UNNEST(b.additionalToppings) AS c(topping) WHERE c.topping <> 'x'";

}  // namespace

TEST_CASE("planner: an INSERT reading a view plans the view's query in its place", "[planner]") {
  const auto via_view = translate(kTables + "CREATE TEMPORARY VIEW fruit AS " + kFruitQuery + ";\nINSERT INTO filtered SELECT * FROM fruit;");
  const auto inline_query = translate(kTables + "INSERT INTO filtered SELECT * FROM (" + kFruitQuery + ");");
  // The same operators; only the locations (of the view's text) differ.
  CHECK(emit_pipelines_yaml(via_view) == emit_pipelines_yaml(inline_query));
  CHECK(operator_names(only_pipeline(via_view)) == std::vector<std::string>{"unnest_pizzas", "unnest_additionalToppings", "filter"});
  check_round_trip(via_view);
}

TEST_CASE("planner: views with column names, over views, read by a window TVF and by two INSERTs", "[planner]") {
  const auto set = translate(kTables +
                             "CREATE VIEW fruit (i, n, t, ts) AS " + kFruitQuery + ";\n"
                             "CREATE VIEW IF NOT EXISTS fruit AS SELECT 1 FROM nowhere;\n"  // kept: the first one wins
                             "CREATE VIEW per_topping AS SELECT t AS topping, window_start, window_end, COUNT(*) AS nr\n"
                             "  FROM TABLE(TUMBLE(TABLE fruit, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY t, window_start, window_end;\n"
                             "INSERT INTO windows SELECT * FROM per_topping;\n"
                             "INSERT INTO filtered SELECT fruit.i, n, t, ts FROM fruit;");
  REQUIRE(set.pipelines.size() == 2);
  CHECK(operator_names(set.pipelines[0]) ==
        std::vector<std::string>{"unnest_pizzas", "unnest_additionalToppings", "filter", "window_aggregate", "project"});
  const auto& w = std::get<WindowAggregate>(op(set.pipelines[0], "window_aggregate").body);
  // A view's column list renames the columns for SQL; the YAML keeps the underlying names.
  CHECK(w.window.time_column == "orderTimestamp");
  CHECK(w.keys == std::vector<std::string>{"topping"});
  check_round_trip(set);
}

TEST_CASE("planner error: views are named once, declared before use, and are not sinks", "[planner]") {
  const std::string view = "CREATE VIEW fruit AS " + kFruitQuery + ";\n";
  CHECK_PLAN_ERROR_AT(kTables + view + "CREATE TEMPORARY VIEW fruit AS SELECT id FROM pizza_source;\nINSERT INTO filtered SELECT * FROM fruit;",
                      "fruit AS", 1, "table or view 'fruit' is already defined");
  CHECK_PLAN_ERROR(kTables + "CREATE VIEW counts AS SELECT id FROM pizza_source;\nINSERT INTO filtered SELECT * FROM counts;",
                   "counts AS", "table or view 'counts' is already defined");
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT * FROM fruit;\n" + view, "fruit;", "table 'fruit' not found");
  CHECK_PLAN_ERROR(kTables + view + "INSERT INTO fruit SELECT * FROM fruit;", "fruit SELECT",
                   "'fruit' is a view: INSERT INTO needs a table with a connector");
  // An error inside the view's query points into the view.
  CHECK_PLAN_ERROR(kTables + "CREATE VIEW v AS SELECT id, nmae FROM pizza_source;\nINSERT INTO narrow SELECT * FROM v;", "nmae",
                   "unknown column 'nmae' (did you mean 'name'?)");
  // The view's query does not see the WITH queries of the INSERT that reads it.
  CHECK_PLAN_ERROR(kTables + "CREATE VIEW v AS SELECT * FROM w;\nINSERT INTO narrow WITH w AS (SELECT id, id AS nr FROM pizza_source) SELECT * FROM v;",
                   "w;", "table 'w' not found");
}

TEST_CASE("planner: INT and BIGINT go into a DOUBLE sink column (Flink's implicit cast, applied by the sink)", "[planner]") {
  const auto set = translate(kTables + kMoreSinks + "INSERT INTO doubles SELECT id, id FROM pizza_source;");
  const Pipeline& p = only_pipeline(set);
  CHECK(operator_names(p) == std::vector<std::string>{"project"});
  check_round_trip(set);
  BuiltPipeline built = build_pipeline(p);
  REQUIRE(built.sinks.size() == 1);
  REQUIRE(built.sinks[0].value_columns.size() == 2);
  CHECK(built.sinks[0].value_columns[0].convert == nullptr);
  REQUIRE(built.sinks[0].value_columns[1].convert != nullptr);
  CHECK(built.sinks[0].value_columns[1].convert->type().id == ananas::TypeId::Double);
  // COUNT (BIGINT) into DOUBLE, through a window aggregation.
  check_round_trip(translate(kTables + kMoreSinks +
                             "INSERT INTO doubles SELECT 1, COUNT(*) FROM TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(orderTimestamp), "
                             "INTERVAL '5' SECOND)) GROUP BY window_start, window_end;"));
}

TEST_CASE("planner error: what Flink's implicit casts refuse, at the INSERT", "[planner]") {
  CHECK_PLAN_ERROR(kTables + kMoreSinks + "INSERT INTO narrow SELECT id, CAST(id AS DOUBLE) FROM pizza_source;", "narrow SELECT",
                   "Cause: Incompatible types for sink column 'nr' at position 1.");
  CHECK_PLAN_ERROR(kTables + kMoreSinks + "INSERT INTO doubles SELECT id, name FROM pizza_source;", "doubles SELECT",
                   "Cause: Incompatible types for sink column 'v' at position 1.");
}

TEST_CASE("planner: GROUP BY an expression computes it before the aggregation, as Calcite's $f column", "[planner]") {
  const auto set = translate(kTables + kMoreSinks +
                             "INSERT INTO stats SELECT UPPER(name), STDDEV_POP(CAST(id AS DOUBLE)), STDDEV_SAMP(id)\n"
                             "FROM pizza_source WHERE id > 0 GROUP BY UPPER(name);");
  const Pipeline& p = only_pipeline(set);
  CHECK(operator_names(p) == std::vector<std::string>{"filter", "aggregate", "project"});
  const Calc& before = std::get<Calc>(op(p, "filter").body);
  REQUIRE(before.select);
  CHECK(before.select->back().name == "$f6");
  CHECK(before.select->back().expr.text == "UPPER(name)");
  const auto& agg = std::get<GroupAggregate>(op(p, "aggregate").body);
  CHECK(agg.keys == std::vector<std::string>{"$f6"});
  REQUIRE(agg.aggregates.size() == 2);
  CHECK(agg.aggregates[0].function == "STDDEV_POP");
  CHECK(agg.aggregates[1].function == "STDDEV_SAMP");
  // The group key is the upsert key: no materializer in front of the sink keyed by name.
  CHECK(p.sinks[0].input == "project");
  check_round_trip(set);
}

TEST_CASE("planner error: a statistical aggregate of a DECIMAL", "[planner]") {
  CHECK_PLAN_ERROR(kTables + kMoreSinks + "INSERT INTO stats SELECT name, VAR_SAMP(CAST(id AS DECIMAL(10, 2))), 1 FROM pizza_source GROUP BY name;",
                   "VAR_SAMP", "VAR_SAMP over DECIMAL is not supported yet; CAST the argument to DOUBLE");
}

TEST_CASE("planner: GROUP BY an expression and window columns of a TVF, a ROW field as a key", "[planner]") {
  const auto set = translate(kTables +
                             "INSERT INTO windows SELECT UPPER(name), window_start, window_end, COUNT(*)\n"
                             "FROM TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(orderTimestamp), INTERVAL '5' SECOND))\n"
                             "GROUP BY window_start, UPPER(name), window_end;");
  const Pipeline& p = only_pipeline(set);
  CHECK(operator_names(p) == std::vector<std::string>{"project", "window_aggregate", "project_1"});
  CHECK(std::get<WindowAggregate>(op(p, "window_aggregate").body).keys == std::vector<std::string>{"$f6"});
  check_round_trip(set);
  // A ROW field of an array element is an expression too.
  const auto row_field = translate(kTables + "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY id, pizzas[1].pizzaName;");
  CHECK(std::get<GroupAggregate>(op(only_pipeline(row_field), "aggregate").body).keys == std::vector<std::string>{"id", "$f6"});
  check_round_trip(row_field);
}

TEST_CASE("planner error: GROUP BY expressions: ungrouped columns, aggregates, window columns", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY id + 1;", "id, COUNT",
                   "column 'id' is neither grouped nor aggregated");
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY id, COUNT(*) + 1;", "COUNT(*) + 1",
                   "aggregate functions are not allowed in GROUP BY");
  CHECK_PLAN_ERROR(kTables +
                       "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*)\n"
                       "FROM TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(orderTimestamp), INTERVAL '5' SECOND))\n"
                       "GROUP BY name, window_start, window_end, HOUR(window_time);",
                   "HOUR(window_time)", "a GROUP BY expression over window_start/window_end/window_time is not supported");
}

TEST_CASE("planner: LEFT JOIN UNNEST ... ON TRUE is an unnest that keeps rows without elements", "[planner]") {
  const auto set = translate(kTables + "INSERT INTO filtered SELECT id, name, t, orderTimestamp FROM pizza_source\n"
                                       "LEFT JOIN UNNEST(tags) AS x(t) ON TRUE;");
  const Pipeline& p = only_pipeline(set);
  CHECK(operator_names(p) == std::vector<std::string>{"unnest_tags", "project"});
  const auto& u = std::get<Unnest>(op(p, "unnest_tags").body);
  CHECK(u.left_outer);
  CHECK(emit_pipelines_yaml(set).find("left_outer: true") != std::string::npos);
  check_round_trip(set);
}

TEST_CASE("planner error: LEFT JOIN UNNEST with a condition, LATERAL TABLE in any join", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, t, orderTimestamp FROM pizza_source\n"
                             "LEFT JOIN UNNEST(tags) AS x(t) ON t <> 'a';",
                   "t <> 'a'", "LEFT JOIN UNNEST(...) accepts only ON TRUE as its condition");
  const std::string lateral = "LATERAL TABLE (user-defined table functions) is not supported";
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, w, orderTimestamp FROM pizza_source, LATERAL TABLE(split(name)) AS t(w);",
                   "TABLE(split", lateral);
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, w, orderTimestamp FROM pizza_source\n"
                             "LEFT JOIN LATERAL TABLE(split(name)) AS t(w) ON TRUE;",
                   "TABLE(split", lateral);
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, w, orderTimestamp FROM pizza_source\n"
                             "JOIN LATERAL TABLE(split(name)) AS t(w) ON TRUE;",
                   "TABLE(split", lateral);
}

TEST_CASE("planner: GROUP BY TUMBLE(ts, size) is the TUMBLE TVF's window aggregation", "[planner]") {
  const auto legacy = translate(kTables +
                                "INSERT INTO windows SELECT name, TUMBLE_START(orderTimestamp, INTERVAL '5' SECOND) AS ws,\n"
                                "  TUMBLE_END(orderTimestamp, INTERVAL '5' SECOND), COUNT(*) AS nr FROM pizza_source\n"
                                "GROUP BY TUMBLE(orderTimestamp, INTERVAL '5' SECOND), name;");
  const auto tvf = translate(kTables +
                             "INSERT INTO windows SELECT name, window_start AS ws, window_end, COUNT(*) AS nr\n"
                             "FROM TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(orderTimestamp), INTERVAL '5' SECOND))\n"
                             "GROUP BY window_start, window_end, name;");
  CHECK(emit_pipelines_yaml(legacy) == emit_pipelines_yaml(tvf));
  CHECK(operator_names(only_pipeline(legacy)) == std::vector<std::string>{"window_aggregate", "project"});
  check_round_trip(legacy);
}

TEST_CASE("planner: GROUP BY HOP(ts, slide, size) with HOP_ROWTIME, and a GROUP BY expression beside it", "[planner]") {
  const auto set = translate(kTables + kMoreSinks +
                             "INSERT INTO doubles SELECT CHAR_LENGTH(UPPER(name)), CAST(HOUR(HOP_ROWTIME(orderTimestamp, INTERVAL '5' SECOND, "
                             "INTERVAL '10' SECOND)) AS DOUBLE)\n"
                             "FROM pizza_source GROUP BY UPPER(name), HOP(orderTimestamp, INTERVAL '5' SECOND, INTERVAL '10' SECOND);");
  const Pipeline& p = only_pipeline(set);
  const auto& w = std::get<WindowAggregate>(op(p, "window_aggregate").body);
  CHECK(w.window.kind == WindowKind::Hop);
  CHECK(w.window.slide->text == "5s");
  CHECK(w.window.size.text == "10s");
  CHECK(w.keys == std::vector<std::string>{"$f6"});
  check_round_trip(set);
}

TEST_CASE("planner error: legacy group windows: SESSION, property arguments, time attribute", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY SESSION(orderTimestamp), id;",
                   "SESSION", "SESSION takes a time attribute and a gap: SESSION(ts, INTERVAL '5' MINUTE)");
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY SESSION(orderProctime, INTERVAL '5' SECOND), id;",
                   "orderProctime, INTERVAL", "processing-time SESSION windows are not supported yet");
  CHECK_PLAN_ERROR(kTables +
                       "INSERT INTO windows SELECT name, TUMBLE_START(orderTimestamp, INTERVAL '9' SECOND), TUMBLE_END(orderTimestamp, "
                       "INTERVAL '5' SECOND), COUNT(*) FROM pizza_source GROUP BY TUMBLE(orderTimestamp, INTERVAL '5' SECOND), name;",
                   "TUMBLE_START", "TUMBLE_START must repeat the arguments of the GROUP BY's TUMBLE(...)");
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY TUMBLE(id, INTERVAL '5' SECOND), id;",
                   "id, INTERVAL", "requires the timecol is a time attribute type");
}
