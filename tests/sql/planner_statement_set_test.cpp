// Statement sets (issue 12): EXECUTE STATEMENT SET BEGIN ... END and the SQL
// client's BEGIN STATEMENT SET; ... END; translate exactly as their INSERTs
// written on their own, and a malformed block is refused where it goes wrong.
#include "tests/sql/planner_test_helpers.hpp"

using namespace ananas::pipeline;
using planner_test::kTables;
using planner_test::translate;
using namespace planner_test::model;

namespace {

const std::string kFirst = "INSERT INTO filtered SELECT id, name, name, orderTimestamp FROM pizza_source WHERE id > 1";
const std::string kSecond = "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY id";

}  // namespace

TEST_CASE("planner: both statement set forms translate as the INSERTs on their own", "[planner]") {
  const auto separate = translate(kTables + kFirst + ";\n" + kSecond + ";\n");
  REQUIRE(separate.pipelines.size() == 2);
  const std::string expected = emit_pipelines_yaml(separate);
  for (const std::string& block : {"EXECUTE STATEMENT SET\nBEGIN\n" + kFirst + ";\n" + kSecond + ";\nEND;\n",
                                   "execute statement set begin " + kFirst + "; " + kSecond + "; end",
                                   "BEGIN STATEMENT SET;\n" + kFirst + ";\n" + kSecond + ";\nEND;\n",
                                   "SET 'table.exec.state.ttl' = '1 h';\nBEGIN STATEMENT SET;\n" + kFirst + ";\n" + kSecond + ";\nEND\n"}) {
    INFO(block);
    const auto set = translate(kTables + block);
    if (block.rfind("SET", 0) == 0) {
      CHECK(set.pipelines[0].settings.size() == 1);
      continue;
    }
    CHECK(emit_pipelines_yaml(set) == expected);
    // Each INSERT keeps its own location, inside the block.
    CHECK(set.pipelines[1].location.line == planner_test::locate(kTables + block, "INSERT INTO counts").line);
  }
  // A statement set beside INSERTs of the script: all of them, in script order.
  const auto mixed = translate(kTables + kFirst + ";\nEXECUTE STATEMENT SET BEGIN " + kSecond + "; END;\n" + kFirst + ";");
  CHECK(mixed.pipelines.size() == 3);
  CHECK(mixed.pipelines[1].sinks[0].name == "counts");
}

TEST_CASE("planner error: a statement set without END, or with a statement other than INSERT", "[planner]") {
  // Without END the input ends inside the block: the error is at its end, naming where the block began.
  const std::string unclosed = kTables + "EXECUTE STATEMENT SET BEGIN " + kFirst + ";\n" + kSecond + ";";
  const auto failure = planner_test::translate_failure(unclosed);
  REQUIRE(failure.failed);
  CHECK(failure.location.to_string() == "t.sql:7:" + std::to_string(kSecond.size() + 2));
  CHECK(failure.message == "unexpected end of input: the statement set is incomplete (missing END for EXECUTE STATEMENT SET BEGIN at 6:1)");
  const auto last_unclosed = planner_test::translate_failure(kTables + "BEGIN STATEMENT SET;\n" + kFirst);
  CHECK(last_unclosed.location.to_string() == "t.sql:7:" + std::to_string(kFirst.size() + 1));
  CHECK(last_unclosed.message ==
        "unexpected end of input: the statement set is incomplete (missing ';' and END for BEGIN STATEMENT SET at 6:1)");
  // Flink's SQL gateway message for anything but an INSERT in the block.
  for (const std::string& inside : {std::string("SELECT * FROM pizza_source;"), std::string("SET 'a' = 'b';"),
                                    std::string("CREATE VIEW v AS SELECT id FROM pizza_source;"),
                                    std::string("BEGIN STATEMENT SET;")}) {
    INFO(inside);
    const std::string script = kTables + "BEGIN STATEMENT SET;\n" + kFirst + ";\n" + inside + "\nEND;";
    const auto f = planner_test::translate_failure(script);
    REQUIRE(f.failed);
    CHECK(f.location.to_string() == "t.sql:8:1");
    CHECK_THAT(f.message, Catch::Matchers::StartsWith(
                              "Wrong statement after 'BEGIN STATEMENT SET'. Only 'INSERT/CREATE TABLE AS' statement is allowed in "
                              "Statement Set or use 'END' statement to terminate Statement Set."));
    CHECK_THAT(f.message, Catch::Matchers::EndsWith("inside BEGIN STATEMENT SET at 6:1)"));
  }
}

TEST_CASE("planner error: END without a statement set, an empty set, a missing semicolon", "[planner]") {
  CHECK_PLAN_ERROR(kTables + kFirst + ";\nEND;", "END",
                   "No Statement Set to submit: 'END' statement should be used after 'BEGIN STATEMENT SET'.");
  CHECK_PLAN_ERROR(kTables + "EXECUTE STATEMENT SET BEGIN END;", "END", "an empty statement set");
  CHECK_PLAN_ERROR(kTables + "EXECUTE STATEMENT SET BEGIN " + kFirst + " END;", "END;", "expected ';' after the INSERT");
  CHECK_PLAN_ERROR(kTables + "EXECUTE STATEMENT SET " + kFirst + "; END;", "INSERT", "expected BEGIN after EXECUTE STATEMENT SET");
  CHECK_PLAN_ERROR(kTables + "EXECUTE " + kFirst + ";", "EXECUTE", "EXECUTE is supported only as EXECUTE STATEMENT SET BEGIN ... END");
  CHECK_PLAN_ERROR(kTables + "BEGIN STATEMENT SET " + kFirst + "; END;", "INSERT", "after BEGIN STATEMENT SET");
  CHECK_PLAN_ERROR(kTables + "EXECUTE STATEMENT SET BEGIN " + kFirst + "; END " + kSecond + ";", "INSERT INTO counts",
                   "expected ';' or the end of the statement");
}
