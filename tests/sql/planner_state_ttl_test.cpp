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

// The built group_aggregate of `p`, fed one row (all NULL) at processing time
// `now_ms`: when its processing-time timer is due (the TTL sweep), if at all.
std::optional<int64_t> group_aggregate_sweep_after_one_row(const Pipeline& p, int64_t now_ms) {
  BuiltPipeline built = build_pipeline(p);
  for (const auto& bo : built.operators) {
    if (!std::holds_alternative<GroupAggregate>(bo.spec->body)) continue;
    auto agg = bo.make();
    auto in = std::make_shared<Batch>(built.schema_of(bo.input).size());
    in->append_row(RowKind::Insert);
    in->set_processing_time_ms(now_ms);
    std::vector<BatchPtr> out;
    agg->process(in, out);
    CHECK(out.size() == 1);
    return agg->next_processing_timer();
  }
  FAIL("no group_aggregate in the pipeline");
  return std::nullopt;
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

TEST_CASE("planner: with a state_ttl, the operators that do not apply it are named in a warning", "[planner][state_ttl]") {
  const auto set = translate(kTables + "SET 'table.exec.state.ttl' = '1 h';\n"
                                       "INSERT INTO counts SELECT a.id, COUNT(*) FROM pizza_source AS a "
                                       "JOIN pizza_source AS b ON a.id = b.id GROUP BY a.id;");
  const Pipeline& p = only_pipeline(set);
  auto join = std::find_if(p.operators.begin(), p.operators.end(),
                           [](const Operator& o) { return std::holds_alternative<Join>(o.body); });
  REQUIRE(join != p.operators.end());
  const auto warnings = state_ttl_warnings(set);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "state_ttl '1 h' is applied only by group_aggregate; these operators of pipeline 't' keep their state "
                       "until it is deleted, where Flink would expire it: " + join->name + " (join)");
  // Without the setting there is nothing to warn about.
  const auto plain = translate(kTables + "INSERT INTO counts SELECT a.id, COUNT(*) FROM pizza_source AS a "
                                         "JOIN pizza_source AS b ON a.id = b.id GROUP BY a.id;");
  CHECK(state_ttl_warnings(plain).empty());
}
