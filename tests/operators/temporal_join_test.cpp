// The event-time temporal join operator (Flink docs, Queries > Joins > Event
// Time Temporal Join): a left row waits for the watermark, then joins the
// version its key had at its time; deletes end a version; LEFT pads; the
// watermark frees the versions no one can need; snapshot/restore; and a
// property test: over random versions and orders arriving in any order, the
// output is the batch "latest version at or before" lookup of every order.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "operators/temporal_join.hpp"
#include "tests/operators/operator_test_helpers.hpp"

using namespace ananas;
using namespace ananas::ops;
using namespace optest;

namespace {

// orders(currency, order_time) [LEFT] JOIN rates(currency, rate, update_time)
// FOR SYSTEM_TIME AS OF order_time ON orders.currency = rates.currency.
TemporalJoinConfig config(bool left_outer = false) {
  TemporalJoinConfig c;
  const Type rowtime = Type::timestamp(3).with_time_attr(TimeAttr::Rowtime);
  c.left.columns = {{"currency", Type::integer()}, {"order_time", rowtime}};
  c.right.columns = {{"rcurrency", Type::integer()}, {"rate", Type::integer()}, {"update_time", rowtime}};
  c.left_keys = {0};
  c.right_keys = {0};
  c.left_time = 1;
  c.right_time = 2;
  c.type = left_outer ? JoinType::Left : JoinType::Inner;
  return c;
}

std::vector<std::string> feed(TemporalJoinOperator& op, size_t side, const std::vector<Row>& rows) {
  std::vector<BatchPtr> out;
  op.process_input(side, batch(side == 0 ? 2 : 3, rows), out);
  return rows_of(out);
}

std::vector<std::string> advance(TemporalJoinOperator& op, int64_t watermark) {
  std::vector<BatchPtr> out;
  op.on_watermark(watermark, out);
  return rows_of(out);
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("temporal join: an order waits for the watermark, then joins the rate of its time", "[temporal_join]") {
  TemporalJoinOperator op(config());
  CHECK(feed(op, 1, {{{i(1), i(114), i(10)}}, {{i(1), i(110), i(20)}}}).empty());
  CHECK(feed(op, 0, {{{i(1), i(15)}}, {{i(1), i(25)}}, {{i(1), i(5)}}}).empty());  // nothing before the watermark
  CHECK(advance(op, 14).empty());
  // At 15 the rate of 10 holds; order 5 (before any rate) has none.
  CHECK(advance(op, 16) == V{"+I(1,15,1,114,10)"});
  // A version that arrives late still counts for the orders still waiting.
  CHECK(feed(op, 1, {{{i(1), i(112), i(22)}}}).empty());
  CHECK(advance(op, 30) == V{"+I(1,25,1,112,22)"});
  // The left rowtime stays the output's time attribute, the versions' does not.
  CHECK(op.output_schema()[1].type.time_attr == TimeAttr::Rowtime);
  CHECK(op.output_schema()[4].type.time_attr == TimeAttr::None);
}

TEST_CASE("temporal join: LEFT pads an order with no version, a deleted version, or a NULL key", "[temporal_join]") {
  TemporalJoinOperator op(config(true));
  feed(op, 1, {{{i(1), i(114), i(10)}}, {RowKind::Delete, {i(1), i(114), i(20)}}, {RowKind::UpdateBefore, {i(1), i(1), i(12)}}});
  CHECK(feed(op, 0, {{{null(), i(3)}}}) == V{"+I(NULL,3,NULL,NULL,NULL)"});  // at once: it can never match
  feed(op, 0, {{{i(1), i(5)}}, {{i(1), i(12)}}, {{i(1), i(25)}}, {{i(2), i(12)}}});
  // In arrival order per key: 5 before any rate, 12 on 114 (the UPDATE_BEFORE is no version), 25 after the delete.
  CHECK(advance(op, 30) == V{"+I(1,5,NULL,NULL,NULL)", "+I(1,12,1,114,10)", "+I(1,25,NULL,NULL,NULL)", "+I(2,12,NULL,NULL,NULL)"});
}

TEST_CASE("temporal join: the condition filters the version found, and a failing one is a row error", "[temporal_join]") {
  TemporalJoinConfig c = config(true);
  c.condition = fn(Type::boolean(), [](const Value* row, expr::EvalContext&) { return Value::boolean(row[3].as_int() > 100); });
  TemporalJoinOperator op(c);
  feed(op, 1, {{{i(1), i(90), i(10)}}, {{i(1), i(120), i(20)}}});
  feed(op, 0, {{{i(1), i(15)}}, {{i(1), i(25)}}});
  // 15 finds 90, which the condition refuses: padded, not the older or newer version.
  CHECK(advance(op, 30) == V{"+I(1,15,NULL,NULL,NULL)", "+I(1,25,1,120,20)"});
  CHECK_THROWS_AS(TemporalJoinOperator(TemporalJoinConfig{}), std::invalid_argument);
  std::vector<BatchPtr> out;
  CHECK_THROWS_AS(op.process_input(0, batch(2, {{RowKind::Delete, {i(1), i(10)}}}), out), RowFailure);
}

TEST_CASE("temporal join: the watermark keeps only the last version at or before it", "[temporal_join][state]") {
  TemporalJoinOperator op(config());
  feed(op, 1, {{{i(1), i(1), i(10)}}, {{i(1), i(2), i(20)}}, {{i(1), i(3), i(30)}}, {{i(1), i(4), i(40)}}});
  CHECK(op.stats().state_entries == 4);
  advance(op, 25);  // 10 is behind 20, the version of every time from 20 on
  CHECK(op.stats().state_entries == 3);
  // An order at 20 that arrives late still finds the version of 20.
  feed(op, 0, {{{i(1), i(22)}}});
  CHECK(advance(op, 26) == V{"+I(1,22,1,2,20)"});
  // As Flink's operator, a key is cleaned up when one of its timers fires
  // (an order's or the first version's): with no order left, 20 stays.
  advance(op, 100);
  CHECK(op.stats().state_entries == 3);
  feed(op, 0, {{{i(1), i(101)}}});
  CHECK(advance(op, 101) == V{"+I(1,101,1,4,40)"});
  CHECK(op.stats().state_entries == 1);
}

TEST_CASE("temporal join: a restored join keeps its waiting orders, versions and watermark", "[temporal_join][state]") {
  TemporalJoinOperator op(config(true));
  feed(op, 1, {{{i(1), i(114), i(10)}}});
  feed(op, 0, {{{i(1), i(15)}}, {{i(2), i(16)}}});
  advance(op, 12);
  StateWriter w;
  op.snapshot(w);
  TemporalJoinOperator restored(config(true));
  StateReader r(w.data());
  restored.restore(r);
  CHECK(restored.stats().state_entries == 3);
  CHECK(advance(restored, 11).empty());  // the restored watermark (12) does not go back
  feed(restored, 1, {{{i(2), i(7), i(16)}}});
  CHECK(advance(restored, 20) == V{"+I(1,15,1,114,10)", "+I(2,16,2,7,16)"});
}

TEST_CASE("temporal join: orders and versions in any order give each order the version of its time", "[temporal_join][property]") {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
    const bool left_outer = seed % 2 == 0;
    TemporalJoinConfig c = config(left_outer);
    auto op = std::make_unique<TemporalJoinOperator>(c);
    struct Version {
      int64_t rate;
      bool deleted;
    };
    // Per key, the versions by time as the versioned table ends up (a later
    // row of the same time replaces the earlier one).
    std::map<int64_t, std::map<int64_t, Version>> table;
    std::vector<std::pair<int64_t, int64_t>> orders;  // key, time
    std::multiset<std::string> emitted;
    int64_t watermark = -1;
    int64_t rate = 0;
    size_t versions_sent = 0;
    for (int step = 0; step < 300; ++step) {
      std::vector<BatchPtr> out;
      const int what = pick(10);
      if (what == 0) {
        watermark += pick(6);
        op->on_watermark(watermark, out);
      } else if (what <= 4) {
        // After the watermark: a late version would change what a batch lookup
        // gives orders already written (the unit tests cover late versions).
        const int64_t key = pick(3), time = watermark + 1 + pick(10);
        const bool deleted = pick(6) == 0;
        ++rate;
        ++versions_sent;
        table[key][time] = {rate, deleted};
        op->process_input(1, batch(3, {{deleted ? RowKind::Delete : RowKind::Insert, {i(key), i(rate), i(time)}}}), out);
      } else {
        // Orders come after the watermark (the batch lookup cannot see what the operator freed).
        const int64_t key = pick(3), time = watermark + 1 + pick(10);
        orders.emplace_back(key, time);
        op->process_input(0, batch(2, {{{i(key), i(time)}}}), out);
      }
      for (const auto& b : out)
        for (size_t n = 0; n < b->num_rows(); ++n) {
          REQUIRE(b->kind(n) == RowKind::Insert);
          emitted.insert(show_row(*b, n).substr(2));
        }
      if (step == 150) {  // a snapshot and restore halfway changes nothing
        StateWriter w;
        op->snapshot(w);
        op = std::make_unique<TemporalJoinOperator>(c);
        StateReader r(w.data());
        op->restore(r);
      }
    }
    std::vector<BatchPtr> out;
    op->on_watermark(kMaxWatermark - 1, out);  // the end of the input: every order is decided
    for (const auto& b : out)
      for (size_t n = 0; n < b->num_rows(); ++n) emitted.insert(show_row(*b, n).substr(2));
    std::multiset<std::string> expected;
    for (const auto& [key, time] : orders) {
      const std::string order = "(" + std::to_string(key) + "," + std::to_string(time) + ",";
      const auto& versions = table[key];
      auto v = versions.upper_bound(time);
      if (v != versions.begin() && !std::prev(v)->second.deleted) {
        --v;
        expected.insert(order + std::to_string(key) + "," + std::to_string(v->second.rate) + "," + std::to_string(v->first) + ")");
      } else if (left_outer) {
        expected.insert(order + "NULL,NULL,NULL)");
      }
    }
    CHECK(emitted == expected);
    CHECK(op->stats().state_entries < versions_sent / 2);  // the watermark freed versions on the way
  }
}
