// Two-phase window aggregation: writers that fold their rows into partials
// (WindowPartialCombiner) and a global phase that merges them give exactly
// what one window aggregate fed every row gives, late rows included.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <random>

#include "operators/encoded_row.hpp"
#include "operators/window_partials.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

Schema order_schema() {
  return Schema{{{"topping", Type::string()},
                 {"qty", Type::integer()},
                 {"ts", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)}}};
}

WindowAggregateConfig per_topping(WindowSpec window) {
  Schema in = order_schema();
  WindowAggregateConfig c;
  c.input = in;
  c.time_column = 2;
  c.window = window;
  c.keys = {{"topping", col(in, "topping")}};
  AggregateCall count;
  count.name = "orders";
  AggregateCall sum;
  sum.kind = AggregateKind::Sum;
  sum.name = "qty";
  sum.args = {col(in, "qty")};
  AggregateCall max;
  max.kind = AggregateKind::Max;
  max.name = "max_qty";
  max.args = {col(in, "qty")};
  c.aggregates = {count, sum, max};
  return c;
}

WindowAggregateConfig global_of(WindowAggregateConfig c) {
  c.partial_column = c.input.size();
  c.input.columns.push_back({"partial", Type::bytes()});
  return c;
}

// Partials as the exchange's reader hands them to the global phase: the
// row's cells, then the state.
BatchPtr partial_batch(const std::vector<WindowPartial>& partials, size_t width) {
  auto out = std::make_shared<Batch>(width + 1, partials.size());
  for (const auto& p : partials) {
    Value* dst = out->append_row(RowKind::Insert);
    decode_row(p.cells, width, out->arena(), dst);
    dst[width] = Value::string(out->arena().copy(p.state));
  }
  return out;
}

// A raw row crossing to the global phase: its cells and a NULL state.
BatchPtr raw_batch(const Row& r, size_t width) {
  Row with_state = r;
  with_state.cells.resize(width);
  with_state.cells.push_back(null());
  return batch(width + 1, {with_state});
}

struct Run {
  std::vector<std::string> one_phase, two_phase;
  uint64_t late_one = 0, late_two = 0;
  size_t partial_rows = 0, raw_rows = 0, input_rows = 0;
};

// Two writers, two source partitions each, out-of-order rows (one in 30 up to 12 s back
// with a 2 s watermark delay, so some are late), the global watermark the
// minimum of the writers'.
Run run_both(WindowSpec window, uint32_t seed) {
  const size_t width = 3;
  const int64_t delay = 2000;
  WindowAggregateOperator one(per_topping(window));
  WindowAggregateOperator two(global_of(per_topping(window)));
  std::deque<WindowPartialCombiner> writers;  // not movable: it points into its own scratch arena
  writers.emplace_back(per_topping(window));
  writers.emplace_back(per_topping(window));
  std::vector<int64_t> wm(2, kMinWatermark), time(2, 1'700'000'000'000);
  std::vector<BatchPtr> out_one, out_two;
  Run run;
  std::mt19937 rng(seed);
  const char* toppings[] = {"pineapple", "banana", "strawberry"};
  auto global_wm = [&] { return std::min(wm[0], wm[1]); };
  auto flush = [&](size_t w, int64_t source) {
    auto partials = writers[w].take(source);
    run.partial_rows += partials.size();
    if (!partials.empty()) two.process(partial_batch(partials, width), out_two);
  };
  auto flush_all = [&](size_t w) {
    for (int64_t source : writers[w].sources()) flush(w, source);
  };
  for (int n = 0; n < 3000; ++n) {
    const size_t w = rng() % 2;
    const int64_t source = static_cast<int64_t>(w * 2 + rng() % 2);
    time[w] += rng() % 40;
    const int64_t t = time[w] - static_cast<int64_t>(rng() % 30 == 0 ? rng() % 12000 : rng() % 300);
    Row r({s(toppings[rng() % 3]), i(static_cast<int64_t>(rng() % 10)), i(t)});
    ++run.input_rows;
    one.process(batch(width, {r}), out_one);
    BatchPtr in = batch(width, {r});
    if (!writers[w].add(source, 0, in->row(0), RowKind::Insert)) {
      flush(w, source);
      two.process(raw_batch(r, width), out_two);
      ++run.raw_rows;
    }
    if (t - delay > wm[w]) {
      const int64_t before = global_wm();
      wm[w] = t - delay;
      writers[w].set_watermark(wm[w]);
      if (writers[w].flush_due()) flush_all(w);
      if (global_wm() > before) {
        one.on_watermark(global_wm(), out_one);
        two.on_watermark(global_wm(), out_two);
      }
    }
  }
  for (size_t w = 0; w < 2; ++w) flush_all(w);
  one.on_watermark(kMaxWatermark, out_one);
  two.on_watermark(kMaxWatermark, out_two);
  run.one_phase = rows_of(out_one);
  run.two_phase = rows_of(out_two);
  run.late_one = one.stats().late_records_dropped;
  run.late_two = two.stats().late_records_dropped;
  return run;
}

}  // namespace

TEST_CASE("two-phase window aggregation equals one phase: TUMBLE, HOP, CUMULATE, late rows", "[window][two-phase]") {
  const std::vector<WindowSpec> windows = {{WindowKind::Tumble, 5000, 0, 0},
                                           {WindowKind::Hop, 10000, 5000, 0},
                                           {WindowKind::Cumulate, 10000, 2000, 0}};
  for (const auto& window : windows)
    for (uint32_t seed : {1u, 2u, 3u}) {
      INFO("window kind " << static_cast<int>(window.kind) << ", seed " << seed);
      const Run run = run_both(window, seed);
      CHECK(run.two_phase == run.one_phase);
      CHECK(run.late_two == run.late_one);
      CHECK(!run.one_phase.empty());
      CHECK(run.late_one > 0);  // the input does have late rows
      // It pays: fewer records cross than rows (three toppings per window;
      // a CUMULATE row is in up to five windows, so its partials are more).
      CHECK(run.partial_rows + run.raw_rows < run.input_rows / (window.kind == WindowKind::Cumulate ? 2 : 3));
    }
}

TEST_CASE("two-phase window aggregation: rows the global phase must see one by one cross as they are",
          "[window][two-phase]") {
  WindowPartialCombiner combiner(per_topping({WindowKind::Tumble, 5000, 0, 0}));
  auto in = batch(3, {Row({s("banana"), i(1), i(10'000)}), Row(RowKind::Delete, {s("banana"), i(1), i(10'000)}),
                      Row({s("banana"), i(1), null()})});
  CHECK(combiner.add(7, 0, in->row(0), in->kind(0)));
  CHECK_FALSE(combiner.add(7, 0, in->row(1), in->kind(1)));  // a retraction
  CHECK_FALSE(combiner.add(7, 0, in->row(2), in->kind(2)));  // no time: the global phase reports it
  combiner.set_watermark(14'999);                           // window [10 s, 15 s) fires
  CHECK(combiner.flush_due());
  CHECK_FALSE(combiner.add(7, 0, in->row(0), in->kind(0)));  // late here: the global phase judges it
  CHECK(combiner.sources() == std::vector<int64_t>{7});
  const auto partials = combiner.take(7);
  REQUIRE(partials.size() == 1);
  CHECK(combiner.pending() == 0);
  CHECK_FALSE(combiner.flush_due());
  // The global phase drops a partial behind its watermark whole, counting its rows.
  WindowAggregateOperator global(global_of(per_topping({WindowKind::Tumble, 5000, 0, 0})));
  std::vector<BatchPtr> out;
  global.on_watermark(20'000, out);
  global.process(partial_batch(partials, 3), out);
  CHECK(global.stats().late_records_dropped == 1);
  CHECK(rows_of(out).empty());
}

TEST_CASE("the global phase reports a partial whose window or row count no local phase writes", "[window][two-phase]") {
  // Found by fuzz/exchange_record.cpp: a window ending at INT64_MIN overflowed
  // the watermark comparison.
  const auto config = per_topping({WindowKind::Tumble, 5000, 0, 0});
  const AggregateSet aggregates(config.aggregates);
  std::vector<std::string> errors;
  auto global_config = global_of(config);
  global_config.on_row_error = [&](const RowError& e) { errors.push_back(e.message); };
  WindowAggregateOperator global(global_config);
  const int64_t min = std::numeric_limits<int64_t>::min();
  const std::vector<std::array<int64_t, 3>> bad = {
      {min, min, 1}, {0, 4000, 1}, {1000, 6000, 1}, {5000, 0, 1}, {0, 5000, 0}, {0, 5000, -3}};
  for (const auto& [start, end, rows] : bad) {
    WindowPartial p;
    p.cells = encode_row(batch(3, {Row({s("banana"), i(1), i(1000)})})->row(0), 3);
    encode_partial_state(start, end, rows, aggregates, aggregates.create(), p.state);
    std::vector<BatchPtr> out;
    global.process(partial_batch({p}, 3), out);
    global.on_watermark(kMaxWatermark - 1, out);
    CHECK(rows_of(out).empty());
  }
  REQUIRE(errors.size() == bad.size());
  CHECK_THAT(errors[0], Catch::Contains("not one of this aggregation's windows"));
}

TEST_CASE("two phases refuse what Flink runs in one: session and processing-time windows", "[window][two-phase]") {
  CHECK_THROWS_WITH(WindowPartialCombiner(per_topping({WindowKind::Session, 5000, 0, 0})), Catch::Contains("session"));
  auto proc = per_topping({WindowKind::Tumble, 5000, 0, 0});
  proc.processing_time = true;
  CHECK_THROWS_WITH(WindowPartialCombiner(proc), Catch::Contains("processing-time"));
}
