// The non-windowed GROUP BY with a state TTL (Flink's table.exec.state.ttl),
// driven by batches with explicit processing times.
#include <catch2/catch.hpp>

#include "operators/group_aggregate.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

const Schema kInput{{{"k", Type::string()}, {"v", Type::integer()}}};

// SELECT k, SUM(v) AS total ... GROUP BY k, state kept for `ttl_ms`.
GroupAggregateConfig sum_by_key(int64_t ttl_ms) {
  GroupAggregateConfig c;
  c.input = kInput;
  c.keys = {{"k", col(kInput, "k")}};
  AggregateCall sum;
  sum.kind = AggregateKind::Sum;
  sum.args = {col(kInput, "v")};
  sum.name = "total";
  c.aggregates = {sum};
  c.state_ttl_ms = ttl_ms;
  return c;
}

// (0 would mean "unknown": the operator would read the wall clock.)
BatchPtr at(int64_t processing_time_ms, const std::vector<Row>& rows) {
  auto b = batch(2, rows);
  std::const_pointer_cast<Batch>(b)->set_processing_time_ms(processing_time_ms);
  return b;
}

std::vector<std::string> feed(GroupAggregateOperator& agg, int64_t processing_time_ms, const std::vector<Row>& rows) {
  return run(agg, {at(processing_time_ms, rows)});
}

}  // namespace

TEST_CASE("state TTL: a key written within the TTL keeps accumulating", "[group_aggregate][ttl]") {
  GroupAggregateOperator agg(sum_by_key(1000));
  CHECK(feed(agg, 10'000, {Row({s("a"), i(5)})}) == std::vector<std::string>{"+I(a,5)"});
  // 999 ms later, then 999 ms after that write (OnCreateAndWrite: each write restarts the TTL).
  CHECK(feed(agg, 10'999, {Row({s("a"), i(1)})}) == std::vector<std::string>{"-U(a,5)", "+U(a,6)"});
  CHECK(feed(agg, 11'998, {Row({s("a"), i(2)})}) == std::vector<std::string>{"-U(a,6)", "+U(a,8)"});
  CHECK(agg.stats().state_entries == 1);
}

TEST_CASE("state TTL: a key idle for the TTL starts afresh with +I", "[group_aggregate][ttl]") {
  GroupAggregateOperator agg(sum_by_key(1000));
  CHECK(feed(agg, 10'000, {Row({s("a"), i(5)}), Row({s("b"), i(1)})}) == std::vector<std::string>{"+I(a,5)", "+I(b,1)"});
  // Flink's TtlUtils.expired: written + ttl <= now. No retraction of the old result.
  CHECK(feed(agg, 11'000, {Row({s("a"), i(7)})}) == std::vector<std::string>{"+I(a,7)"});
  CHECK(feed(agg, 11'500, {Row({s("a"), i(1)})}) == std::vector<std::string>{"-U(a,7)", "+U(a,8)"});
}

TEST_CASE("state TTL: a retraction of an expired key is ignored", "[group_aggregate][ttl]") {
  GroupAggregateOperator agg(sum_by_key(1000));
  feed(agg, 1000, {Row({s("a"), i(5)})});
  CHECK(feed(agg, 5000, {Row(RowKind::UpdateBefore, {s("a"), i(5)}), Row(RowKind::Delete, {s("a"), i(5)})}).empty());
  CHECK(agg.stats().state_entries == 0);  // the expired state was cleared on the read
  CHECK(feed(agg, 5001, {Row({s("a"), i(2)})}) == std::vector<std::string>{"+I(a,2)"});
}

TEST_CASE("state TTL: an unchanged result is emitted again, as Flink does with a TTL", "[group_aggregate][ttl]") {
  GroupAggregateOperator kept(sum_by_key(0));
  GroupAggregateOperator expiring(sum_by_key(1000));
  const std::vector<Row> rows = {Row({s("a"), i(5)}), Row({s("a"), i(0)})};
  CHECK(feed(kept, 1000, rows) == std::vector<std::string>{"+I(a,5)"});
  CHECK(feed(expiring, 1000, rows) == std::vector<std::string>{"+I(a,5)", "-U(a,5)", "+U(a,5)"});
}

TEST_CASE("state TTL: the processing-time sweep frees expired groups without traffic", "[group_aggregate][ttl]") {
  GroupAggregateOperator agg(sum_by_key(1000));
  CHECK(!agg.next_processing_timer());
  feed(agg, 10'000, {Row({s("a"), i(1)})});
  feed(agg, 10'400, {Row({s("b"), i(1)})});
  CHECK(agg.stats().state_entries == 2);
  REQUIRE(agg.next_processing_timer() == 11'000);
  std::vector<BatchPtr> out;
  agg.on_processing_time(11'000, out);
  CHECK(out.empty());  // expiring emits nothing
  CHECK(agg.stats().state_entries == 1);
  REQUIRE(agg.next_processing_timer() == 11'400);
  agg.on_processing_time(11'400, out);
  CHECK(agg.stats().state_entries == 0);
  CHECK(agg.stats().state_bytes == 0);
  CHECK(!agg.next_processing_timer());
}

TEST_CASE("state TTL off: no processing-time timer and state kept forever", "[group_aggregate][ttl]") {
  GroupAggregateOperator agg(sum_by_key(0));
  feed(agg, 1000, {Row({s("a"), i(5)})});
  CHECK(!agg.next_processing_timer());
  CHECK(feed(agg, 1'000'000'000, {Row({s("a"), i(1)})}) == std::vector<std::string>{"-U(a,5)", "+U(a,6)"});
}

TEST_CASE("state TTL: snapshot and restore keep the write times", "[group_aggregate][ttl][restore]") {
  GroupAggregateOperator before(sum_by_key(1000));
  feed(before, 10'000, {Row({s("a"), i(5)})});
  feed(before, 10'600, {Row({s("b"), i(1)})});
  StateWriter w;
  before.snapshot(w);

  GroupAggregateOperator after(sum_by_key(1000));
  StateReader r(w.data());
  after.restore(r);
  CHECK(r.at_end());
  CHECK(after.next_processing_timer() == 11'000);
  // a expired at 11 000 (written at 10 000); b, written at 10 600, has not.
  CHECK(feed(after, 11'100, {Row({s("a"), i(2)}), Row({s("b"), i(2)})}) ==
        std::vector<std::string>{"+I(a,2)", "-U(b,1)", "+U(b,3)"});
}

TEST_CASE("state TTL: a snapshot without write times restores as written at the first clock reading", "[group_aggregate][ttl][restore]") {
  GroupAggregateOperator untimed(sum_by_key(0));
  feed(untimed, 10'000, {Row({s("a"), i(5)})});
  StateWriter w;
  untimed.snapshot(w);

  GroupAggregateOperator after(sum_by_key(1000));
  StateReader r(w.data());
  after.restore(r);
  REQUIRE(after.next_processing_timer() == 0);  // asks for the clock at once
  std::vector<BatchPtr> out;
  after.on_processing_time(50'000, out);
  CHECK(after.stats().state_entries == 1);
  CHECK(after.next_processing_timer() == 51'000);
  CHECK(feed(after, 50'999, {Row({s("a"), i(1)})}) == std::vector<std::string>{"-U(a,5)", "+U(a,6)"});

  // And a TTL-less operator reads a snapshot with times, dropping them.
  StateWriter timed;
  after.snapshot(timed);
  GroupAggregateOperator kept(sum_by_key(0));
  StateReader tr(timed.data());
  kept.restore(tr);
  CHECK(feed(kept, 1'000'000, {Row({s("a"), i(1)})}) == std::vector<std::string>{"-U(a,6)", "+U(a,7)"});
}

TEST_CASE("state TTL: groups expiring one after the other are swept together", "[group_aggregate][ttl]") {
  GroupAggregateOperator agg(sum_by_key(1000));
  feed(agg, 10'000, {Row({s("a"), i(1)})});
  feed(agg, 10'001, {Row({s("b"), i(1)})});
  std::vector<BatchPtr> out;
  agg.on_processing_time(11'000, out);
  CHECK(agg.stats().state_entries == 1);
  // b expires at 11 001, but a sweep reads every group: the next is a quarter TTL later.
  CHECK(agg.next_processing_timer() == 11'250);
  // Expired and not swept yet, b is still absent to its next row.
  CHECK(feed(agg, 11'100, {Row({s("b"), i(4)})}) == std::vector<std::string>{"+I(b,4)"});
}
