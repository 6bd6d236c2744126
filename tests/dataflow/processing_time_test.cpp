// Processing-time timers in the graph driver: OperatorTask calls
// on_processing_time only when the operator's timer is due, never with a time
// behind an earlier one, and emits what fires without a watermark; the local
// executor fires them when its caller advances the clock, and the end of
// input fires none (as Flink, which drops pending processing-time timers).
#include <catch2/catch.hpp>

#include <algorithm>

#include "dataflow/local_executor.hpp"
#include "dataflow_test_helpers.hpp"

using namespace dftest;
using namespace ananas::dataflow;
using Log = std::vector<std::string>;

namespace {

// Holds its input values (each a processing time) until the clock reaches them,
// and logs the times it was called with.
class HoldUntilClock : public ops::Operator {
 public:
  explicit HoldUntilClock(std::vector<int64_t>* calls) : calls_(calls) {}
  std::string_view kind() const override { return "hold_clock"; }
  const Schema& output_schema() const override { return schema_; }
  void process(const BatchPtr& in, std::vector<BatchPtr>& /*out*/) override {
    for (int64_t v : values_of(*in)) held_.push_back(v);
  }
  std::optional<int64_t> next_processing_timer() const override {
    if (held_.empty()) return std::nullopt;
    return *std::min_element(held_.begin(), held_.end());
  }
  void on_processing_time(int64_t now, std::vector<BatchPtr>& out) override {
    calls_->push_back(now);
    std::vector<int64_t> ready, keep;
    for (int64_t v : held_) (v <= now ? ready : keep).push_back(v);
    held_ = keep;
    if (!ready.empty()) out.push_back(ints(ready));
  }

 private:
  std::vector<int64_t>* calls_;
  std::vector<int64_t> held_;
  Schema schema_ = one_bigint();
};

}  // namespace

TEST_CASE("operator task: processing-time timers fire when due, with a clock that never goes back", "[tasks][proctime]") {
  OperatorLog host;
  std::vector<int64_t> calls;
  OperatorTask task(std::make_unique<HoldUntilClock>(&calls), 1, host);
  CHECK_FALSE(task.next_processing_timer());
  task.on_batch(0, ints({50, 20}));
  CHECK(task.next_processing_timer() == std::optional<int64_t>(20));
  task.on_processing_time(19);  // not due: the operator is not called
  CHECK(calls.empty());
  task.on_processing_time(30);
  task.on_processing_time(25);  // behind 30: counts as 30, and nothing is due
  task.on_watermark(0, ops::kMaxWatermark);  // the watermark fires nothing held on the clock
  task.on_processing_time(60);
  CHECK(calls == std::vector<int64_t>{30, 60});
  CHECK(host.log == Log{"consumed:0#0", "b:20", "w:+inf", "b:50"});
  CHECK_FALSE(task.next_processing_timer());
}

TEST_CASE("local executor: advancing processing time fires due timers downstream, end of input fires none", "[executor][proctime]") {
  Log log;
  std::vector<int64_t> calls;
  LocalNode hold;
  hold.make_operator = [&calls] { return std::make_unique<HoldUntilClock>(&calls); };
  LocalNode out;
  out.write = [&log](const BatchPtr& b) { log.push_back("out " + show(*b)); };
  LocalExecutor ex(Topology({{"in", NodeKind::Source, {}, 1},
                             {"hold", NodeKind::Operator, {"in"}, 1},
                             {"out", NodeKind::Sink, {"hold"}, 1}}),
                   {LocalNode{}, hold, out});
  ex.push(0, ints({100, 200}));
  ex.advance_processing_time(99);
  CHECK(log.empty());
  ex.advance_processing_time(150);
  CHECK(log == Log{"out 100"});
  ex.end_of_input();
  CHECK(log == Log{"out 100"});  // 200 stays pending, as in Flink
  CHECK(ex.op(1).next_processing_timer() == std::optional<int64_t>(200));
}
