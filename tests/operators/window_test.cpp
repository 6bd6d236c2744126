#include <catch2/catch.hpp>

#include "operators/calc.hpp"
#include "operators/window_aggregate.hpp"
#include "operators/window_assign.hpp"
#include "window_driver.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

Schema topping_schema() {
  return Schema{{{"topping", Type::string()}, {"orderTimestamp", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)}}};
}

WindowAggregateConfig count_per_topping(WindowSpec window) {
  Schema in = topping_schema();
  WindowAggregateConfig c;
  c.input = in;
  c.time_column = 1;
  c.window = window;
  c.keys = {{"topping", col(in, "topping")}};
  AggregateCall count;
  count.kind = AggregateKind::CountStar;
  count.name = "nr_orders";
  c.aggregates = {count};
  return c;
}

WindowSpec tumble(int64_t size, int64_t offset = 0) { return {WindowKind::Tumble, size, 0, offset}; }
WindowSpec hop(int64_t slide, int64_t size) { return {WindowKind::Hop, size, slide, 0}; }
WindowSpec cumulate(int64_t step, int64_t size) { return {WindowKind::Cumulate, size, step, 0}; }

TimedRow topping_at(const std::string& topping, const std::string& when, int32_t partition = 0) {
  int64_t t = ts(when);
  return {partition, Row({s(topping), i(t)}), t};
}

std::string T(const std::string& when) { return std::to_string(ts(when)); }

std::vector<WindowBounds> windows_of(const WindowSpec& w, int64_t t) {
  std::vector<WindowBounds> out;
  assign_windows(w, t, out);
  return out;
}

}  // namespace

TEST_CASE("window assignment: TUMBLE, HOP, CUMULATE, offsets, negative timestamps", "[window]") {
  CHECK(windows_of(tumble(5000), ts("2023-01-01 10:00:04.999")) ==
        std::vector<WindowBounds>{{ts("2023-01-01 10:00:00"), ts("2023-01-01 10:00:05")}});
  CHECK(windows_of(tumble(5000), ts("2023-01-01 10:00:05")) ==
        std::vector<WindowBounds>{{ts("2023-01-01 10:00:05"), ts("2023-01-01 10:00:10")}});
  CHECK(windows_of(hop(5 * 60000, 10 * 60000), ts("2023-01-01 08:07:00")) ==
        std::vector<WindowBounds>{{ts("2023-01-01 08:00:00"), ts("2023-01-01 08:10:00")},
                                  {ts("2023-01-01 08:05:00"), ts("2023-01-01 08:15:00")}});
  CHECK(windows_of(cumulate(2 * 60000, 10 * 60000), ts("2023-01-01 08:05:00")) ==
        std::vector<WindowBounds>{{ts("2023-01-01 08:00:00"), ts("2023-01-01 08:06:00")},
                                  {ts("2023-01-01 08:00:00"), ts("2023-01-01 08:08:00")},
                                  {ts("2023-01-01 08:00:00"), ts("2023-01-01 08:10:00")}});
  CHECK(windows_of(tumble(3600000, 15 * 60000), ts("2023-01-01 10:20:00")) ==
        std::vector<WindowBounds>{{ts("2023-01-01 10:15:00"), ts("2023-01-01 11:15:00")}});
  CHECK(windows_of(tumble(5000), -1) == std::vector<WindowBounds>{{-5000, 0}});
  CHECK(windows_of(hop(2000, 4000), -3000) == std::vector<WindowBounds>{{-6000, -2000}, {-4000, 0}});
}

TEST_CASE("window specs Flink rejects", "[window]") {
  CHECK_THROWS_WITH(validate_window_spec(hop(3000, 10000)),
                    "Slicing Hopping Window requires size must be an integral multiple of slide, but got size 10000ms "
                    "and slide 3000ms.");
  CHECK_THROWS_WITH(validate_window_spec(cumulate(3000, 10000)), Catch::Contains("integral multiple of step"));
  CHECK_THROWS_WITH(validate_window_spec(tumble(0)), Catch::Contains("size > 0"));
  CHECK_THROWS_WITH(WindowAggregateOperator(count_per_topping(hop(3000, 10000))), Catch::Contains("Slicing Hopping"));
}

TEST_CASE("window aggregate output schema: keys, aggregates, window_start, window_end, window_time", "[window]") {
  WindowAggregateOperator op(count_per_topping(tumble(5000)));
  const Schema& s = op.output_schema();
  CHECK(s.names() == std::vector<std::string>{"topping", "nr_orders", "window_start", "window_end", "window_time"});
  CHECK(s[1].type == Type::bigint().with_nullable(false));
  CHECK(s[2].type == Type::timestamp(3).with_nullable(false));
  CHECK(s[4].type == Type::timestamp(3).with_nullable(false).with_time_attr(TimeAttr::Rowtime));
}

TEST_CASE("twelve rows fire at W = 10:00:07 with count 12, HAVING > 10 keeps only that window", "[window]") {
  WindowAggregateOperator op(count_per_topping(tumble(5000)));
  auto more_than_ten = fn(Type::boolean(), [](const Value* row, expr::EvalContext&) {
    return Value::boolean(row[1].as_int() > 10);
  });
  CalcOperator having(CalcConfig{op.output_schema(), more_than_ten, std::nullopt, {}, {}});
  WindowDriver driver(op, 2, 5000);
  driver.feed(topping_at("🍍 pineapple", "2023-01-01 10:00:01"));
  for (int n = 0; n < 11; ++n) driver.feed(topping_at("🍍 pineapple", "2023-01-01 10:00:03"));
  driver.feed(topping_at("🍍 pineapple", "2023-01-01 10:00:07"));
  CHECK(driver.take().empty());  // W = 10:00:02, nothing final yet
  driver.feed(topping_at("🧅 onion", "2023-01-01 10:00:12"));
  CHECK(driver.watermark() == ts("2023-01-01 10:00:07"));
  std::vector<BatchPtr> fired = driver.take_batches(), kept;
  CHECK(rows_of(fired) == std::vector<std::string>{"+I(🍍 pineapple,12," + T("2023-01-01 10:00:00") + "," +
                                                   T("2023-01-01 10:00:05") + "," + T("2023-01-01 10:00:04.999") + ")"});
  driver.finish();
  std::vector<BatchPtr> rest = driver.take_batches();
  CHECK(rows_of(rest) == std::vector<std::string>{"+I(🍍 pineapple,1," + T("2023-01-01 10:00:05") + "," +
                                                      T("2023-01-01 10:00:10") + "," + T("2023-01-01 10:00:09.999") + ")",
                                                  "+I(🧅 onion,1," + T("2023-01-01 10:00:10") + "," +
                                                      T("2023-01-01 10:00:15") + "," + T("2023-01-01 10:00:14.999") + ")"});
  for (auto& b : fired) having.process(b, kept);
  for (auto& b : rest) having.process(b, kept);
  REQUIRE(rows_of(kept).size() == 1);
  CHECK(rows_of(kept)[0].rfind("+I(🍍 pineapple,12,", 0) == 0);
  CHECK(op.stats().state_entries == 0);
  CHECK(op.stats().late_records_dropped == 0);
}

TEST_CASE("a window fires exactly when W reaches window_end − 1", "[window]") {
  WindowAggregateOperator op(count_per_topping(tumble(5000)));
  std::vector<BatchPtr> out;
  op.process(batch(2, {Row({s("x"), i(1000)})}), out);
  op.on_watermark(4998, out);
  CHECK(out.empty());
  op.on_watermark(4999, out);
  CHECK(rows_of(out) == std::vector<std::string>{"+I(x,1,0,5000,4999)"});
}

TEST_CASE("windows fire in ascending window_end, equal ends in key byte order", "[window]") {
  WindowAggregateOperator op(count_per_topping(tumble(1000)));
  std::vector<BatchPtr> out;
  op.process(batch(2, {Row({s("b"), i(2500)}), Row({s("c"), i(500)}), Row({s("a"), i(2100)}), Row({s("b"), i(100)})}), out);
  op.on_watermark(kMaxWatermark, out);
  CHECK(rows_of(out) == std::vector<std::string>{"+I(b,1,0,1000,999)", "+I(c,1,0,1000,999)", "+I(a,1,2000,3000,2999)",
                                                 "+I(b,1,2000,3000,2999)"});
}

TEST_CASE("late rows of a fired TUMBLE window are dropped and counted, ts ≤ W in an open window is not late", "[window]") {
  WindowAggregateOperator op(count_per_topping(tumble(5000)));
  WindowDriver driver(op, 2, 5000);
  driver.feed(topping_at("x", "2023-01-01 10:00:01"));
  driver.feed(topping_at("x", "2023-01-01 10:00:12"));  // W = 10:00:07 → [00,05) fires
  CHECK(driver.take().size() == 1);
  driver.feed(topping_at("x", "2023-01-01 10:00:02"));  // its window fired: late
  driver.feed(topping_at("x", "2023-01-01 10:00:06"));  // ts < W but [05,10) is open: accepted
  CHECK(op.stats().late_records_dropped == 1);
  driver.finish();
  CHECK(driver.take() == std::vector<std::string>{"+I(x,1," + T("2023-01-01 10:00:05") + "," + T("2023-01-01 10:00:10") + "," +
                                                      T("2023-01-01 10:00:09.999") + ")",
                                                  "+I(x,1," + T("2023-01-01 10:00:10") + "," + T("2023-01-01 10:00:15") + "," +
                                                      T("2023-01-01 10:00:14.999") + ")"});
}

TEST_CASE("a HOP row whose first window fired still counts in its open window", "[window]") {
  WindowAggregateOperator op(count_per_topping(hop(5000, 10000)));
  std::vector<BatchPtr> out;
  op.process(batch(2, {Row({s("x"), i(1000)})}), out);
  op.on_watermark(7000, out);  // fires [-5000, 5000)
  CHECK(rows_of(out) == std::vector<std::string>{"+I(x,1,-5000,5000,4999)"});
  out.clear();
  op.process(batch(2, {Row({s("x"), i(3000)}),     // [-5000,5000) fired, [0,10000) open: added there only
                       Row({s("x"), i(-2000)})}),  // both of its windows fired: dropped
             out);
  CHECK(op.stats().late_records_dropped == 1);
  op.on_watermark(kMaxWatermark, out);
  CHECK(rows_of(out) == std::vector<std::string>{"+I(x,2,0,10000,9999)"});
}

TEST_CASE("CUMULATE emits every growing window of a row", "[window]") {
  WindowAggregateOperator op(count_per_topping(cumulate(1000, 3000)));
  std::vector<BatchPtr> out;
  op.process(batch(2, {Row({s("x"), i(500)}), Row({s("x"), i(1500)}), Row({s("x"), i(2500)})}), out);
  op.on_watermark(kMaxWatermark, out);
  CHECK(rows_of(out) == std::vector<std::string>{"+I(x,1,0,1000,999)", "+I(x,2,0,2000,1999)", "+I(x,3,0,3000,2999)"});
}

TEST_CASE("multiple partitions hold the window back until every partition has data", "[window]") {
  WindowAggregateOperator op(count_per_topping(tumble(5000)));
  WindowDriver driver(op, 2, 5000, {0, 1, 2});
  driver.feed(topping_at("x", "2023-01-01 10:00:01", 0));
  driver.feed(topping_at("x", "2023-01-01 10:00:30", 0));
  driver.feed(topping_at("x", "2023-01-01 10:00:30", 1));
  CHECK(driver.take().empty());  // partition 2 has not delivered: W = −∞
  driver.feed(topping_at("x", "2023-01-01 10:00:20", 2));
  CHECK(driver.watermark() == ts("2023-01-01 10:00:15"));
  CHECK(driver.take().size() == 1);
}

TEST_CASE("a NULL rowtime is reported as a row error", "[window]") {
  auto config = count_per_topping(tumble(5000));
  std::vector<std::string> errors;
  config.on_row_error = [&](const RowError& e) { errors.push_back(e.message); };
  WindowAggregateOperator op(std::move(config));
  std::vector<BatchPtr> out;
  op.process(batch(2, {Row({s("x"), null()})}), out);
  CHECK(errors == std::vector<std::string>{"RowTime field should not be null, please convert it to a non-null long value."});
  CHECK(op.stats().state_entries == 0);
}

TEST_CASE("window aggregate restore(snapshot()) then the same input gives the same output", "[window][restore]") {
  std::vector<Row> part1{Row({s("a"), i(100)}), Row({s("b"), i(1200)}), Row({s("a"), i(1900)})};
  std::vector<Row> part2{Row({s("a"), i(2100)}), Row({s("a"), i(300)}), Row({s("b"), i(4000)})};
  auto drive = [&](WindowAggregateOperator& op, const std::vector<Row>& rows, int64_t wm) {
    std::vector<BatchPtr> out;
    op.process(batch(2, rows), out);
    op.on_watermark(wm, out);
    return rows_of(out);
  };
  WindowAggregateOperator plain(count_per_topping(hop(1000, 2000)));
  auto expected1 = drive(plain, part1, 999);
  auto expected2 = drive(plain, part2, kMaxWatermark);

  WindowAggregateOperator before(count_per_topping(hop(1000, 2000)));
  CHECK(drive(before, part1, 999) == expected1);
  StateWriter w;
  before.snapshot(w);
  WindowAggregateOperator after(count_per_topping(hop(1000, 2000)));
  StateReader r(w.data());
  after.restore(r);
  CHECK(r.at_end());
  CHECK(drive(after, part2, kMaxWatermark) == expected2);
  CHECK(after.stats().late_records_dropped == plain.stats().late_records_dropped);
}

TEST_CASE("window state is freed as watermarks advance over a long input", "[window][state]") {
  WindowAggregateOperator op(count_per_topping(hop(1000, 3000)));
  std::vector<BatchPtr> out;
  uint64_t max_entries = 0;
  const char* keys[] = {"a", "b", "c", "d"};
  for (int64_t t = 0; t < 200'000; t += 37) {
    op.process(batch(2, {Row({s(keys[(t / 37) % 4]), i(t)})}), out);
    op.on_watermark(t - 2000, out);
    max_entries = std::max(max_entries, op.stats().state_entries);
    out.clear();
  }
  // 4 keys × windows open within (delay + size)/slide + 1 slides: a small bound, independent of input length.
  CHECK(max_entries <= 4 * 7);
  op.on_watermark(kMaxWatermark, out);
  CHECK(op.stats().state_entries == 0);
  CHECK(op.stats().state_bytes == 0);
}

TEST_CASE("window assign appends window columns and duplicates HOP rows, zero-copy", "[window]") {
  Schema in = topping_schema();
  WindowAssignOperator op(WindowAssignConfig{in, 1, hop(5000, 10000), {}});
  CHECK(op.output_schema().names() ==
        std::vector<std::string>{"topping", "orderTimestamp", "window_start", "window_end", "window_time"});
  CHECK(op.output_schema()[1].type.time_attr == TimeAttr::None);
  CHECK(op.output_schema()[4].type.time_attr == TimeAttr::Rowtime);
  auto input = batch(2, {Row(RowKind::Insert, {s("pineapple"), i(7000)})});
  std::vector<BatchPtr> out;
  op.process(input, out);
  CHECK(rows_of(out) == std::vector<std::string>{"+I(pineapple,7000,0,10000,9999)", "+I(pineapple,7000,5000,15000,14999)"});
  CHECK(out[0]->at(1, 0).as_string().data() == input->at(0, 0).as_string().data());
}
