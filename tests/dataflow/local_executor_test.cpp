#include <catch2/catch.hpp>

#include "dataflow/local_executor.hpp"
#include "dataflow_test_helpers.hpp"
#include "operators/window_aggregate.hpp"

using namespace dftest;
using namespace ananas::dataflow;
using Log = std::vector<std::string>;

namespace {

NodeDecl source(std::string name) { return {std::move(name), NodeKind::Source, {}, 1}; }
NodeDecl op(std::string name, std::vector<std::string> inputs) {
  return {std::move(name), NodeKind::Operator, std::move(inputs), 1};
}
NodeDecl sink(std::string name, std::vector<std::string> inputs) {
  return {std::move(name), NodeKind::Sink, std::move(inputs), 1};
}

LocalNode operator_node(std::function<ops::OperatorPtr()> make) {
  LocalNode n;
  n.make_operator = std::move(make);
  return n;
}

// A sink that logs what it writes and the watermarks it sees, prefixed by its name.
LocalNode logging_sink(Log& log, const std::string& name) {
  LocalNode n;
  n.write = [&log, name](const BatchPtr& b) { log.push_back(name + " " + show(*b)); };
  n.on_sink_watermark = [&log, name](int64_t wm) { log.push_back(name + " w:" + wm_text(wm)); };
  n.on_sink_barrier = [&log, name](uint64_t id) { log.push_back(name + " flush:" + std::to_string(id)); };
  return n;
}

// COUNT(*) per 10 ms tumbling window of a single rowtime column.
ops::OperatorPtr count_per_10ms() {
  ops::WindowAggregateConfig c;
  c.input = Schema{{{"ts", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)}}};
  c.time_column = 0;
  c.window = ops::WindowSpec{ops::WindowKind::Tumble, 10, 0, 0};
  ops::AggregateCall count;
  count.kind = ops::AggregateKind::CountStar;
  count.name = "n";
  c.aggregates = {count};
  return std::make_unique<ops::WindowAggregateOperator>(std::move(c));
}

// Window results as "count@[start,end)".
LocalNode window_sink(Log& log) {
  LocalNode n;
  n.write = [&log](const BatchPtr& b) {
    for (size_t r = 0; r < b->num_rows(); ++r) {
      const Value* row = b->row(r);
      log.push_back(std::to_string(row[0].as_int()) + "@[" + std::to_string(row[1].as_int()) + "," +
                    std::to_string(row[2].as_int()) + ")");
    }
  };
  n.on_sink_watermark = [&log](int64_t wm) { log.push_back("w:" + wm_text(wm)); };
  return n;
}

}  // namespace

TEST_CASE("local executor: a chain delivers batches depth-first and results before the watermark", "[executor]") {
  Log log;
  LocalExecutor ex(Topology({source("in"), op("plus1", {"in"}), op("hold", {"plus1"}), sink("out", {"hold"})}),
                   {LocalNode{}, operator_node([] { return std::make_unique<AddOp>(1); }),
                    operator_node([] { return std::make_unique<HoldUntilWatermark>(); }), logging_sink(log, "out")});
  ex.push(0, ints({4, 9}));
  ex.push(0, nullptr);
  CHECK(log.empty());
  ex.offer_watermark(0, 5);
  CHECK(log == Log{"out 5", "out w:5"});
  ex.offer_watermark(0, 3);  // behind: nothing
  CHECK(ex.watermark(2) == 5);
  CHECK(ex.op(2).stats().state_entries == 1);
  ex.end_of_input();
  CHECK(log == Log{"out 5", "out w:5", "out 10", "out w:+inf"});
  CHECK(ex.watermark(3) == ops::kMaxWatermark);
}

TEST_CASE("local executor: fan-out reaches each consumer's whole subtree before the next consumer", "[executor]") {
  Log log;
  LocalExecutor ex(
      Topology({source("in"), op("a", {"in"}), op("b", {"in"}), sink("from_a", {"a"}), sink("from_b", {"b"}),
                sink("raw", {"in"})}),
      {LocalNode{}, operator_node([] { return std::make_unique<AddOp>(10); }),
       operator_node([] { return std::make_unique<AddOp>(20); }), logging_sink(log, "from_a"),
       logging_sink(log, "from_b"), logging_sink(log, "raw")});
  ex.push(0, ints({1}));
  ex.offer_watermark(0, 7);
  CHECK(log == Log{"from_a 11", "from_b 21", "raw 1", "from_a w:7", "from_b w:7", "raw w:7"});
}

TEST_CASE("local executor: a diamond aligns the watermark over both paths", "[executor]") {
  Log log;
  LocalExecutor ex(
      Topology({source("in"), op("left", {"in"}), op("right", {"in"}), op("join", {"left", "right"}),
                sink("out", {"join"})}),
      {LocalNode{}, operator_node([] { return std::make_unique<AddOp>(1); }),
       operator_node([] { return std::make_unique<AddOp>(100); }),
       operator_node([] { return std::make_unique<HoldUntilWatermark>(); }), logging_sink(log, "out")});
  ex.push(0, ints({5}));
  // `left` forwards watermark 8 to the join first; the join waits for `right`.
  ex.offer_watermark(0, 8);
  CHECK(log == Log{"out 6", "out w:8"});
  CHECK(ex.watermark(3) == 8);
  ex.end_of_input();
  CHECK(log == Log{"out 6", "out w:8", "out 105", "out w:+inf"});
}

TEST_CASE("local executor: two sources, the slower one holds the join back", "[executor]") {
  Log log;
  LocalExecutor ex(Topology({source("fast"), source("slow"), op("hold", {"fast", "slow"}), sink("out", {"hold"})}),
                   {LocalNode{}, LocalNode{}, operator_node([] { return std::make_unique<HoldUntilWatermark>(); }),
                    logging_sink(log, "out")});
  ex.push(0, ints({1, 50}));
  ex.offer_watermark(0, 100);
  CHECK(log.empty());
  ex.push(1, ints({2}));
  ex.offer_watermark(1, 10);
  CHECK(log == Log{"out 1,2", "out w:10"});
  ex.end_of_input(0);
  CHECK(log.size() == 2);  // `slow` still at 10
  ex.end_of_input(1);
  CHECK(log == Log{"out 1,2", "out w:10", "out 50", "out w:+inf"});
}

TEST_CASE("local executor: a window aggregate fires as the watermark passes, the rest at end of input",
          "[executor]") {
  Log log;
  LocalExecutor ex(Topology({source("in"), op("count", {"in"}), sink("out", {"count"})}),
                   {LocalNode{}, operator_node(count_per_10ms), window_sink(log)});
  for (int64_t t : {1, 4, 12, 15, 19, 23}) {
    ex.push(0, ints({t}));
    ex.offer_watermark(0, t - 1);  // on-event watermark: rowtime - 1 ms
  }
  CHECK(log == Log{"w:0", "w:3", "2@[0,10)", "w:11", "w:14", "w:18", "3@[10,20)", "w:22"});
  ex.end_of_input();
  CHECK(log.back() == "w:+inf");
  CHECK(log[log.size() - 2] == "1@[20,30)");
  CHECK(ex.op(1).stats().state_entries == 0);
}

TEST_CASE("local executor: barriers flow through and every operator is offered its snapshot", "[executor]") {
  Log log;
  LocalExecutor ex(Topology({source("in"), op("hold", {"in"}), op("plus", {"in"}), sink("out", {"hold", "plus"})}),
                   {LocalNode{}, operator_node([] { return std::make_unique<HoldUntilWatermark>(); }),
                    operator_node([] { return std::make_unique<AddOp>(1); }), logging_sink(log, "out")});
  std::vector<std::string> checkpoints;
  ex.on_checkpoint = [&](size_t node, uint64_t id, const ops::Operator& op) {
    checkpoints.push_back(std::to_string(node) + ":" + std::to_string(id) + ":" +
                          std::to_string(op.stats().state_entries));
  };
  ex.push(0, ints({3}));
  ex.barrier(0, 1);
  CHECK(checkpoints == Log{"1:1:1", "2:1:0"});
  CHECK(log == Log{"out 4", "out flush:1"});
}

TEST_CASE("local executor refuses what it cannot run", "[executor]") {
  auto chain = [] { return Topology({source("in"), op("a", {"in"}), sink("out", {"a"})}); };
  Log log;
  CHECK_THROWS_AS(LocalExecutor(chain(), {LocalNode{}, LocalNode{}}), std::invalid_argument);
  CHECK_THROWS_AS(LocalExecutor(chain(), {LocalNode{}, LocalNode{}, logging_sink(log, "out")}),
                  std::invalid_argument);  // operator without a factory
  CHECK_THROWS_AS(LocalExecutor(Topology({source("in"), NodeDecl{"a", NodeKind::Operator, {"in"}, 2},
                                          sink("out", {"a"})}),
                                {LocalNode{}, operator_node([] { return std::make_unique<AddOp>(1); }),
                                 logging_sink(log, "out")}),
                  std::invalid_argument);  // one instance per node
  LocalExecutor ex(chain(), {LocalNode{}, operator_node([] { return std::make_unique<AddOp>(1); }),
                             logging_sink(log, "out")});
  CHECK_THROWS_AS(ex.push(1, ints({1})), std::invalid_argument);  // not a source
}
