// The window join operator (Flink docs, Queries > Window JOIN; Flink's
// WindowJoinOperator): rows are buffered per window and key and joined once
// when the watermark reaches the window's end - 1, INNER / LEFT / RIGHT / FULL / SEMI / ANTI
// with NULL padding, as inserts; state freed then; late rows dropped;
// snapshot/restore; and a property test: over random rows, late ones
// included, random watermarks and a restore halfway, the output is the batch
// window join of the rows that were not late.
#include <catch2/catch.hpp>

#include <optional>
#include <random>
#include <set>

#include "operators/window_join.hpp"
#include "tests/operators/operator_test_helpers.hpp"

using namespace ananas;
using namespace ananas::ops;
using namespace optest;

namespace {

// L(num, id, window_start, window_end) JOIN R(num, id, window_start, window_end)
// ON L.num = R.num AND the windows equal; windows are [0, 10), [10, 20), ...
WindowJoinConfig config(JoinType type, bool keyed = true) {
  WindowJoinConfig c;
  const Type bound = Type::timestamp(3).with_nullable(false);
  c.left.columns = {{"num", Type::integer()}, {"id", Type::string()}, {"window_start", bound}, {"window_end", bound}};
  c.right = c.left;
  c.type = type;
  if (keyed) {
    c.left_keys = {0};
    c.right_keys = {0};
  }
  c.left_window_start = c.right_window_start = 2;
  c.left_window_end = c.right_window_end = 3;
  return c;
}

Row side_row(std::optional<int64_t> num, const std::string& id, int64_t start, int64_t end) {
  return {{num ? i(*num) : null(), s(id), i(start), i(end)}};
}

void feed(WindowJoinOperator& op, size_t side, const std::vector<Row>& rows) {
  std::vector<BatchPtr> out;
  op.process_input(side, batch(4, rows), out);
  REQUIRE(out.empty());  // nothing comes out before the window fires
}

// The docs' example (Queries > Window JOIN) in 10 ms windows: L1 (1), L2 (2,
// next window), L3 (3) on the left; R2 (2), R3 (3), R4 (4, next window) on the right.
void docs_rows(WindowJoinOperator& op) {
  feed(op, 0, {side_row(1, "L1", 0, 10), side_row(2, "L2", 10, 20), side_row(3, "L3", 0, 10)});
  feed(op, 1, {side_row(2, "R2", 0, 10), side_row(3, "R3", 0, 10), side_row(4, "R4", 10, 20)});
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("window join: the docs' FULL OUTER JOIN, window by window when the watermark passes their end", "[window_join]") {
  WindowJoinOperator op(config(JoinType::Full));
  docs_rows(op);
  CHECK(op.stats().state_entries == 6);
  CHECK(fire(op, 8).empty());  // window [0, 10) fires at watermark 9 (its end - 1), as Flink's isWindowFired
  CHECK(fire(op, 9) == V{"+I(1,L1,0,10,NULL,NULL,NULL,NULL)", "+I(NULL,NULL,NULL,NULL,2,R2,0,10)", "+I(3,L3,0,10,3,R3,0,10)"});
  CHECK(op.stats().state_entries == 2);  // the fired window's rows are gone
  CHECK(fire(op, 100) == V{"+I(2,L2,10,20,NULL,NULL,NULL,NULL)", "+I(NULL,NULL,NULL,NULL,4,R4,10,20)"});
  CHECK(op.stats().state_entries == 0);
  CHECK(op.stats().rows_out == 5);
  // Padded columns are nullable; the bounds stay timestamps.
  CHECK(op.output_schema()[3].type.nullable);
  CHECK(op.output_schema()[7].type.nullable);
}

TEST_CASE("window join: INNER, LEFT and RIGHT of the docs' rows", "[window_join]") {
  WindowJoinOperator inner(config(JoinType::Inner));
  docs_rows(inner);
  CHECK(fire(inner, 100) == V{"+I(3,L3,0,10,3,R3,0,10)"});
  WindowJoinOperator left(config(JoinType::Left));
  docs_rows(left);
  CHECK(fire(left, 100) == V{"+I(1,L1,0,10,NULL,NULL,NULL,NULL)", "+I(3,L3,0,10,3,R3,0,10)", "+I(2,L2,10,20,NULL,NULL,NULL,NULL)"});
  CHECK_FALSE(left.output_schema()[2].type.nullable);  // the left side is never padded in a LEFT join
  CHECK(left.output_schema()[6].type.nullable);
  WindowJoinOperator right(config(JoinType::Right));
  docs_rows(right);
  CHECK(fire(right, 100) == V{"+I(NULL,NULL,NULL,NULL,2,R2,0,10)", "+I(3,L3,0,10,3,R3,0,10)", "+I(NULL,NULL,NULL,NULL,4,R4,10,20)"});
}

TEST_CASE("window join: SEMI and ANTI output each left row once, with or without a match", "[window_join]") {
  WindowJoinOperator semi(config(JoinType::Semi));
  docs_rows(semi);
  feed(semi, 1, {side_row(3, "R3 again", 0, 10)});  // two matches still give L3 once
  CHECK(semi.output_schema().size() == 4);          // the left columns only
  CHECK(fire(semi, 100) == V{"+I(3,L3,0,10)"});
  WindowJoinOperator anti(config(JoinType::Anti));
  docs_rows(anti);
  feed(anti, 0, {side_row(std::nullopt, "null key", 0, 10)});  // never matches: kept by ANTI
  CHECK(fire(anti, 100) == V{"+I(NULL,null key,0,10)", "+I(1,L1,0,10)", "+I(2,L2,10,20)"});
  CHECK(anti.stats().state_entries == 0);
}

TEST_CASE("window join: every pair of a key's window in arrival order, RIGHT walks the right rows", "[window_join]") {
  WindowJoinOperator inner(config(JoinType::Inner));
  feed(inner, 0, {side_row(1, "a", 0, 10), side_row(1, "b", 0, 10)});
  feed(inner, 1, {side_row(1, "x", 0, 10), side_row(1, "y", 0, 10)});
  CHECK(fire(inner, 9) == V{"+I(1,a,0,10,1,x,0,10)", "+I(1,a,0,10,1,y,0,10)", "+I(1,b,0,10,1,x,0,10)", "+I(1,b,0,10,1,y,0,10)"});
  WindowJoinOperator right(config(JoinType::Right));
  feed(right, 0, {side_row(1, "a", 0, 10), side_row(1, "b", 0, 10)});
  feed(right, 1, {side_row(1, "x", 0, 10), side_row(1, "y", 0, 10)});
  CHECK(fire(right, 9) == V{"+I(1,a,0,10,1,x,0,10)", "+I(1,b,0,10,1,x,0,10)", "+I(1,a,0,10,1,y,0,10)", "+I(1,b,0,10,1,y,0,10)"});
}

TEST_CASE("window join: rows of different windows never match, even with one end", "[window_join]") {
  WindowJoinOperator op(config(JoinType::Full));
  feed(op, 0, {side_row(1, "cumulated", 0, 10)});
  feed(op, 1, {side_row(1, "other start", 5, 10)});
  CHECK(fire(op, 9) == V{"+I(1,cumulated,0,10,NULL,NULL,NULL,NULL)", "+I(NULL,NULL,NULL,NULL,1,other start,5,10)"});
}

TEST_CASE("window join: a row whose window fired is late, dropped and counted", "[window_join]") {
  WindowJoinOperator op(config(JoinType::Full));
  feed(op, 0, {side_row(1, "on time", 10, 20)});
  CHECK(fire(op, 9).empty());
  feed(op, 1, {side_row(1, "late", 0, 10), side_row(1, "on time", 10, 20)});
  CHECK(op.stats().late_records_dropped == 1);
  CHECK(op.stats().state_entries == 2);
  CHECK(fire(op, 19) == V{"+I(1,on time,10,20,1,on time,10,20)"});
  CHECK(fire(op, 18).empty());  // watermarks never go back
}

TEST_CASE("window join: NULL keys never match but are padded, the condition filters pairs", "[window_join]") {
  WindowJoinConfig c = config(JoinType::Full);
  // ... AND L.id < R.id
  c.condition = fn(Type::boolean(), [](const Value* row, expr::EvalContext&) {
    return Value::boolean(row[1].as_string() < row[5].as_string());
  });
  WindowJoinOperator op(c);
  feed(op, 0, {side_row(std::nullopt, "a", 0, 10), side_row(1, "b", 0, 10), side_row(1, "z", 0, 10)});
  feed(op, 1, {side_row(std::nullopt, "c", 0, 10), side_row(1, "d", 0, 10)});
  CHECK(fire(op, 9) == V{"+I(NULL,a,0,10,NULL,NULL,NULL,NULL)", "+I(NULL,NULL,NULL,NULL,NULL,c,0,10)", "+I(1,b,0,10,1,d,0,10)",
                         "+I(1,z,0,10,NULL,NULL,NULL,NULL)"});
}

TEST_CASE("window join: without keys every row of a window matches the other side's same window", "[window_join]") {
  WindowJoinOperator op(config(JoinType::Left, false));
  feed(op, 0, {side_row(1, "a", 0, 10), side_row(2, "b", 10, 20)});
  feed(op, 1, {side_row(7, "x", 0, 10), side_row(8, "y", 0, 10)});
  CHECK(fire(op, 30) == V{"+I(1,a,0,10,7,x,0,10)", "+I(1,a,0,10,8,y,0,10)", "+I(2,b,10,20,NULL,NULL,NULL,NULL)"});
}

TEST_CASE("window join: updates and deletes are refused as row errors, bad configurations at construction", "[window_join]") {
  WindowJoinOperator op(config(JoinType::Inner));
  std::vector<BatchPtr> out;
  CHECK_THROWS_AS(op.process_input(0, batch(4, {{RowKind::Delete, {i(1), s("a"), i(0), i(10)}}}), out), RowFailure);
  WindowJoinConfig c = config(JoinType::Inner);
  c.left_window_end = 1;  // id is a STRING
  CHECK_THROWS_AS(WindowJoinOperator(c), std::invalid_argument);
  c = config(JoinType::Inner);
  c.right_keys.clear();
  CHECK_THROWS_AS(WindowJoinOperator(c), std::invalid_argument);
}

TEST_CASE("window join: a failing condition reports the pair and does not match it", "[window_join]") {
  WindowJoinConfig c = config(JoinType::Left);
  c.condition = fn(Type::boolean(), [](const Value*, expr::EvalContext&) -> Value { throw expr::EvalError("division by zero"); });
  std::vector<std::string> errors;
  c.on_row_error = [&](const RowError& e) { errors.push_back(e.message); };
  WindowJoinOperator op(c);
  feed(op, 0, {side_row(1, "a", 0, 10)});
  feed(op, 1, {side_row(1, "x", 0, 10)});
  CHECK(fire(op, 9) == V{"+I(1,a,0,10,NULL,NULL,NULL,NULL)"});
  CHECK(errors == V{"division by zero"});
}

TEST_CASE("window join: a restored join fires its snapshot's windows and keeps its watermark", "[window_join][state]") {
  WindowJoinOperator op(config(JoinType::Full));
  docs_rows(op);
  CHECK(fire(op, 5).empty());
  StateWriter w;
  op.snapshot(w);
  WindowJoinOperator restored(config(JoinType::Full));
  StateReader r(w.data());
  restored.restore(r);
  CHECK(restored.stats().state_entries == 6);
  feed(restored, 1, {side_row(1, "R1", 0, 10)});
  CHECK(fire(restored, 9) == V{"+I(1,L1,0,10,1,R1,0,10)", "+I(NULL,NULL,NULL,NULL,2,R2,0,10)", "+I(3,L3,0,10,3,R3,0,10)"});
  // The restored watermark still decides lateness.
  WindowJoinOperator again(config(JoinType::Full));
  StateReader r2(w.data());
  again.restore(r2);
  std::vector<BatchPtr> out;
  again.on_watermark(12, out);
  feed(again, 0, {side_row(5, "late", 0, 10)});
  CHECK(again.stats().late_records_dropped == 1);
}

TEST_CASE("window join: random rows, late ones and watermarks give the batch window join of the rows on time",
          "[window_join][property]") {
  const JoinType types[] = {JoinType::Inner, JoinType::Left, JoinType::Right, JoinType::Full, JoinType::Semi, JoinType::Anti};
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    INFO("seed " << seed);
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
    const JoinType type = types[seed % 6];
    WindowJoinConfig c = config(type);
    if (pick(2) == 0)  // ... AND L.id <= R.id, on ids that are numbers
      c.condition = fn(Type::boolean(), [](const Value* row, expr::EvalContext&) {
        return Value::boolean(std::stoi(std::string(row[1].as_string())) <= std::stoi(std::string(row[5].as_string())));
      });
    const bool conditioned = c.condition != nullptr;
    auto op = std::make_unique<WindowJoinOperator>(c);
    struct Event {
      size_t side;
      std::optional<int64_t> key;
      int64_t id, start, end;
    };
    auto show_side = [](const Event* e) {
      if (!e) return std::string("NULL,NULL,NULL,NULL");
      return (e->key ? std::to_string(*e->key) : "NULL") + "," + std::to_string(e->id) + "," + std::to_string(e->start) + "," +
             std::to_string(e->end);
    };
    std::vector<Event> on_time;
    std::multiset<std::string> emitted;
    int64_t watermark = -1;
    size_t late = 0, late_since_restore = 0;  // counters are not in the snapshot (as the window operators)
    for (int step = 0; step < 300; ++step) {
      std::vector<BatchPtr> out;
      if (pick(6) == 0) {
        watermark += pick(6);
        op->on_watermark(watermark, out);
      } else {
        // Tumbling windows of 5 around the watermark: some already fired (late).
        const int64_t time = std::max<int64_t>(0, watermark - 6 + pick(20));
        const int64_t start = time - time % 5;
        Event e{static_cast<size_t>(pick(2)), pick(5) == 0 ? std::nullopt : std::optional<int64_t>(pick(3)), step, start, start + 5};
        if (e.end - 1 <= watermark) ++late, ++late_since_restore;
        else on_time.push_back(e);
        op->process_input(e.side, batch(4, {side_row(e.key, std::to_string(e.id), e.start, e.end)}), out);
      }
      for (const auto& b : out)
        for (size_t n = 0; n < b->num_rows(); ++n) {
          REQUIRE(b->kind(n) == RowKind::Insert);
          // A row comes out only once its window fired (its end - 1 reached by the watermark).
          const Value& end = b->at(n, b->at(n, 3).is_null() ? 7 : 3);  // SEMI / ANTI: always the left row's
          REQUIRE(end.as_int() - 1 <= watermark);
          emitted.insert(show_row(*b, n).substr(2));
        }
      if (step == 150) {  // a snapshot and restore halfway changes nothing
        StateWriter w;
        op->snapshot(w);
        op = std::make_unique<WindowJoinOperator>(c);
        StateReader r(w.data());
        op->restore(r);
        late_since_restore = 0;
      }
    }
    std::vector<BatchPtr> out;
    op->on_watermark(kMaxWatermark, out);
    for (const auto& b : out)
      for (size_t n = 0; n < b->num_rows(); ++n) emitted.insert(show_row(*b, n).substr(2));
    CHECK(op->stats().state_entries == 0);
    CHECK(op->stats().late_records_dropped == late_since_restore);
    // The batch window join of the rows on time.
    std::multiset<std::string> expected;
    auto match = [&](const Event& l, const Event& r) {
      return l.key && r.key && *l.key == *r.key && l.start == r.start && l.end == r.end && (!conditioned || l.id <= r.id);
    };
    for (const Event& l : on_time) {
      if (l.side != 0) continue;
      if (type == JoinType::Semi || type == JoinType::Anti) {
        bool matched = false;
        for (const Event& r : on_time) matched = matched || (r.side == 1 && match(l, r));
        if (matched == (type == JoinType::Semi)) expected.insert("(" + show_side(&l) + ")");
        continue;
      }
      bool matched = false;
      for (const Event& r : on_time)
        if (r.side == 1 && match(l, r)) {
          expected.insert("(" + show_side(&l) + "," + show_side(&r) + ")");
          matched = true;
        }
      if (!matched && (type == JoinType::Left || type == JoinType::Full)) expected.insert("(" + show_side(&l) + "," + show_side(nullptr) + ")");
    }
    for (const Event& r : on_time) {
      if (r.side != 1) continue;
      bool matched = false;
      for (const Event& l : on_time) matched = matched || (l.side == 0 && match(l, r));
      if (!matched && (type == JoinType::Right || type == JoinType::Full)) expected.insert("(" + show_side(nullptr) + "," + show_side(&r) + ")");
    }
    CHECK(emitted == expected);
    CHECK(late > 0);
  }
}
