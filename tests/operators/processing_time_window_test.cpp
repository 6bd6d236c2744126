// Processing-time window aggregation: rows go into the windows holding the
// operator's clock when their batch is processed, windows fire through
// on_processing_time once the clock reaches their end (Flink's timer at
// window_end − 1, fired once the clock has passed it), never on a watermark.
// The clock is a variable the test sets, so every time is explicit.
#include <catch2/catch.hpp>

#include <memory>

#include "operator_test_helpers.hpp"
#include "operators/window_aggregate.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

Schema order_schema() {
  return Schema{{{"item", Type::string()},
                 {"pt", Type::timestamp_ltz(3).with_nullable(false).with_time_attr(TimeAttr::Proctime)}}};
}

// COUNT(*) per item on processing time, reading `*clock` as the operator's clock.
WindowAggregateConfig count_per_item(WindowSpec window, std::shared_ptr<int64_t> clock) {
  Schema in = order_schema();
  WindowAggregateConfig c;
  c.input = in;
  c.time_column = 1;
  c.window = window;
  c.keys = {{"item", col(in, "item")}};
  AggregateCall count;
  count.kind = AggregateKind::CountStar;
  count.name = "n";
  c.aggregates = {count};
  c.processing_time = true;
  c.clock = [clock] { return *clock; };
  return c;
}

// The row's own pt value is ignored: 999999 is in no window of these tests.
BatchPtr orders(std::initializer_list<const char*> items) {
  std::vector<Row> rows;
  for (const char* item : items) rows.push_back(Row({s(item), i(999999)}));
  return batch(2, rows);
}

}  // namespace

TEST_CASE("processing-time TUMBLE: rows take the clock's window and fire once the clock reaches window_end", "[window][proctime]") {
  auto clock = std::make_shared<int64_t>(1200);
  WindowAggregateOperator op(count_per_item({WindowKind::Tumble, 1000, 0, 0}, clock));
  CHECK(op.output_schema()[4].name == "window_time");
  CHECK(op.output_schema()[4].type.time_attr == TimeAttr::Proctime);
  std::vector<BatchPtr> out;
  CHECK_FALSE(op.next_processing_timer());  // nothing held, no timer
  op.process(orders({"a", "b", "a"}), out);
  *clock = 1999;
  op.process(orders({"a"}), out);
  CHECK(out.empty());
  REQUIRE(op.next_processing_timer() == std::optional<int64_t>(2000));
  // Watermarks do not fire processing-time windows, even the end of input.
  op.on_watermark(kMaxWatermark, out);
  CHECK(out.empty());
  // The timer is at window_end − 1 = 1999; Flink fires it once the clock has passed it.
  op.on_processing_time(1999, out);
  CHECK(out.empty());
  op.on_processing_time(2003, out);
  // window_time is the processing time the window fired at.
  CHECK(rows_of(out) == std::vector<std::string>{"+I(a,3,1000,2000,2003)", "+I(b,1,1000,2000,2003)"});
  CHECK_FALSE(op.next_processing_timer());
  CHECK(op.stats().state_entries == 0);
  CHECK(op.stats().late_records_dropped == 0);
}

TEST_CASE("processing-time HOP and CUMULATE: a row counts in every window holding the clock", "[window][proctime]") {
  auto clock = std::make_shared<int64_t>(2500);
  std::vector<BatchPtr> out;
  SECTION("HOP slide 1 s, size 2 s") {
    WindowAggregateOperator op(count_per_item({WindowKind::Hop, 2000, 1000, 0}, clock));
    op.process(orders({"x"}), out);  // windows [1000, 3000) and [2000, 4000)
    CHECK(op.next_processing_timer() == std::optional<int64_t>(3000));
    op.on_processing_time(3000, out);
    CHECK(rows_of(out) == std::vector<std::string>{"+I(x,1,1000,3000,3000)"});
    out.clear();
    *clock = 3500;
    op.process(orders({"x"}), out);  // [2000, 4000) and [3000, 5000)
    op.on_processing_time(5000, out);
    CHECK(rows_of(out) == std::vector<std::string>{"+I(x,2,2000,4000,5000)", "+I(x,1,3000,5000,5000)"});
  }
  SECTION("CUMULATE step 1 s, max size 3 s") {
    WindowAggregateOperator op(count_per_item({WindowKind::Cumulate, 3000, 1000, 0}, clock));
    op.process(orders({"x"}), out);  // [0, 3000) only: [0, 1000) and [0, 2000) ended before 2500
    *clock = 500;  // the clock stepping back counts as the latest time read
    op.process(orders({"x"}), out);
    op.on_processing_time(2999, out);
    CHECK(out.empty());
    op.on_processing_time(3000, out);
    CHECK(rows_of(out) == std::vector<std::string>{"+I(x,2,0,3000,3000)"});
  }
}

TEST_CASE("processing-time windows restore open windows and fire the overdue ones at the next timer", "[window][proctime][restore]") {
  auto clock = std::make_shared<int64_t>(100);
  WindowAggregateOperator before(count_per_item({WindowKind::Tumble, 1000, 0, 0}, clock));
  std::vector<BatchPtr> out;
  before.process(orders({"a", "a"}), out);  // [0, 1000)
  *clock = 1100;
  before.process(orders({"b"}), out);  // [1000, 2000), before [0, 1000) fired
  StateWriter w;
  before.snapshot(w);
  before.on_processing_time(1100, out);  // fires after the snapshot: the restored copy still holds it
  CHECK(rows_of(out) == std::vector<std::string>{"+I(a,2,0,1000,1100)"});
  out.clear();

  WindowAggregateOperator after(count_per_item({WindowKind::Tumble, 1000, 0, 0}, clock));
  StateReader r(w.data());
  after.restore(r);
  CHECK(r.at_end());
  CHECK(after.stats().state_entries == 2);
  // The overdue window is the next timer; the restarted operator fires it on its first tick.
  REQUIRE(after.next_processing_timer() == std::optional<int64_t>(1000));
  *clock = 1500;
  after.process(orders({"b"}), out);
  after.on_processing_time(1500, out);
  CHECK(rows_of(out) == std::vector<std::string>{"+I(a,2,0,1000,1500)"});
  out.clear();
  after.on_processing_time(2000, out);
  CHECK(rows_of(out) == std::vector<std::string>{"+I(b,2,1000,2000,2000)"});

  // An event-time operator's snapshot does not restore into a processing-time one.
  WindowAggregateConfig event = count_per_item({WindowKind::Tumble, 1000, 0, 0}, clock);
  event.processing_time = false;
  event.input.columns[1].type = Type::timestamp_ltz(3).with_time_attr(TimeAttr::Rowtime);
  WindowAggregateOperator event_op(event);
  StateWriter ew;
  event_op.snapshot(ew);
  WindowAggregateOperator proc(count_per_item({WindowKind::Tumble, 1000, 0, 0}, clock));
  StateReader er(ew.data());
  CHECK_THROWS(proc.restore(er));
}
