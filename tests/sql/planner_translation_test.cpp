// What the planner produces for the constructs beyond the seeds: the operator
// chain, names, window specs, changelog handling and INSERT column mapping.
#include <algorithm>

#include "tests/sql/planner_test_helpers.hpp"

using namespace ananas::pipeline;
using planner_test::kTables;
using planner_test::translate;
using namespace planner_test::model;

namespace {

const std::string kUnnested =
    "FROM pizza_source CROSS JOIN UNNEST(pizzas) AS b CROSS JOIN UNNEST(b.additionalToppings) AS c(topping)";

}  // namespace

TEST_CASE("planner: a projection followed by a filter is one calc", "[planner]") {
  const auto set = translate(kTables +
                             "INSERT INTO windows WITH raw AS (SELECT orderTimestamp, id, c.topping " + kUnnested + ")\n"
                             "SELECT topping, window_start, window_end, COUNT(*) FROM TABLE(TUMBLE(TABLE raw, DESCRIPTOR(orderTimestamp), "
                             "INTERVAL '5' SECOND)) WHERE topping <> 'x' GROUP BY topping, window_start, window_end;");
  const Pipeline& p = only_pipeline(set);
  CHECK(operator_names(p) == std::vector<std::string>{"unnest_pizzas", "unnest_additionalToppings", "filter", "window_aggregate", "project"});
  const Calc& filter = std::get<Calc>(op(p, "filter").body);
  REQUIRE(filter.where);
  CHECK(filter.where->text == "topping <> 'x'");
  CHECK(select_names(filter) == std::vector<std::string>{"orderTimestamp", "id", "topping"});
  check_round_trip(set);
}

TEST_CASE("planner: the sink's positional rename is fused into the HAVING calc", "[planner]") {
  const auto set = translate(kTables + "INSERT INTO counts SELECT id, COUNT(*) AS n FROM pizza_source GROUP BY id HAVING COUNT(*) > 1;");
  const Pipeline& p = only_pipeline(set);
  CHECK(operator_names(p) == std::vector<std::string>{"aggregate", "having"});
  const Calc& having = std::get<Calc>(op(p, "having").body);
  CHECK(having.where->text == "n > 1");
  REQUIRE(having.select);
  CHECK(select_names(having) == std::vector<std::string>{"id", "nr"});
  CHECK((*having.select)[1].expr.text == "n");
  // Upsert key {id} is the sink key: no materializer (Flink: FlinkChangelogModeInferenceProgram.analyzeUpsertMaterializeStrategy).
  CHECK(p.sinks[0].input == "having");
  check_round_trip(set);
}

TEST_CASE("planner: a computed projection is not fused into a filter over it", "[planner]") {
  const auto set = translate(kTables +
                             "INSERT INTO filtered SELECT id, name, t, orderTimestamp FROM "
                             "(SELECT id, name, UPPER(name) AS t, orderTimestamp FROM pizza_source) WHERE t = 'A';");
  const Pipeline& p = only_pipeline(set);
  CHECK(operator_names(p) == std::vector<std::string>{"project", "filter"});
  check_round_trip(set);
}

TEST_CASE("planner: updating aggregate into an upsert sink keyed differently gets a materializer", "[planner]") {
  const auto set = translate(kTables + "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY id, name;");
  const Pipeline& p = only_pipeline(set);
  REQUIRE(p.operators.back().type() == OperatorType::UpsertMaterialize);
  CHECK(p.operators.back().key == std::vector<std::string>{"id"});
  CHECK(p.sinks[0].input == p.operators.back().name);
}

TEST_CASE("planner: SESSION TVF and legacy GROUP BY SESSION become a window_aggregate with a session window", "[planner]") {
  SECTION("the TVF partitioned by the grouping key") {
    const auto set = translate(kTables +
                               "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*) FROM TABLE(SESSION(TABLE pizza_source "
                               "PARTITION BY name, DESCRIPTOR(orderTimestamp), INTERVAL '90' SECOND)) GROUP BY name, window_start, window_end;");
    const auto& a = std::get<WindowAggregate>(op(only_pipeline(set), "window_aggregate").body);
    CHECK(a.window.kind == WindowKind::Session);
    REQUIRE(a.window.gap);
    CHECK(a.window.gap->millis == 90000);
    CHECK(a.window.gap->text == "90s");
    CHECK(a.keys == std::vector<std::string>{"name"});
    check_round_trip(set);
  }
  SECTION("the legacy group window is the same node") {
    const auto tvf = translate(kTables +
                               "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*) FROM TABLE(SESSION(TABLE pizza_source "
                               "PARTITION BY (name), DESCRIPTOR(orderTimestamp), INTERVAL '90' SECOND)) GROUP BY name, window_start, window_end;");
    const auto legacy = translate(kTables +
                                  "INSERT INTO windows SELECT name, SESSION_START(orderTimestamp, INTERVAL '90' SECOND), "
                                  "SESSION_END(orderTimestamp, INTERVAL '90' SECOND), COUNT(*) FROM pizza_source "
                                  "GROUP BY SESSION(orderTimestamp, INTERVAL '90' SECOND), name;");
    const auto& a = std::get<WindowAggregate>(op(only_pipeline(tvf), "window_aggregate").body);
    const auto& b = std::get<WindowAggregate>(op(only_pipeline(legacy), "window_aggregate").body);
    CHECK(a.window == b.window);
    CHECK(a.keys == b.keys);
  }
}

TEST_CASE("planner: HOP, CUMULATE and TUMBLE with offset", "[planner]") {
  SECTION("HOP takes the slide before the size") {
    const auto set = translate(kTables +
                               "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*) FROM TABLE(HOP(TABLE pizza_source, "
                               "DESCRIPTOR(orderTimestamp), INTERVAL '5' SECOND, INTERVAL '1' MINUTE)) GROUP BY name, window_start, window_end;");
    const auto& w = std::get<WindowAggregate>(op(only_pipeline(set), "window_aggregate").body).window;
    CHECK(w.kind == WindowKind::Hop);
    CHECK(w.slide->millis == 5000);
    CHECK(w.size.millis == 60000);
    CHECK(w.size.text == "1min");
    check_round_trip(set);
  }
  SECTION("CUMULATE takes the step before the size") {
    const auto set = translate(kTables +
                               "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*) FROM TABLE(CUMULATE(TABLE pizza_source, "
                               "DESCRIPTOR(orderTimestamp), INTERVAL '2' MINUTE, INTERVAL '10' MINUTE)) GROUP BY name, window_start, window_end;");
    const auto& w = std::get<WindowAggregate>(op(only_pipeline(set), "window_aggregate").body).window;
    CHECK(w.kind == WindowKind::Cumulate);
    CHECK(w.step->millis == 120000);
    CHECK(w.size.millis == 600000);
  }
  SECTION("a negative offset is the same grid as a positive one") {
    const auto set = translate(kTables +
                               "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*) FROM TABLE(TUMBLE(TABLE pizza_source, "
                               "DESCRIPTOR(orderTimestamp), INTERVAL '1' HOUR, INTERVAL '-15' MINUTE)) GROUP BY name, window_start, window_end;");
    const auto& w = std::get<WindowAggregate>(op(only_pipeline(set), "window_aggregate").body).window;
    REQUIRE(w.offset);
    CHECK(w.offset->millis == 45 * 60000);
    CHECK(w.offset->text == "45min");
    check_round_trip(set);
  }
  SECTION("an offset of whole windows is no offset") {
    const auto set = translate(kTables +
                               "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*) FROM TABLE(TUMBLE(TABLE pizza_source, "
                               "DESCRIPTOR(orderTimestamp), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY name, window_start, window_end;");
    CHECK_FALSE(std::get<WindowAggregate>(op(only_pipeline(set), "window_aggregate").body).window.offset);
  }
}

TEST_CASE("planner: window_time stays a time attribute through the window aggregate into MATCH_RECOGNIZE", "[planner]") {
  const auto set = translate(
      kTables +
      "CREATE TABLE trends (topping VARCHAR, trend_start TIMESTAMP(3), trend_detail VARCHAR, PRIMARY KEY (topping, trend_start) NOT ENFORCED) "
      "WITH ('connector' = 'upsert-kafka', 'topic' = 't', 'key.format' = 'json', 'value.format' = 'json');\n"
      "INSERT INTO trends WITH raw AS (SELECT orderTimestamp, c.topping " + kUnnested + "),\n"
      "w AS (SELECT window_time, topping, COUNT(*) AS nr FROM TABLE(TUMBLE(TABLE raw, DESCRIPTOR(orderTimestamp), INTERVAL '1' SECOND)) "
      "GROUP BY window_start, window_end, window_time, topping)\n"
      "SELECT * FROM w MATCH_RECOGNIZE (PARTITION BY topping ORDER BY window_time MEASURES A.window_time AS s, "
      "LISTAGG(CAST(nr AS STRING)) AS d AFTER MATCH SKIP PAST LAST ROW PATTERN (A B) DEFINE B AS B.nr > A.nr);");
  const Pipeline& p = only_pipeline(set);
  // SELECT * over MATCH_RECOGNIZE: the partition columns then the measures, renamed by position.
  const Calc& to_sink = std::get<Calc>(op(p, "to_trends").body);
  CHECK(select_names(to_sink) == std::vector<std::string>{"topping", "trend_start", "trend_detail"});
  CHECK((*to_sink.select)[1].expr.text == "s");
  check_round_trip(set);
}

TEST_CASE("planner: UNNEST WITH ORDINALITY and Calcite's column names", "[planner]") {
  const auto set = translate(kTables +
                             "INSERT INTO counts SELECT id, CAST(ORDINALITY AS BIGINT) FROM pizza_source CROSS JOIN UNNEST(tags) WITH ORDINALITY;");
  const Pipeline& p = only_pipeline(set);
  const Unnest& u = std::get<Unnest>(op(p, "unnest_tags").body);
  CHECK(u.with_ordinality);
  CHECK(u.columns == std::vector<std::string>{"EXPR$0", "ORDINALITY"});
  check_round_trip(set);
}

TEST_CASE("planner: unnested fields that clash with existing columns get unique names", "[planner]") {
  const auto set = translate(kTables +
                             "INSERT INTO filtered SELECT p.id, p.name, t.name, p.orderTimestamp FROM pizza_source AS p "
                             "CROSS JOIN UNNEST(p.tags) AS t(name);");
  const Pipeline& p = only_pipeline(set);
  const Unnest& u = std::get<Unnest>(op(p, "unnest_tags").body);
  CHECK(u.columns == std::vector<std::string>{"name_1"});
  const Calc& calc = std::get<Calc>(p.operators.back().body);
  CHECK(select_names(calc) == std::vector<std::string>{"id", "name", "topping", "orderTimestamp"});
  CHECK((*calc.select)[2].expr.text == "name_1");
  check_round_trip(set);
}

TEST_CASE("planner: INSERT with a column list maps by the list and writes NULL elsewhere", "[planner]") {
  const auto set = translate(kTables + "INSERT INTO filtered (topping, id) SELECT name, id FROM pizza_source;");
  const Pipeline& p = only_pipeline(set);
  const Calc& calc = std::get<Calc>(p.operators.back().body);
  CHECK(select_names(calc) == std::vector<std::string>{"id", "name", "topping", "orderTimestamp"});
  CHECK((*calc.select)[0].expr.text == "id");
  CHECK((*calc.select)[1].expr.text == "CAST(NULL AS STRING)");
  CHECK((*calc.select)[2].expr.text == "name");
  CHECK((*calc.select)[3].expr.text == "CAST(NULL AS TIMESTAMP(3))");
  // A column list is explicit: no positional-rename warning.
  CHECK(std::none_of(set.warnings.begin(), set.warnings.end(),
                     [](const ananas::Warning& w) { return w.message.find("by position") != std::string::npos; }));
  check_round_trip(set);
}

TEST_CASE("planner: widening casts into the sink are accepted", "[planner]") {
  // INT id into BIGINT nr, COUNT (BIGINT NOT NULL) into BIGINT.
  const auto set = translate(kTables + "INSERT INTO counts SELECT id, id FROM pizza_source;\n"
                                       "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY id;");
  CHECK(set.pipelines.size() == 2);
}

TEST_CASE("planner: several INSERTs are several pipelines, SET applies to all", "[planner]") {
  const auto set = translate("SET 'table.local-time-zone' = 'Europe/Rome';\nSET 'parallelism.default' = '4';\n" + kTables +
                             "INSERT INTO filtered SELECT id, name, name, orderTimestamp FROM pizza_source;\n"
                             "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY id;");
  REQUIRE(set.pipelines.size() == 2);
  CHECK(set.pipelines[0].name == "t");
  CHECK(set.pipelines[1].name == "t_2");
  for (const auto& p : set.pipelines) CHECK(p.setting("time_zone") == std::optional<std::string>("Europe/Rome"));
  // Each pipeline reads its own copy of the source.
  CHECK(set.pipelines[0].sources.size() == 1);
  CHECK(set.pipelines[1].sources.size() == 1);
  const auto ignored = std::find_if(set.warnings.begin(), set.warnings.end(),
                                    [](const ananas::Warning& w) { return w.message.find("parallelism.default") != std::string::npos; });
  REQUIRE(ignored != set.warnings.end());
  CHECK(ignored->location.to_string() == "t.sql:2:5");
  check_round_trip(set);
}

TEST_CASE("planner: SET 'table.local-time-zone' takes what Flink takes", "[planner]") {
  const std::string insert = "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY id;";
  try {
    translate("SET 'table.local-time-zone' = 'Mars/Olympus';\n" + kTables + insert);
    FAIL("an unknown time zone was accepted");
  } catch (const ananas::InputError& e) {
    CHECK(e.location().to_string() == "t.sql:1:31");
    CHECK_THAT(e.message(), Catch::StartsWith("SET 'table.local-time-zone': unknown time zone 'Mars/Olympus'"));
  }
  const auto set = translate("SET 'table.local-time-zone' = 'GMT+03:00';\n" + kTables + insert);
  const auto not_applied = std::find_if(set.warnings.begin(), set.warnings.end(), [](const ananas::Warning& w) {
    return w.message.find("time zone 'GMT+03:00' is not applied") != std::string::npos;
  });
  CHECK(not_applied != set.warnings.end());
}

TEST_CASE("planner: a CTE read through FROM t AS x is qualified by the alias", "[planner]") {
  const auto set = translate(kTables +
                             "INSERT INTO filtered WITH base AS (SELECT id, name, orderTimestamp FROM pizza_source)\n"
                             "SELECT x.id, x.name, x.name, x.orderTimestamp FROM base AS x WHERE x.id > 0;");
  const Pipeline& p = only_pipeline(set);
  CHECK(operator_names(p) == std::vector<std::string>{"filter"});
  check_round_trip(set);
}

TEST_CASE("planner: 'scan.watermark.idle-timeout' in WITH is the source's idle timeout", "[planner]") {
  std::string tables = kTables;
  const std::string with = "'topic' = 'pizzas', ";
  tables.replace(tables.find(with), with.size(), with + "'scan.watermark.idle-timeout' = '2 s', ");
  const PipelineSet set = translate(tables + "INSERT INTO filtered SELECT id, name, name, orderTimestamp FROM pizza_source;");
  const Pipeline& p = only_pipeline(set);
  REQUIRE(p.sources.size() == 1);
  REQUIRE(p.sources[0].idle_timeout);
  CHECK(p.sources[0].idle_timeout->millis == 2000);
  CHECK(std::none_of(p.sources[0].options.begin(), p.sources[0].options.end(),
                     [](const Option& o) { return o.key == "scan.watermark.idle-timeout"; }));
  CHECK(build_pipeline(p).sources[0].idle_timeout_ms == 2000);
  check_round_trip(set);
}
