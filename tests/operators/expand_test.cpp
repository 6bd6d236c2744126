// Expand (the first half of GROUPING SETS): one row per set, the left-out
// grouping columns NULL, Flink's expand id appended; kinds and strings kept.
#include <catch2/catch.hpp>

#include "operators/expand.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

Schema abv() {
  return Schema{{{"a", Type::string().with_nullable(false)}, {"b", Type::integer()}, {"v", Type::bigint()}}};
}

}  // namespace

TEST_CASE("expand ids are Flink's: a bit per left-out grouping column, the first column highest", "[expand]") {
  CHECK(expand_id({0, 1}, {0, 1}) == 0);
  CHECK(expand_id({0, 1}, {0}) == 1);
  CHECK(expand_id({0, 1}, {1}) == 2);
  CHECK(expand_id({0, 1}, {}) == 3);
  CHECK(expand_id({2, 0, 1}, {2}) == 3);
}

TEST_CASE("expand: ROLLUP(a, b) gives each row three times, in the sets' order", "[expand]") {
  ExpandOperator op({abv(), {0, 1}, {{0, 1}, {0}, {}}, "$e"});
  CHECK(op.output_schema().to_string() == "(a STRING, b INT, v BIGINT, $e BIGINT NOT NULL)");
  CHECK(run(op, {batch(3, {Row({s("x"), i(1), i(10)}), Row(RowKind::UpdateBefore, {s("y"), null(), i(20)})})}) ==
        std::vector<std::string>{"+I(x,1,10,0)", "+I(x,NULL,10,1)", "+I(NULL,NULL,10,3)", "-U(y,NULL,20,0)",
                                 "-U(y,NULL,20,1)", "-U(NULL,NULL,20,3)"});
  CHECK(op.stats().rows_in == 2);
  CHECK(op.stats().rows_out == 6);
}

TEST_CASE("expand refuses sets it cannot build", "[expand]") {
  CHECK_THROWS_WITH(ExpandOperator({abv(), {0, 1}, {}, "$e"}), "expand needs at least one grouping set");
  CHECK_THROWS_WITH(ExpandOperator({abv(), {0, 5}, {{0}}, "$e"}), "grouping column index 5 out of range");
  CHECK_THROWS_WITH(ExpandOperator({abv(), {0}, {{2}}, "$e"}), "grouping set column index 2 is not a grouping column");
}
