#include <catch2/catch.hpp>

#include "dataflow_test_helpers.hpp"

using namespace dftest;
using namespace ananas::dataflow;
using Log = std::vector<std::string>;

TEST_CASE("operator task: a batch is processed, its results emitted, then the input is consumed", "[tasks]") {
  OperatorLog host;
  OperatorTask task(std::make_unique<AddOp>(10), 1, host);
  task.on_batch(0, ints({1, 2}), 7);
  CHECK(host.log == Log{"b:11,12", "consumed:0#7"});
}

TEST_CASE("operator task: the watermark is the minimum over the inputs", "[tasks]") {
  OperatorLog host;
  OperatorTask task(std::make_unique<AddOp>(0), 3, host);
  task.on_watermark(0, 10);
  task.on_watermark(1, 20);
  CHECK(host.log.empty());  // input 2 has not delivered a watermark
  task.on_watermark(2, 5);
  CHECK(host.log == Log{"w:5"});
  task.on_watermark(2, 30);  // the minimum is now input 0's 10
  task.on_watermark(0, 8);   // a watermark never goes back
  task.on_watermark(0, 25);
  CHECK(host.log == Log{"w:5", "w:10", "w:20"});
  CHECK(task.watermark() == 20);
}

TEST_CASE("operator task: what a watermark makes final is emitted before the watermark", "[tasks]") {
  OperatorLog host;
  OperatorTask task(std::make_unique<HoldUntilWatermark>(), 1, host);
  task.on_batch(0, ints({3, 12, 7}));
  task.on_watermark(0, 8);
  task.on_watermark(0, ops::kMaxWatermark);  // end of input: everything fires
  CHECK(host.log == Log{"consumed:0#0", "b:3,7", "w:8", "b:12", "w:+inf"});
}

TEST_CASE("operator task: barrier alignment holds back an input that delivered the barrier", "[tasks]") {
  OperatorLog host;
  OperatorTask task(std::make_unique<HoldUntilWatermark>(), 2, host);
  host.task = &task;
  task.on_batch(0, ints({1}), 1);
  task.on_barrier(0, 5);
  task.on_batch(0, ints({2}), 2);     // after the barrier on input 0: held
  task.on_watermark(0, 100);          // held too
  task.on_batch(1, ints({3}), 3);     // input 1 is still before the barrier
  CHECK(task.held() == 2);
  CHECK(host.log == Log{"consumed:0#1", "consumed:1#3"});
  task.on_barrier(1, 5);
  // The snapshot holds rows 1 and 3, not row 2; then the held messages replay
  // in arrival order.
  CHECK(host.log == Log{"consumed:0#1", "consumed:1#3", "snapshot:5:[1,3]", "barrier:5", "consumed:0#2"});
  CHECK(task.held() == 0);
  task.on_watermark(1, 100);
  CHECK(host.log.back() == "w:100");
  CHECK(host.log[host.log.size() - 2] == "b:1,3,2");
}

TEST_CASE("operator task: a task with one input needs no alignment for its barrier", "[tasks]") {
  OperatorLog host;
  OperatorTask task(std::make_unique<AddOp>(1), 1, host);
  host.task = &task;
  task.on_barrier(0, 1);
  task.on_batch(0, ints({1}));
  CHECK(host.log == Log{"snapshot:1:[]", "barrier:1", "b:2", "consumed:0#0"});
}

TEST_CASE("operator task refuses to run without an operator or inputs", "[tasks]") {
  OperatorLog host;
  CHECK_THROWS_AS(OperatorTask(nullptr, 1, host), std::invalid_argument);
  CHECK_THROWS_AS(OperatorTask(std::make_unique<AddOp>(1), 0, host), std::invalid_argument);
}

TEST_CASE("operator task measures the time in process() when asked", "[tasks]") {
  struct Timing : OperatorLog {
    std::chrono::nanoseconds elapsed{-1};
    size_t rows = 0;
    void consumed(const Consumed& c) override {
      elapsed = c.elapsed;
      rows = c.rows;
    }
  } host;
  OperatorTask task(std::make_unique<AddOp>(1), 1, host, TaskOptions{true});
  task.on_batch(0, ints({1, 2, 3}));
  CHECK(host.elapsed.count() >= 0);
  CHECK(host.rows == 3);
}

TEST_CASE("sink task: writes, then consumed, watermark minimum, aligned barrier flushes", "[tasks]") {
  SinkLog host;
  SinkTask task(2, host);
  task.on_batch(0, ints({1}), 4);
  task.on_batch(1, ints({}), 5);  // an empty batch is consumed, not written
  task.on_watermark(0, 10);
  task.on_watermark(1, 20);
  task.on_barrier(1, 9);
  task.on_batch(1, ints({2}), 6);  // held: input 1 is past barrier 9
  task.on_batch(0, ints({3}), 7);
  CHECK(host.log == Log{"write:1", "consumed:0#4", "consumed:1#5", "w:10", "write:3", "consumed:0#7"});
  task.on_barrier(0, 9);
  CHECK(host.log == Log{"write:1", "consumed:0#4", "consumed:1#5", "w:10", "write:3", "consumed:0#7", "flush:9",
                        "write:2", "consumed:1#6"});
}

TEST_CASE("source task: the batch first, then the watermark if it advanced, end of input is +inf", "[tasks]") {
  struct Host : SourceHost {
    Log log;
    void emit_batch(const BatchPtr& b) override { log.push_back("b:" + show(*b)); }
    void emit_watermark(int64_t wm) override { log.push_back("w:" + wm_text(wm)); }
    void emit_barrier(uint64_t id) override { log.push_back("barrier:" + std::to_string(id)); }
    void checkpoint(uint64_t id) override { log.push_back("position:" + std::to_string(id)); }
  } host;
  SourceTask task(host);
  task.on_polled(ints({1}), 5);
  task.on_polled(ints({2}), 5);
  task.on_polled(nullptr, 4);
  task.on_polled(ints({}), 6);
  task.on_barrier(3);
  CHECK_FALSE(task.ended());
  task.end_of_input();
  CHECK(task.ended());
  CHECK(host.log == Log{"b:1", "w:5", "b:2", "w:6", "position:3", "barrier:3", "w:+inf"});
}
