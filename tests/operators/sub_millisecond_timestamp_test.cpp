// Timestamps with nanoseconds below the millisecond (TIMESTAMP(6), TIMESTAMP(9);
// Value::timestamp) in a GROUP BY: two keys a microsecond apart are two
// groups, MIN/MAX order by the nanoseconds too, COUNT(DISTINCT) tells values
// apart by them, and a snapshot restores keys and values with their nanoseconds.
#include <catch2/catch.hpp>

#include "operators/group_aggregate.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

const int64_t kBase = ts("2023-01-01 10:00:00.123");

// SELECT k, MAX(v), MIN(v), COUNT(DISTINCT v) FROM t GROUP BY k
// over t (k TIMESTAMP(6), v TIMESTAMP(9)).
GroupAggregateConfig by_precise_key() {
  GroupAggregateConfig c;
  c.input.columns = {{"k", Type::timestamp(6)}, {"v", Type::timestamp(9)}};
  c.keys = {{"k", col(c.input, "k")}};
  AggregateCall max, min, distinct;
  max.kind = AggregateKind::Max;
  max.args = {col(c.input, "v")};
  max.name = "max_v";
  min.kind = AggregateKind::Min;
  min.args = {col(c.input, "v")};
  min.name = "min_v";
  distinct.kind = AggregateKind::Count;
  distinct.args = {col(c.input, "v")};
  distinct.distinct = true;
  distinct.name = "n";
  c.aggregates = {max, min, distinct};
  return c;
}

BatchPtr first_rows() {
  return batch(2, {Row({precise(kBase, 456000), precise(kBase, 1)}), Row({precise(kBase, 456000), precise(kBase, 999999)}),
                   Row({precise(kBase, 457000), precise(kBase, 5)})});
}

// The same v again (no change: nothing is emitted), then a later millisecond.
BatchPtr second_rows() {
  return batch(2, {Row({precise(kBase, 456000), precise(kBase, 999999)}), Row({precise(kBase, 456000), i(kBase + 1)})});
}

}  // namespace

TEST_CASE("sub-millisecond timestamps: group keys, MIN/MAX and DISTINCT keep the nanoseconds", "[group_aggregate][timestamp]") {
  GroupAggregateOperator agg(by_precise_key());
  CHECK(run(agg, {first_rows()}) ==
        std::vector<std::string>{"+I(1672567200123+456000ns,1672567200123+1ns,1672567200123+1ns,1)",
                                 "-U(1672567200123+456000ns,1672567200123+1ns,1672567200123+1ns,1)",
                                 "+U(1672567200123+456000ns,1672567200123+999999ns,1672567200123+1ns,2)",
                                 "+I(1672567200123+457000ns,1672567200123+5ns,1672567200123+5ns,1)"});
  CHECK(run(agg, {second_rows()}) ==
        std::vector<std::string>{"-U(1672567200123+456000ns,1672567200123+999999ns,1672567200123+1ns,2)",
                                 "+U(1672567200123+456000ns,1672567200124,1672567200123+1ns,3)"});
}

TEST_CASE("sub-millisecond timestamps: a group aggregate's snapshot restores them", "[group_aggregate][timestamp][restore]") {
  GroupAggregateOperator uninterrupted(by_precise_key());
  run(uninterrupted, {first_rows()});
  const auto expected = run(uninterrupted, {second_rows()});

  GroupAggregateOperator before(by_precise_key());
  run(before, {first_rows()});
  StateWriter w;
  before.snapshot(w);
  GroupAggregateOperator after(by_precise_key());
  StateReader r(w.data());
  after.restore(r);
  CHECK(r.at_end());
  CHECK(run(after, {second_rows()}) == expected);
  CHECK(expected.size() == 2);
}
