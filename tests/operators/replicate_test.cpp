// Replicate (the last step of INTERSECT ALL and EXCEPT ALL, Flink's
// ReplicateRows): each row as many times as its count column says, without
// that column, in its own kind; a count of 0, below 0 or NULL gives nothing.
#include <catch2/catch.hpp>

#include "operators/replicate.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

Schema counted() { return Schema{{{"n", Type::bigint()}, {"s", Type::string()}}}; }

}  // namespace

TEST_CASE("replicate: each row n times in its own kind, without the count", "[replicate]") {
  ReplicateOperator op({counted(), 0});
  CHECK(op.output_schema().to_string() == "(s STRING)");
  CHECK(run(op, {batch(2, {Row({i(2), s("b")}), Row(RowKind::UpdateBefore, {i(1), s("c")}), Row({i(0), s("z")}),
                           Row({i(-1), s("y")}), Row({null(), s("x")}), Row(RowKind::UpdateAfter, {i(3), s("a")})})}) ==
        std::vector<std::string>{"+I(b)", "+I(b)", "-U(c)", "+U(a)", "+U(a)", "+U(a)"});
  CHECK(op.stats().rows_in == 6);
  CHECK(op.stats().rows_out == 6);
}

TEST_CASE("replicate refuses a count column it cannot read", "[replicate]") {
  CHECK_THROWS_WITH(ReplicateOperator({counted(), 2}), "replicate: count column index out of range");
  CHECK_THROWS_WITH(ReplicateOperator({counted(), 1}), "replicate: the count column is STRING, not an integer");
}
