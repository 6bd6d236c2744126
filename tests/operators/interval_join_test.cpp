// The interval join operator (Flink docs, Queries > Joins > Interval Joins):
// rows pair only within the time bounds, whichever side arrives first; the
// watermark drops rows that can no longer match; a row too late to be matched
// later is joined with what is buffered but not kept; snapshot/restore; and a
// property test: over random rows arriving in any order that the watermark
// allows, the output is the batch interval join of all rows.
#include <catch2/catch.hpp>

#include <array>
#include <random>
#include <set>

#include "operators/interval_join.hpp"
#include "tests/operators/operator_test_helpers.hpp"

using namespace ananas;
using namespace ananas::ops;
using namespace optest;

namespace {

// orders(id, order_time) JOIN shipments(order_id, ship_time) ON id = order_id
// AND order_time BETWEEN ship_time - 4 AND ship_time (milliseconds).
IntervalJoinConfig config(int64_t lower = -4, int64_t upper = 0, JoinType type = JoinType::Inner) {
  IntervalJoinConfig c;
  const Type rowtime = Type::timestamp(3).with_time_attr(TimeAttr::Rowtime);
  c.left.columns = {{"id", Type::integer()}, {"order_time", rowtime}};
  c.right.columns = {{"order_id", Type::integer()}, {"ship_time", rowtime}};
  c.left_keys = {0};
  c.right_keys = {0};
  c.left_time = 1;
  c.right_time = 1;
  c.lower_ms = lower;
  c.upper_ms = upper;
  c.type = type;
  return c;
}

std::vector<std::string> feed(IntervalJoinOperator& op, size_t side, const std::vector<Row>& rows) {
  std::vector<BatchPtr> out;
  op.process_input(side, batch(2, rows), out);
  return rows_of(out);
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("interval join: rows pair only when the left time is within the bounds of the right time", "[interval_join]") {
  IntervalJoinOperator op(config());
  CHECK(feed(op, 0, {{{i(1), i(10)}}, {{i(1), i(20)}}, {{i(2), i(12)}}}).empty());
  // ship_time 12 matches order times 8..12: order 1 at 10, not at 20; order 2 has another key.
  CHECK(feed(op, 1, {{{i(1), i(12)}}}) == V{"+I(1,10,1,12)"});
  CHECK(feed(op, 1, {{{i(1), i(9)}}}).empty());  // 10 is after 9
  CHECK(feed(op, 1, {{{i(1), i(24)}}}) == V{"+I(1,20,1,24)"});  // the lower bound is inclusive
  CHECK(feed(op, 0, {{{i(1), i(9)}}}) == V{"+I(1,9,1,9)", "+I(1,9,1,12)"});  // in ship-time order
  // Both time attributes stay time attributes.
  CHECK(op.output_schema()[1].type.time_attr == TimeAttr::Rowtime);
  CHECK(op.output_schema()[3].type.time_attr == TimeAttr::Rowtime);
}

TEST_CASE("interval join: the watermark drops rows that no later row can match", "[interval_join][state]") {
  IntervalJoinOperator op(config());
  feed(op, 0, {{{i(1), i(10)}}});  // matches ship times 10..14
  feed(op, 1, {{{i(1), i(10)}}});  // matches order times 6..10
  CHECK(op.stats().state_entries == 2);
  std::vector<BatchPtr> out;
  op.on_watermark(9, out);  // a later order (time > 9) can still match the shipment at 10
  CHECK(op.stats().state_entries == 2);
  op.on_watermark(10, out);  // no order after 10 matches ship time 10; ship times up to 14 still match the order
  CHECK(op.stats().state_entries == 1);
  CHECK(feed(op, 1, {{{i(1), i(14)}}}) == V{"+I(1,10,1,14)"});
  op.on_watermark(14, out);
  CHECK(op.stats().state_entries == 0);
  CHECK(out.empty());  // a watermark emits nothing
}

TEST_CASE("interval join: a late row joins what is buffered but is not kept", "[interval_join][state]") {
  IntervalJoinOperator op(config(-4, 4));  // order_time BETWEEN ship_time - 4 AND ship_time + 4
  feed(op, 1, {{{i(1), i(20)}}});          // matches order times 16..24
  std::vector<BatchPtr> out;
  op.on_watermark(22, out);
  CHECK(op.stats().state_entries == 1);
  // Order 17 matches ship times 13..21, all behind the watermark: it pairs
  // with the buffered shipment (as in Flink) but is not kept.
  CHECK(feed(op, 0, {{{i(1), i(17)}}}) == V{"+I(1,17,1,20)"});
  CHECK(op.stats().state_entries == 1);
  // Order 19 matches ship times up to 23, which can still come: kept.
  CHECK(feed(op, 0, {{{i(1), i(19)}}}) == V{"+I(1,19,1,20)"});
  CHECK(op.stats().state_entries == 2);
}

TEST_CASE("interval join: NULL keys and NULL times never match, the condition filters pairs", "[interval_join]") {
  IntervalJoinConfig c = config();
  c.condition = fn(Type::boolean(), [](const Value* row, expr::EvalContext&) { return Value::boolean(row[3].as_int() % 2 == 0); });
  IntervalJoinOperator op(c);
  CHECK(feed(op, 0, {{{null(), i(10)}}, {{i(1), null()}}, {{i(1), i(10)}}}).empty());
  CHECK(op.stats().state_entries == 1);
  CHECK(feed(op, 1, {{{null(), i(10)}}, {{i(1), i(11)}}, {{i(1), i(12)}}}) == V{"+I(1,10,1,12)"});
}

TEST_CASE("interval join: updates and deletes are refused as row errors", "[interval_join]") {
  IntervalJoinOperator op(config());
  std::vector<BatchPtr> out;
  CHECK_THROWS_AS(op.process_input(0, batch(2, {{RowKind::Delete, {i(1), i(10)}}}), out), RowFailure);
  CHECK_THROWS_AS(IntervalJoinOperator(config(1, 0)), std::invalid_argument);
}

TEST_CASE("interval join: a restored join pairs new rows with its snapshot and keeps its watermark", "[interval_join][state]") {
  IntervalJoinOperator op(config());
  feed(op, 0, {{{i(1), i(10)}}, {{i(1), i(11)}}});
  std::vector<BatchPtr> out;
  op.on_watermark(5, out);
  StateWriter w;
  op.snapshot(w);
  IntervalJoinOperator restored(config());
  StateReader r(w.data());
  restored.restore(r);
  CHECK(restored.stats().state_entries == 2);
  CHECK(feed(restored, 1, {{{i(1), i(12)}}}) == V{"+I(1,10,1,12)", "+I(1,11,1,12)"});
  // The restored watermark (5) still decides what is kept: ship time 1 can only match orders up to 1.
  CHECK(feed(restored, 1, {{{i(1), i(1)}}}).empty());
  CHECK(restored.stats().state_entries == 3);
  restored.on_watermark(14, out);  // order 10 is done (needs ship <= 14), order 11 can still match ship 15
  CHECK(restored.stats().state_entries == 1);
}

TEST_CASE("interval join: LEFT pads a row that expires without a partner, or arrives too late to wait for one", "[interval_join]") {
  IntervalJoinOperator op(config(-4, 0, JoinType::Left));  // order_time within [ship_time - 4, ship_time]
  CHECK(feed(op, 0, {{{i(1), i(10)}}, {{i(1), i(20)}}, {{null(), i(20)}}}) == V{"+I(NULL,20,NULL,NULL)"});
  CHECK(feed(op, 1, {{{i(1), i(12)}}}) == V{"+I(1,10,1,12)"});
  std::vector<BatchPtr> out;
  op.on_watermark(14, out);  // order 10 is done (matched): nothing padded; order 20 waits
  CHECK(rows_of(out).empty());
  op.on_watermark(24, out);  // order 20 can match no later shipment
  CHECK(rows_of(out) == V{"+I(1,20,NULL,NULL)"});
  // Too late to be kept and no partner: padded at once. Shipments are never padded (LEFT).
  CHECK(feed(op, 0, {{{i(1), i(15)}}}) == V{"+I(1,15,NULL,NULL)"});
  CHECK(feed(op, 1, {{{i(2), i(30)}}}).empty());
  // The watermark downstream lags by the larger bound (4), so the padded rows are not late there.
  CHECK(op.output_watermark(24) == 20);
  CHECK(op.output_watermark(kMaxWatermark) == kMaxWatermark);
  CHECK(op.output_schema()[2].type.nullable);
}

TEST_CASE("interval join: rows in any order the watermark allows give the batch interval join", "[interval_join][property]") {
  for (uint32_t seed = 1; seed <= 80; ++seed) {
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
    const int64_t lower = pick(7) - 5, upper = lower + pick(6);
    const JoinType type = std::array{JoinType::Inner, JoinType::Left, JoinType::Right, JoinType::Full}[seed % 4];
    INFO("type " << join_type_name(type));
    IntervalJoinConfig c = config(lower, upper, type);
    auto op = std::make_unique<IntervalJoinOperator>(c);
    struct Event {
      size_t side;
      int64_t key, time;
    };
    std::vector<Event> all;
    std::multiset<std::string> emitted;
    int64_t watermark = -1;
    size_t max_state = 0;
    for (int step = 0; step < 300; ++step) {
      std::vector<BatchPtr> out;
      if (pick(8) == 0) {
        // The watermark moves up; later rows come after it (none is late).
        watermark += pick(5);
        op->on_watermark(watermark, out);
      } else {
        Event e{static_cast<size_t>(pick(2)), pick(3), watermark + 1 + pick(8)};
        all.push_back(e);
        op->process_input(e.side, batch(2, {{{i(e.key), i(e.time)}}}), out);
      }
      for (const auto& b : out)
        for (size_t n = 0; n < b->num_rows(); ++n) {
          REQUIRE(b->kind(n) == RowKind::Insert);
          emitted.insert(show_row(*b, n).substr(2));
        }
      max_state = std::max<size_t>(max_state, op->stats().state_entries);
      if (step == 150) {  // a snapshot and restore halfway changes nothing
        StateWriter w;
        op->snapshot(w);
        op = std::make_unique<IntervalJoinOperator>(c);
        StateReader r(w.data());
        op->restore(r);
      }
    }
    {
      // The end of the input: every buffered row expires (outer ones padded).
      std::vector<BatchPtr> out;
      op->on_watermark(kMaxWatermark - 1, out);
      for (const auto& b : out)
        for (size_t n = 0; n < b->num_rows(); ++n) emitted.insert(show_row(*b, n).substr(2));
    }
    std::multiset<std::string> expected;
    std::vector<bool> partnered(all.size(), false);
    for (size_t a = 0; a < all.size(); ++a)
      for (size_t z = 0; z < all.size(); ++z) {
        const Event &l = all[a], &r = all[z];
        if (l.side == 0 && r.side == 1 && l.key == r.key && l.time - r.time >= lower && l.time - r.time <= upper) {
          expected.insert("(" + std::to_string(l.key) + "," + std::to_string(l.time) + "," + std::to_string(r.key) + "," +
                          std::to_string(r.time) + ")");
          partnered[a] = partnered[z] = true;
        }
      }
    const bool left_outer = type == JoinType::Left || type == JoinType::Full;
    const bool right_outer = type == JoinType::Right || type == JoinType::Full;
    for (size_t a = 0; a < all.size(); ++a) {
      if (partnered[a]) continue;
      const std::string k = std::to_string(all[a].key), t = std::to_string(all[a].time);
      if (all[a].side == 0 && left_outer) expected.insert("(" + k + "," + t + ",NULL,NULL)");
      if (all[a].side == 1 && right_outer) expected.insert("(NULL,NULL," + k + "," + t + ")");
    }
    CHECK(emitted == expected);
    CHECK(max_state < all.size());  // the watermark dropped rows on the way
  }
}
