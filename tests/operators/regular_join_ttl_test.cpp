// The regular join with a state TTL (Flink's table.exec.state.ttl on
// StreamingJoinOperator's JoinRecordStateViews): each stored row expires on
// its own, driven by batches with explicit processing times.
#include <catch2/catch.hpp>

#include "operators/regular_join.hpp"
#include "tests/operators/operator_test_helpers.hpp"

using namespace ananas;
using namespace ananas::ops;
using namespace optest;

namespace {

// orders(order_id, cid) JOIN customers(id, name) ON cid = id, rows kept for `ttl_ms`.
RegularJoinConfig config(JoinType type, int64_t ttl_ms) {
  RegularJoinConfig c;
  c.left.columns = {{"order_id", Type::integer()}, {"cid", Type::integer()}};
  c.right.columns = {{"id", Type::integer()}, {"name", Type::string()}};
  c.type = type;
  c.left_keys = {1};
  c.right_keys = {0};
  c.state_ttl_ms = ttl_ms;
  return c;
}

// Side 0: orders, side 1: customers; at processing time `now_ms` (not 0, which means "unknown").
std::vector<std::string> feed(RegularJoinOperator& op, size_t side, int64_t now_ms, const std::vector<Row>& rows) {
  auto b = batch(2, rows);
  std::const_pointer_cast<Batch>(b)->set_processing_time_ms(now_ms);
  std::vector<BatchPtr> out;
  op.process_input(side, b, out);
  return rows_of(out);
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("join state TTL: an expired row of the other side matches nothing", "[join][ttl]") {
  RegularJoinOperator op(config(JoinType::Inner, 1000));
  feed(op, 1, 10'000, {{{i(7), s("ann")}}});
  CHECK(feed(op, 0, 10'999, {{{i(1), i(7)}}}) == V{"+I(1,7,7,ann)"});  // reading does not write the customer
  CHECK(feed(op, 0, 11'000, {{{i(2), i(7)}}}).empty());                // written + ttl <= now: expired
  CHECK(op.stats().state_entries == 2);                                 // orders 1 and 2; the customer was cleared
}

TEST_CASE("join state TTL: an expired row of this side counts as absent", "[join][ttl]") {
  RegularJoinOperator op(config(JoinType::Inner, 1000));
  feed(op, 0, 10'000, {{{i(1), i(7)}}});
  feed(op, 0, 10'500, {{{i(1), i(7)}}});  // a second copy: written again
  // At 11 600 the order (last written at 10 500) is gone: a customer matches nothing.
  CHECK(feed(op, 1, 11'600, {{{i(7), s("ann")}}}).empty());
  // A new copy of the order starts from one, not three.
  CHECK(feed(op, 0, 11'700, {{{i(1), i(7)}}}) == V{"+I(1,7,7,ann)"});
  CHECK(feed(op, 1, 11'800, {{RowKind::Delete, {i(7), s("ann")}}}) == V{"-D(1,7,7,ann)"});
}

TEST_CASE("join state TTL: a left join's unmatched row is not padded again when its match expires", "[join][ttl]") {
  RegularJoinOperator op(config(JoinType::Left, 1000));
  CHECK(feed(op, 0, 10'000, {{{i(1), i(7)}}}) == V{"+I(1,7,NULL,NULL)"});
  // The match writes the order (its association count), so the order outlives the customer.
  CHECK(feed(op, 1, 10'500, {{{i(7), s("ann")}}}) == V{"-D(1,7,NULL,NULL)", "+I(1,7,7,ann)"});
  std::vector<BatchPtr> out;
  op.on_processing_time(11'500, out);  // both expired: silently
  CHECK(out.empty());
  CHECK(op.stats().state_entries == 0);
  CHECK(feed(op, 1, 11'600, {{RowKind::Delete, {i(7), s("ann")}}}).empty());
}

TEST_CASE("join state TTL: the sweep frees expired rows and keys without traffic", "[join][ttl]") {
  RegularJoinOperator op(config(JoinType::Inner, 1000));
  CHECK(!op.next_processing_timer());
  feed(op, 0, 10'000, {{{i(1), i(7)}}});
  feed(op, 1, 10'400, {{{i(8), s("bob")}}});
  REQUIRE(op.next_processing_timer() == 11'000);
  std::vector<BatchPtr> out;
  op.on_processing_time(11'000, out);
  CHECK(op.stats().state_entries == 1);
  REQUIRE(op.next_processing_timer() == 11'400);
  op.on_processing_time(11'400, out);
  CHECK(op.stats().state_entries == 0);
  CHECK(op.stats().state_bytes == 0);
  CHECK(!op.next_processing_timer());
  CHECK(out.empty());
}

TEST_CASE("join state TTL off: rows are kept and no timer is asked for", "[join][ttl]") {
  RegularJoinOperator op(config(JoinType::Inner, 0));
  feed(op, 1, 1000, {{{i(7), s("ann")}}});
  CHECK(!op.next_processing_timer());
  CHECK(feed(op, 0, 1'000'000'000, {{{i(1), i(7)}}}) == V{"+I(1,7,7,ann)"});
}

TEST_CASE("join state TTL: snapshot and restore keep the write times", "[join][ttl][restore]") {
  RegularJoinOperator before(config(JoinType::Inner, 1000));
  feed(before, 1, 10'000, {{{i(7), s("ann")}}});
  feed(before, 1, 10'600, {{{i(8), s("bob")}}});
  StateWriter w;
  before.snapshot(w);
  RegularJoinOperator after(config(JoinType::Inner, 1000));
  StateReader r(w.data());
  after.restore(r);
  CHECK(r.at_end());
  CHECK(after.next_processing_timer() == 11'000);
  CHECK(feed(after, 0, 11'100, {{{i(1), i(7)}}, {{i(2), i(8)}}}) == V{"+I(2,8,8,bob)"});
}

TEST_CASE("join state TTL: a snapshot without write times restores as written at the first clock reading",
          "[join][ttl][restore]") {
  RegularJoinOperator untimed(config(JoinType::Inner, 0));
  feed(untimed, 1, 10'000, {{{i(7), s("ann")}}});
  StateWriter old;
  untimed.snapshot(old);
  RegularJoinOperator stamped(config(JoinType::Inner, 1000));
  StateReader ro(old.data());
  stamped.restore(ro);
  REQUIRE(stamped.next_processing_timer() == 0);
  std::vector<BatchPtr> out;
  stamped.on_processing_time(50'000, out);
  CHECK(stamped.next_processing_timer() == 51'000);
  CHECK(feed(stamped, 0, 50'999, {{{i(1), i(7)}}}) == V{"+I(1,7,7,ann)"});
  CHECK(feed(stamped, 0, 51'000, {{{i(2), i(7)}}}).empty());
}

TEST_CASE("join state TTL: the ANTI join of EXCEPT stamps its rows, and an expired match stops hiding a left row", "[join][ttl]") {
  // Flink's StreamingSemiAntiJoinOperator keeps both sides under the same TTL.
  RegularJoinOperator op(config(JoinType::Anti, 1000));
  CHECK(feed(op, 0, 10'000, {{{i(1), i(7)}}}) == V{"+I(1,7)"});  // no customer 7 yet
  CHECK(feed(op, 1, 10'500, {{{i(7), s("ann")}}}) == V{"-D(1,7)"});  // its first match hides it
  // Within the TTL the left row is still there: a second order with key 7 is hidden at once.
  CHECK(feed(op, 0, 10'900, {{{i(2), i(7)}}}).empty());
  // At 11 500 the customer (written 10 500) has expired: a new order with key 7 has no match.
  CHECK(feed(op, 0, 11'500, {{{i(3), i(7)}}}) == V{"+I(3,7)"});
}
