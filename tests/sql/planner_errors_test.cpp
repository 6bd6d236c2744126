// Scripts that parse but cannot be planned: each must fail once, with an
// InputError at the exact place of the problem and a message that says what
// is wrong (Flink's wording where Flink has one), never a crash.
#include "tests/sql/planner_test_helpers.hpp"

using planner_test::kTables;

namespace {

const std::string kUnnested =
    "FROM pizza_source CROSS JOIN UNNEST(pizzas) AS b CROSS JOIN UNNEST(b.additionalToppings) AS c(topping)";

}  // namespace

// ---- names ------------------------------------------------------------------

TEST_CASE("planner error: unknown qualified column suggests the close name", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, c.toping, orderTimestamp " + kUnnested + ";", "c.toping",
                   "column 'toping' not found in 'c' (did you mean 'c.topping'?)");
}

TEST_CASE("planner error: unknown column suggests the close name", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered\nSELECT id, nmae, topping, orderTimestamp " + kUnnested + ";", "nmae",
                   "unknown column 'nmae' (did you mean 'name'?)");
}

TEST_CASE("planner error: unknown table suggests the close name", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_sorce GROUP BY id;", "pizza_sorce",
                   "table 'pizza_sorce' not found: declare it with CREATE TABLE first (did you mean 'pizza_source'?)");
}

TEST_CASE("planner error: unknown sink table", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filterd SELECT id, name, name, orderTimestamp FROM pizza_source;", "filterd",
                   "table 'filterd' not found: declare it with CREATE TABLE first (did you mean 'filtered'?)");
}

TEST_CASE("planner error: unknown qualifier", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, x.topping, orderTimestamp " + kUnnested + ";", "x.topping",
                   "unknown table or alias 'x' in 'x.topping'");
}

TEST_CASE("planner error: a table alias hides the table name, as in Flink", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT pizza_source.id, name, name, orderTimestamp FROM pizza_source AS p;",
                   "pizza_source.id", "unknown table or alias 'pizza_source' in 'pizza_source.id' (did you mean 'p'?)");
}

TEST_CASE("planner error: ambiguous column", "[planner]") {
  CHECK_PLAN_ERROR(kTables +
                       "INSERT INTO filtered SELECT id, name, name, orderTimestamp FROM pizza_source CROSS JOIN UNNEST(tags) AS t(name);",
                   "name, name", "column reference 'name' is ambiguous");
}

// ---- aggregation ------------------------------------------------------------

TEST_CASE("planner error: column neither grouped nor aggregated", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT name, COUNT(*) FROM pizza_source GROUP BY id;", "name, COUNT",
                   "column 'name' is neither grouped nor aggregated");
}

TEST_CASE("planner error: aggregate in WHERE", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source WHERE COUNT(*) > 1 GROUP BY id;",
                   "COUNT(*) > 1", "aggregate functions are not allowed in WHERE; use HAVING");
}

TEST_CASE("planner error: nested aggregate", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT id, COUNT(SUM(id)) FROM pizza_source GROUP BY id;", "SUM(id)",
                   "aggregate functions cannot be nested");
}

TEST_CASE("planner error: unsupported aggregate function", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT id, COLLECT(id) FROM pizza_source GROUP BY id;", "COLLECT",
                   "aggregate function COLLECT is not supported; use COUNT, SUM, MIN, MAX, AVG, LISTAGG, VAR_POP, VAR_SAMP, "
                   "STDDEV_POP or STDDEV_SAMP");
}

TEST_CASE("planner error: SELECT * with GROUP BY", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts SELECT * FROM pizza_source GROUP BY id;", "*",
                   "SELECT * cannot be used with GROUP BY");
}

// ---- windows ----------------------------------------------------------------

TEST_CASE("planner error: GROUP BY over a window TVF without window_start and window_end", "[planner]") {
  CHECK_PLAN_ERROR(kTables +
                       "INSERT INTO counts SELECT id, COUNT(*)\n"
                       "FROM TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(orderTimestamp), INTERVAL '5' SECOND))\n"
                       "GROUP BY id, window_start;",
                   "GROUP BY id, window_start",
                   "a GROUP BY over a window table-valued function must group by both window_start and window_end");
}

TEST_CASE("planner error: DESCRIPTOR on a column that is not a time attribute", "[planner]") {
  CHECK_PLAN_ERROR(kTables +
                       "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*)\n"
                       "FROM TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(id), INTERVAL '5' SECOND))\n"
                       "GROUP BY name, window_start, window_end;",
                   "id), INTERVAL", "The window function requires the timecol is a time attribute type, but 'id' is INT");
}

TEST_CASE("planner error: window size in months", "[planner]") {
  CHECK_PLAN_ERROR(kTables +
                       "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*)\n"
                       "FROM TABLE(TUMBLE(TABLE pizza_source, DESCRIPTOR(orderTimestamp), INTERVAL '1' MONTH))\n"
                       "GROUP BY name, window_start, window_end;",
                   "INTERVAL '1' MONTH", "window size must be a day-time interval");
}

TEST_CASE("planner error: HOP size that is not a multiple of the slide", "[planner]") {
  CHECK_PLAN_ERROR(kTables +
                       "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*)\n"
                       "FROM TABLE(HOP(TABLE pizza_source, DESCRIPTOR(orderTimestamp), INTERVAL '3' SECOND, INTERVAL '10' SECOND))\n"
                       "GROUP BY name, window_start, window_end;",
                   "INTERVAL '10' SECOND",
                   "Slicing Hopping Window requires size must be an integral multiple of slide, but got size 10000ms and slide 3000ms.");
}

TEST_CASE("planner error: CUMULATE size that is not a multiple of the step", "[planner]") {
  CHECK_PLAN_ERROR(kTables +
                       "INSERT INTO windows SELECT name, window_start, window_end, COUNT(*)\n"
                       "FROM TABLE(CUMULATE(TABLE pizza_source, DESCRIPTOR(orderTimestamp), INTERVAL '3' SECOND, INTERVAL '10' SECOND))\n"
                       "GROUP BY name, window_start, window_end;",
                   "INTERVAL '10' SECOND",
                   "Cumulative Window requires maxSize must be an integral multiple of step, but got maxSize 10000ms and step 3000ms.");
}

// ---- UNNEST -------------------------------------------------------------------

TEST_CASE("planner error: UNNEST of a column that is not an array", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, x, orderTimestamp FROM pizza_source CROSS JOIN UNNEST(name) AS u(x);",
                   "name) AS", "UNNEST expects an ARRAY or MAP, but 'name' is");
}

// ---- INSERT -------------------------------------------------------------------

TEST_CASE("planner error: wrong number of INSERT columns, in Flink's words", "[planner]") {
  const std::string script = kTables + "INSERT INTO filtered SELECT id, name FROM pizza_source;";
  CHECK_PLAN_ERROR(script, "filtered SELECT",
                   "Column types of query result and sink for 'default_catalog.default_database.filtered' do not match.\n"
                   "Cause: Different number of columns.");
  CHECK_THAT(planner_test::translate_failure(script).message,
             Catch::Matchers::Contains("Query schema: [id: INT, name: STRING]") &&
                 Catch::Matchers::Contains("Sink schema:  [id: INT, name: STRING, topping: STRING, orderTimestamp: TIMESTAMP(3)]"));
}

TEST_CASE("planner error: narrowing a BIGINT into an INT sink column", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO narrow SELECT id, COUNT(*) AS nr FROM pizza_source GROUP BY id;", "narrow SELECT",
                   "Cause: Incompatible types for sink column 'nr' at position 1.");
}

TEST_CASE("planner error: a string into an INT sink column", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO narrow SELECT name, id FROM pizza_source;", "narrow SELECT",
                   "Cause: Incompatible types for sink column 'id' at position 0.");
}

TEST_CASE("planner error: INSERT column list naming an unknown column", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered (id, nmae) SELECT id, name FROM pizza_source;", "nmae",
                   "Unknown target column 'nmae' (did you mean 'name'?)");
}

TEST_CASE("planner error: INSERT column list naming a column twice", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered (id, id) SELECT id, id FROM pizza_source;", "id) SELECT",
                      "Target column 'id' is assigned more than once");
}

TEST_CASE("planner error: updating query into a plain kafka sink, in Flink's words", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, LISTAGG(name), MAX(orderTimestamp) FROM pizza_source GROUP BY id, name;",
                   "filtered SELECT",
                   "Table sink 'default_catalog.default_database.filtered' doesn't support consuming update changes which is "
                   "produced by node GroupAggregate(groupBy=[id, name]");
}

TEST_CASE("planner error: upsert-kafka table without PRIMARY KEY", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "CREATE TABLE nokey (id INT) WITH ('connector' = 'upsert-kafka', 'topic' = 'x', 'key.format' = 'json', "
                             "'value.format' = 'json');",
                   "nokey", "'upsert-kafka' tables require to define a PRIMARY KEY constraint");
}

// ---- MATCH_RECOGNIZE --------------------------------------------------------

const std::string kMatchInput =
    "INSERT INTO counts SELECT * FROM (SELECT id, name, orderTimestamp FROM pizza_source)\n"
    "MATCH_RECOGNIZE (PARTITION BY id ORDER BY ";

TEST_CASE("planner error: MATCH_RECOGNIZE ordered by a column that is not a time attribute", "[planner]") {
  CHECK_PLAN_ERROR(kTables + kMatchInput + "name MEASURES COUNT(A.name) AS nr PATTERN (A B) DEFINE B AS B.name = A.name);",
                   "name MEASURES", "You must specify either rowtime or proctime for order by as the first one.");
}

TEST_CASE("planner error: MATCH_RECOGNIZE descending on time", "[planner]") {
  CHECK_PLAN_ERROR(kTables + kMatchInput + "orderTimestamp DESC MEASURES COUNT(A.name) AS nr PATTERN (A B) DEFINE B AS B.name = A.name);",
                   "orderTimestamp DESC", "Primary sort order of a streaming table must be ascending on time.");
}

TEST_CASE("planner error: ALL ROWS PER MATCH", "[planner]") {
  CHECK_PLAN_ERROR(kTables + kMatchInput +
                       "orderTimestamp MEASURES COUNT(A.name) AS nr ALL ROWS PER MATCH PATTERN (A B) DEFINE B AS B.name = A.name);",
                   "ALL ROWS", "All rows per match mode is not supported yet.");
}

TEST_CASE("planner error: MATCH_RECOGNIZE over an updating input", "[planner]") {
  CHECK_PLAN_ERROR(kTables +
                       "INSERT INTO counts SELECT * FROM (SELECT id, COUNT(*) AS nr, MAX(orderTimestamp) AS ts FROM pizza_source GROUP BY id)\n"
                       "MATCH_RECOGNIZE (PARTITION BY id ORDER BY ts MEASURES A.nr AS nr PATTERN (A B) DEFINE B AS B.nr > A.nr);",
                   "(SELECT id, COUNT", "doesn't support consuming update changes which is produced by node GroupAggregate");
}

// ---- query shapes Ananas does not run ---------------------------------------

TEST_CASE("planner error: ORDER BY on a streaming query", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, name, orderTimestamp FROM pizza_source ORDER BY id;", "id;",
                   "ORDER BY on a streaming query is not supported");
}

TEST_CASE("planner error: LIMIT on a streaming query", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered SELECT id, name, name, orderTimestamp FROM pizza_source LIMIT 10;", "10",
                   "LIMIT on a streaming query is not supported");
}

TEST_CASE("planner error: INTERSECT and EXCEPT branches of different widths (Calcite's words, at the branch)", "[planner]") {
  CHECK_PLAN_ERROR_AT(kTables +
                          "INSERT INTO filtered SELECT id, name, name, orderTimestamp FROM pizza_source\n"
                          "EXCEPT SELECT id, name, orderTimestamp FROM pizza_source;",
                      "SELECT id", 1, "Column count mismatch in EXCEPT");
  CHECK_PLAN_ERROR_AT(kTables +
                          "INSERT INTO filtered SELECT id, name, name, orderTimestamp FROM pizza_source\n"
                          "INTERSECT ALL SELECT id, name FROM pizza_source;",
                      "SELECT id", 1, "Column count mismatch in INTERSECT ALL");
}

TEST_CASE("planner error: a comma join between tables without WHERE, or without an equality in it", "[planner]") {
  // With an equality in WHERE it is an inner join (replay_interval_join_test.cpp).
  CHECK_PLAN_ERROR(kTables +
                       "INSERT INTO filtered SELECT p.id, p.name, f.topping, p.orderTimestamp\n"
                       "FROM pizza_source AS p, filtered AS f;",
                   "pizza_source AS p,", "a cross join (or comma) between tables is not supported: write JOIN ... ON");
  CHECK_PLAN_ERROR(kTables +
                       "INSERT INTO filtered SELECT p.id, p.name, f.topping, p.orderTimestamp\n"
                       "FROM pizza_source AS p, filtered AS f WHERE p.id > f.id;",
                   "p.id > f.id", "a join between tables needs an equality between a column of each side in WHERE");
}

TEST_CASE("planner error: a SELECT without INSERT", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "SELECT id FROM pizza_source;", "SELECT id", "a SELECT on its own has nowhere to write");
}

TEST_CASE("planner error: a script without any INSERT", "[planner]") {
  const auto f = planner_test::translate_failure(kTables);
  INFO(f.what);
  REQUIRE(f.failed);
  CHECK(f.location.to_string() == "t.sql:1:1");
  CHECK_THAT(f.message, Catch::Matchers::Contains("no INSERT INTO statement"));
}

// ---- DDL ----------------------------------------------------------------------

TEST_CASE("planner error: the same table twice", "[planner]") {
  CHECK_PLAN_ERROR_AT(kTables + "CREATE TABLE counts (id INT) WITH ('connector' = 'blackhole');", "counts", 1,
                      "table 'counts' is already defined");
}

TEST_CASE("planner error: unknown connector suggests the close name", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "CREATE TABLE other (id INT) WITH ('connector' = 'upsert-kafak', 'topic' = 'x');", "'upsert-kafak'",
                   "unknown connector 'upsert-kafak' (did you mean 'upsert-kafka'?)");
}

TEST_CASE("planner error: each error is reported once and the first one wins", "[planner]") {
  // Two problems: the unknown column comes first in the text and is the one reported.
  const std::string script = kTables + "INSERT INTO filtered SELECT idd, name, c.toping, orderTimestamp " + kUnnested + ";";
  CHECK_PLAN_ERROR(script, "idd", "unknown column 'idd' (did you mean 'id'?)");
  const auto f = planner_test::translate_failure(script);
  CHECK(f.what.find("toping") == std::string::npos);
}

// ---- application JSON ---------------------------------------------------------

namespace {

planner_test::Failure json_failure(const std::string& json) {
  planner_test::Failure f;
  try {
    (void)ananas::pipeline::load_input({"app.json", ananas::pipeline::InputKind::ApplicationJson, json});
  } catch (const ananas::InputError& e) {
    f.failed = true;
    f.location = e.location();
    f.message = e.message();
    f.what = e.what();
  }
  return f;
}

}  // namespace

TEST_CASE("planner error: application JSON without a statement", "[planner][json]") {
  const auto f = json_failure("{\"sources\": [], \"sinks\": []}");
  INFO(f.what);
  REQUIRE(f.failed);
  CHECK(f.location.file == "app.json");
  CHECK_THAT(f.message, Catch::Matchers::Contains("application JSON has no \"statement\""));
}

TEST_CASE("planner error: application JSON members of the wrong type", "[planner][json]") {
  auto f = json_failure("{\"sources\": [], \"sinks\": [], \"statement\": 42}");
  INFO(f.what);
  REQUIRE(f.failed);
  CHECK_THAT(f.message, Catch::Matchers::Contains("\"statement\" must be a string, got number"));
  f = json_failure("{\"sources\": {}, \"sinks\": [], \"statement\": \"\"}");
  REQUIRE(f.failed);
  CHECK_THAT(f.message, Catch::Matchers::Contains("\"sources\" must be a list"));
  f = json_failure("{\"sources\": [{\"create_table\": 1}], \"sinks\": [], \"statement\": \"\"}");
  REQUIRE(f.failed);
  CHECK(f.location.file == "app.json#/sources/0");
  CHECK_THAT(f.message, Catch::Matchers::Contains("expected an object with a \"create_table\" string"));
}

TEST_CASE("planner error: malformed application JSON gives line and column", "[planner][json]") {
  const auto f = json_failure("{\n  \"sources\": [],\n  \"sinks\": [] \"statement\": \"\"\n}");
  INFO(f.what);
  REQUIRE(f.failed);
  // nlohmann reports the position just after the unexpected token ("statement").
  CHECK(f.location.to_string() == "app.json:3:25");
  CHECK_THAT(f.message, Catch::Matchers::Contains("malformed application JSON"));
}

TEST_CASE("planner error: SQL errors inside application JSON point into the member", "[planner][json]") {
  const auto f = json_failure(
      "{\"sources\": [], \"sinks\": [], \"statement\": \"INSERT INTO t\\nSELECT 1 FROM nowhere\"}");
  INFO(f.what);
  REQUIRE(f.failed);
  CHECK(f.location.to_string() == "app.json#/statement:1:13");
  CHECK_THAT(f.message, Catch::Matchers::Contains("table 't' not found"));
}

// ---- SET and column lists -----------------------------------------------------

TEST_CASE("planner error: SET with a value that is not a duration", "[planner]") {
  CHECK_PLAN_ERROR("SET 'table.exec.source.idle-timeout' = 'soon';\n" + kTables +
                       "INSERT INTO filtered SELECT id, name, name, orderTimestamp FROM pizza_source;",
                   "'soon'", "SET 'table.exec.source.idle-timeout' = 'soon' is not a duration");
}

TEST_CASE("planner error: INSERT column list leaving out a primary-key column", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO counts (nr) SELECT COUNT(*) FROM pizza_source GROUP BY id;", "counts (nr)",
                   "Column 'id' has no default value and does not allow NULLs");
}

TEST_CASE("planner error: INSERT column list and query of different lengths", "[planner]") {
  CHECK_PLAN_ERROR(kTables + "INSERT INTO filtered (id, name) SELECT id, name, name FROM pizza_source;", "filtered (id, name)",
                   "Number of INSERT target columns (2) does not equal number of source items (3)");
}

TEST_CASE("planner error: 'scan.watermark.idle-timeout' that is not a duration", "[planner]") {
  std::string tables = kTables;
  const std::string with = "'topic' = 'pizzas', ";
  tables.replace(tables.find(with), with.size(), with + "'scan.watermark.idle-timeout' = 'later', ");
  CHECK_PLAN_ERROR(tables + "INSERT INTO filtered SELECT id, name, name, orderTimestamp FROM pizza_source;", "'later'",
                   "'scan.watermark.idle-timeout' = 'later' is not a duration");
}
