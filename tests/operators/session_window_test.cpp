// The session window aggregation operator (operators/session_window_aggregate.hpp):
// sessions per key that grow and merge, Flink's lateness, accumulators merged
// (DISTINCT, MIN/MAX, SUM), snapshot and restore mid-stream; property tests
// against a batch sessionization and against a naive simulation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "operators/session_window_aggregate.hpp"
#include "operators/watermark.hpp"
#include "window_driver.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

Schema kv_schema() {
  return Schema{{{"k", Type::integer()}, {"t", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)}, {"v", Type::bigint()}}};
}

// GROUP BY k, SESSION(t, gap): COUNT(*), SUM(v), MAX(v), COUNT(DISTINCT v).
WindowAggregateConfig session_config(int64_t gap) {
  Schema in = kv_schema();
  WindowAggregateConfig c;
  c.input = in;
  c.time_column = 1;
  c.window = WindowSpec{WindowKind::Session, gap, 0, 0};
  c.keys = {{"k", col(in, "k")}};
  AggregateCall n, sum, max, distinct;
  n.kind = AggregateKind::CountStar;
  n.name = "n";
  sum.kind = AggregateKind::Sum;
  sum.args = {col(in, "v")};
  sum.name = "s";
  max.kind = AggregateKind::Max;
  max.args = {col(in, "v")};
  max.name = "mx";
  distinct.kind = AggregateKind::Count;
  distinct.args = {col(in, "v")};
  distinct.distinct = true;
  distinct.name = "d";
  c.aggregates = {n, sum, max, distinct};
  return c;
}

Row kv(int64_t k, int64_t t, int64_t v) { return Row({i(k), i(t), i(v)}); }

// One output row as text: k, n, sum, max, distinct, start, end, time.
std::string session_row(int64_t k, int64_t n, int64_t sum, int64_t max, int64_t distinct, int64_t start, int64_t end) {
  return "+I(" + std::to_string(k) + "," + std::to_string(n) + "," + std::to_string(sum) + "," + std::to_string(max) + "," +
         std::to_string(distinct) + "," + std::to_string(start) + "," + std::to_string(end) + "," + std::to_string(end - 1) + ")";
}

struct Step {
  Row row;
  int64_t watermark;  // offered after the row (kMinWatermark: none)
};

std::vector<std::string> run(SessionWindowAggregateOperator& op, const std::vector<Step>& steps) {
  std::vector<BatchPtr> out;
  for (const auto& s : steps) {
    op.process(batch(3, {s.row}), out);
    if (s.watermark != kMinWatermark) op.on_watermark(s.watermark, out);
  }
  return rows_of(out);
}

}  // namespace

TEST_CASE("session windows: per key, extended within the gap, fired at end - 1", "[session]") {
  SessionWindowAggregateOperator op(session_config(10));
  std::vector<BatchPtr> out;
  op.process(batch(3, {kv(1, 100, 5), kv(2, 103, 1), kv(1, 105, 7), kv(1, 115, 5)}), out);
  // Key 1: 100, 105, 115 (115 touches [100, 115)): one session [100, 125). Key 2: [103, 113).
  op.on_watermark(111, out);
  CHECK(rows_of(out).empty());
  op.on_watermark(112, out);
  CHECK(rows_of(out) == std::vector<std::string>{session_row(2, 1, 1, 1, 1, 103, 113)});
  out.clear();
  op.process(batch(3, {kv(1, 126, 1)}), out);  // 126 > 125: a new session
  op.on_watermark(kMaxWatermark, out);
  CHECK(rows_of(out) ==
        std::vector<std::string>{session_row(1, 3, 17, 7, 2, 100, 125), session_row(1, 1, 1, 1, 1, 126, 136)});
  CHECK(op.stats().state_entries == 0);
  CHECK(op.stats().late_records_dropped == 0);
}

TEST_CASE("session windows: a row bridging two open sessions merges them and their accumulators", "[session]") {
  SessionWindowAggregateOperator op(session_config(10));
  const auto rows = run(op, {{kv(1, 100, 3), 50},
                             {kv(1, 130, 3), 50},    // [100, 110) and [130, 140), both open
                             {kv(1, 112, 4), 50},    // [112, 122): between them, touching neither
                             {kv(1, 121, 9), 50},    // [121, 131) reaches [112, 122) and [130, 140)
                             {kv(1, 109, 4), kMaxWatermark}});  // [109, 119) reaches [100, 110) and the rest
  CHECK(rows == std::vector<std::string>{session_row(1, 5, 23, 9, 3, 100, 140)});
}

TEST_CASE("session windows: late rows are dropped unless they reach an open session", "[session]") {
  SessionWindowAggregateOperator op(session_config(10));
  const auto rows = run(op, {{kv(1, 100, 1), 95},
                             {kv(1, 108, 1), 115},   // [100, 118) open: 117 > 115
                             {kv(1, 91, 1), 115},    // own window [91, 101) fired, but touches [100, 118): joins
                             {kv(2, 50, 1), 115},    // key 2 has no open session: late
                             {kv(1, 80, 1), 118},    // [80, 90) reaches nothing: late; then 118 fires [91, 118)
                             {kv(1, 105, 1), 118},   // [105, 115): inside the fired session's span, fired itself: late
                             {kv(1, 112, 1), kMaxWatermark}});  // end 122 - 1 > 118: opens a new session
  CHECK(rows == std::vector<std::string>{session_row(1, 3, 3, 1, 1, 91, 118), session_row(1, 1, 1, 1, 1, 112, 122)});
  CHECK(op.stats().late_records_dropped == 3);
}

TEST_CASE("session windows: Flink's gap check and the window operators that refuse sessions", "[session]") {
  CHECK_THROWS_WITH(validate_window_spec(WindowSpec{WindowKind::Session, 0, 0, 0}),
                    "SESSION table function based aggregate requires gap to be positive, but got gap 0 ms.");
  WindowAggregateConfig c = session_config(10);
  CHECK_THROWS_WITH(WindowAggregateOperator(c), Catch::Contains("SessionWindowAggregateOperator"));
  c.window.kind = WindowKind::Tumble;
  CHECK_THROWS_WITH(SessionWindowAggregateOperator(c), Catch::Contains("needs a session window"));
}

namespace {

struct Event {
  int64_t k, t, v;
};

// Streams `events` through the operator, watermark = max t - delay after each (WindowDriver).
std::vector<std::string> stream(const std::vector<Event>& events, int64_t gap, int64_t delay, uint64_t& late) {
  SessionWindowAggregateOperator op(session_config(gap));
  WindowDriver d(op, 3, delay);
  for (const auto& e : events) d.feed(TimedRow{0, kv(e.k, e.t, e.v), e.t});
  d.finish();
  late = op.stats().late_records_dropped;
  CHECK(op.stats().state_entries == 0);
  return d.take();
}

std::string aggregate_row(int64_t k, const std::vector<Event>& rows, int64_t start, int64_t end) {
  int64_t sum = 0, max = rows.front().v;
  std::set<int64_t> distinct;
  for (const auto& e : rows) {
    sum += e.v;
    max = std::max(max, e.v);
    distinct.insert(e.v);
  }
  return session_row(k, static_cast<int64_t>(rows.size()), sum, max, static_cast<int64_t>(distinct.size()), start, end);
}

// Sessions by batch: per key, rows by time, a new session when a row comes more than `gap` after the previous one.
std::vector<std::string> batch_sessions(std::vector<Event> events, int64_t gap) {
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return std::tie(a.k, a.t) < std::tie(b.k, b.t); });
  std::vector<std::string> out;
  for (size_t i = 0; i < events.size();) {
    size_t j = i + 1;
    while (j < events.size() && events[j].k == events[i].k && events[j].t - events[j - 1].t <= gap) ++j;
    std::vector<Event> rows(events.begin() + static_cast<std::ptrdiff_t>(i), events.begin() + static_cast<std::ptrdiff_t>(j));
    out.push_back(aggregate_row(events[i].k, rows, rows.front().t, rows.back().t + gap));
    i = j;
  }
  return out;
}

// The operator's rules, naively: open sessions as (start, end, rows) lists, scanned linearly,
// aggregates recomputed from the rows when a session fires.
std::vector<std::string> naive_sessions(const std::vector<Event>& events, int64_t gap, int64_t delay, uint64_t& late) {
  struct Open {
    int64_t k, start, end;
    std::vector<Event> rows;
  };
  std::vector<Open> open;
  std::vector<std::string> out;
  late = 0;
  bool have_wm = false;
  int64_t wm = 0;
  auto fire = [&](int64_t w) {
    std::sort(open.begin(), open.end(), [](const Open& a, const Open& b) { return std::tie(a.end, a.start, a.k) < std::tie(b.end, b.start, b.k); });
    while (!open.empty() && open.front().end - 1 <= w) {
      out.push_back(aggregate_row(open.front().k, open.front().rows, open.front().start, open.front().end));
      open.erase(open.begin());
    }
  };
  for (const auto& e : events) {
    Open merged{e.k, e.t, e.t + gap, {}};
    bool joined = false;
    for (size_t i = 0; i < open.size();) {
      if (open[i].k == e.k && open[i].start <= merged.end && open[i].end >= merged.start) {
        merged.start = std::min(merged.start, open[i].start);
        merged.end = std::max(merged.end, open[i].end);
        merged.rows.insert(merged.rows.end(), open[i].rows.begin(), open[i].rows.end());
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
        joined = true;
      } else {
        ++i;
      }
    }
    if (!joined && have_wm && e.t + gap - 1 <= wm) {
      ++late;
    } else {
      merged.rows.push_back(e);
      open.push_back(std::move(merged));
    }
    if (!have_wm || e.t - delay > wm) {
      wm = e.t - delay;
      have_wm = true;
      fire(wm);
    }
  }
  fire(kMaxWatermark);
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("property: session windows over a stream out of order within the watermark delay equal a batch sessionization",
          "[session][property]") {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    std::mt19937 rng(seed);
    auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    const int64_t gap = pick(2, 40), delay = pick(2, 60);
    std::vector<Event> events;
    int64_t max_t = 1000;
    for (int n = 0; n < 300; ++n) {
      // Behind the latest row by less than delay - 1: never at or behind the watermark, nor at a fired session's end.
      int64_t t = pick(0, 9) < 7 ? max_t + pick(0, 3 * gap) : max_t - pick(0, delay - 2);
      max_t = std::max(max_t, t);
      events.push_back({pick(0, 2), t, pick(0, 5)});
    }
    uint64_t late = 0;
    INFO("seed " << seed << " gap " << gap << " delay " << delay);
    CHECK(sorted(stream(events, gap, delay, late)) == sorted(batch_sessions(events, gap)));
    CHECK(late == 0);
  }
}

TEST_CASE("property: session windows with late rows equal a naive simulation of Flink's merging and lateness", "[session][property]") {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    std::mt19937 rng(seed);
    auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    const int64_t gap = pick(1, 30), delay = pick(0, 20);
    std::vector<Event> events;
    int64_t max_t = 1000;
    for (int n = 0; n < 300; ++n) {
      int64_t t = pick(0, 9) < 6 ? max_t + pick(0, 2 * gap) : max_t - pick(0, 4 * gap + delay);
      max_t = std::max(max_t, t);
      events.push_back({pick(0, 3), t, pick(0, 5)});
    }
    uint64_t late = 0, expected_late = 0;
    INFO("seed " << seed << " gap " << gap << " delay " << delay);
    // Same order too: each watermark fires in (end, start, key) order, and key k encodes in k's order.
    const auto expected = naive_sessions(events, gap, delay, expected_late);
    CHECK(stream(events, gap, delay, late) == expected);
    CHECK(late == expected_late);
  }
}

TEST_CASE("session windows: restore(snapshot()) mid-stream continues as an uninterrupted run", "[session][restore]") {
  for (uint32_t seed = 1; seed <= 10; ++seed) {
    std::mt19937 rng(seed);
    auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    std::vector<Step> steps;
    int64_t max_t = 1000;
    for (int n = 0; n < 200; ++n) {
      int64_t t = pick(0, 9) < 6 ? max_t + pick(0, 20) : max_t - pick(0, 40);
      max_t = std::max(max_t, t);
      steps.push_back({kv(pick(0, 3), t, pick(0, 5)), max_t - 15});
    }
    steps.back().watermark = kMaxWatermark;
    const size_t cut = static_cast<size_t>(pick(1, 199));
    const std::vector<Step> first(steps.begin(), steps.begin() + static_cast<std::ptrdiff_t>(cut));
    const std::vector<Step> second(steps.begin() + static_cast<std::ptrdiff_t>(cut), steps.end());

    SessionWindowAggregateOperator plain(session_config(10));
    auto expected = run(plain, first);
    const auto expected_rest = run(plain, second);
    expected.insert(expected.end(), expected_rest.begin(), expected_rest.end());

    SessionWindowAggregateOperator before(session_config(10));
    auto got = run(before, first);
    StateWriter w;
    before.snapshot(w);
    SessionWindowAggregateOperator after(session_config(10));
    StateReader r(w.data());
    after.restore(r);
    CHECK(r.at_end());
    CHECK(after.stats().state_entries == before.stats().state_entries);
    const auto rest = run(after, second);
    got.insert(got.end(), rest.begin(), rest.end());
    INFO("seed " << seed << " cut " << cut);
    CHECK(got == expected);
    CHECK(before.stats().late_records_dropped + after.stats().late_records_dropped == plain.stats().late_records_dropped);
  }
}

TEST_CASE("session windows: a snapshot of another gap is refused", "[session][restore]") {
  SessionWindowAggregateOperator a(session_config(10));
  std::vector<BatchPtr> out;
  a.process(batch(3, {kv(1, 100, 1)}), out);
  StateWriter w;
  a.snapshot(w);
  SessionWindowAggregateOperator b(session_config(20));
  StateReader r(w.data());
  CHECK_THROWS_AS(b.restore(r), CorruptState);
}
