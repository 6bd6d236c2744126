// SET 'table.exec.state.ttl' (the pipeline's state_ttl) reaches the operators
// that apply it, and the ones that do not are named in a warning.
#include <algorithm>

#include "tests/sql/planner_test_helpers.hpp"

using namespace ananas;
using namespace ananas::pipeline;
using planner_test::kTables;
using planner_test::translate;
using namespace planner_test::model;

namespace {

// The built operator of `p` whose model is a `Model`, fed one row (all NULL)
// on its first input at processing time `now_ms`: when its processing-time
// timer is due (the TTL sweep), if at all.
template <typename Model>
std::optional<int64_t> sweep_after_one_row(const Pipeline& p, int64_t now_ms) {
  BuiltPipeline built = build_pipeline(p);
  for (const auto& bo : built.operators) {
    if (!std::holds_alternative<Model>(bo.spec->body)) continue;
    auto op = bo.make();
    auto in = std::make_shared<Batch>(built.schema_of(bo.input).size());
    in->append_row(RowKind::Insert);
    in->set_processing_time_ms(now_ms);
    std::vector<BatchPtr> out;
    op->process_input(0, in, out);
    return op->next_processing_timer();
  }
  FAIL("no such operator in the pipeline");
  return std::nullopt;
}

std::optional<int64_t> group_aggregate_sweep_after_one_row(const Pipeline& p, int64_t now_ms) {
  return sweep_after_one_row<GroupAggregate>(p, now_ms);
}

std::vector<std::string> state_ttl_warnings(const PipelineSet& set) {
  std::vector<std::string> found;
  for (const auto& w : set.warnings)
    if (w.message.find("state_ttl") != std::string::npos) found.push_back(w.message);
  return found;
}

}  // namespace

TEST_CASE("planner: SET 'table.exec.state.ttl' reaches the group_aggregate", "[planner][state_ttl]") {
  const std::string query = "INSERT INTO counts SELECT id, COUNT(*) FROM pizza_source GROUP BY id;";
  const auto set = translate(kTables + "SET 'table.exec.state.ttl' = '90 s';\n" + query);
  const Pipeline& p = only_pipeline(set);
  CHECK(p.setting("state_ttl") == "90 s");
  CHECK(group_aggregate_sweep_after_one_row(p, 5000) == 95'000);
  CHECK(state_ttl_warnings(set).empty());  // the group_aggregate applies it
  check_round_trip(set);

  // Flink reads a bare number as milliseconds.
  const auto millis = translate(kTables + "SET 'table.exec.state.ttl' = '1500';\n" + query);
  CHECK(group_aggregate_sweep_after_one_row(only_pipeline(millis), 5000) == 6500);

  // Without the setting, state is kept forever: no sweep.
  CHECK(group_aggregate_sweep_after_one_row(only_pipeline(translate(kTables + query)), 5000) == std::nullopt);
}

TEST_CASE("planner: SET 'table.exec.state.ttl' reaches the regular join", "[planner][state_ttl]") {
  const std::string join = "INSERT INTO counts SELECT a.id, COUNT(*) FROM pizza_source AS a "
                           "JOIN pizza_source AS b ON a.id = b.id GROUP BY a.id;";
  const auto set = translate(kTables + "SET 'table.exec.state.ttl' = '1 h';\n" + join);
  const Pipeline& p = only_pipeline(set);
  CHECK(state_ttl_warnings(set).empty());  // the join and the group_aggregate apply it
  CHECK(sweep_after_one_row<Join>(p, 5000) == 5000 + 3'600'000);
  CHECK(sweep_after_one_row<Join>(only_pipeline(translate(kTables + join)), 5000) == std::nullopt);
}

TEST_CASE("planner: with a state_ttl, the operators that do not apply it are named in a warning", "[planner][state_ttl]") {
  const std::string top_n = "INSERT INTO counts SELECT id, nr FROM (SELECT id, name, CAST(1 AS BIGINT) AS nr, "
                            "ROW_NUMBER() OVER (PARTITION BY id ORDER BY name DESC) AS rownum FROM pizza_source) "
                            "WHERE rownum <= 2;";
  const std::string set_ttl = "SET 'table.exec.state.ttl' = '1 h';\n";
  const std::string script = kTables + set_ttl + top_n;
  const auto set = translate(script);
  const Pipeline& p = only_pipeline(set);
  auto ranked = std::find_if(p.operators.begin(), p.operators.end(),
                             [](const Operator& o) { return std::holds_alternative<TopN>(o.body); });
  REQUIRE(ranked != p.operators.end());
  const auto warnings = state_ttl_warnings(set);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].rfind("state_ttl '1 h' is applied only by group_aggregate and the regular join; these operators of "
                          "pipeline 't' keep their state until it is deleted, where Flink would expire it: ", 0) == 0);
  CHECK(warnings[0].find(ranked->name + " (top_n)") != std::string::npos);
  for (const auto& w : set.warnings)  // at the SET's value
    if (w.message == warnings[0]) CHECK(w.location.line == planner_test::locate(script, "'1 h'").line);
  // Without the setting there is nothing to warn about.
  CHECK(state_ttl_warnings(translate(kTables + top_n)).empty());
}
