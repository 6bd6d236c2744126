// The tutorial's applications run by `ananas run` against a real broker agree
// exactly with the offline oracle (`ananas test`) on the same input.
//
// Watermarks: the worker's last windows fire only when later data reaches
// every partition. After the generated orders, the test waits 11 s (window
// 5 s + watermark delay 5 s + margin) and produces one order without pizzas
// into every partition (produce_flush_orders): it advances every partition's
// watermark past all generated data, and adds no row to any pipeline, so the
// oracle — which fires everything at the end of its input — has no output
// the worker cannot have.
#include <catch2/catch.hpp>

#include <signal.h>

#include <thread>

#include "e2e_kafka.hpp"
#include "e2e_oracle.hpp"

using namespace ananas::e2e;

namespace {

struct App {
  std::string file, topic;
};

const std::vector<App> kFirstFour = {{"01-basic-filtering.json", "pizza_stream_out_filter"},
                                     {"02-aggregating.json", "pizza_stream_out_agg"},
                                     {"03-windowing.json", "pizza_stream_out_agg_windows"},
                                     {"04-trends.json", "pizza_stream_out_trends"}};

}  // namespace

TEST_CASE("tutorial apps 01-04 in one worker, three source instances each, write exactly what the oracle computes",
          "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("tutorial");
  std::vector<std::string> topics = {"pizzas"};
  for (const auto& a : kFirstFour) topics.push_back(a.topic);
  BrokerProcess broker(dir, 3, topics);

  std::vector<std::string> files;
  for (const auto& a : kFirstFour) files.push_back(example(a.file));
  // Three source instances per table, one per partition: the tables'
  // watermarks are shared across them, so the outputs are the oracle's as
  // with one reader (the other tests run the default, one).
  WorkerProcess worker(dir, "worker", broker.bootstrap(), files, {{"ANANAS_SOURCE_INSTANCES", "3"}});

  const int orders = generate_trending_orders(broker.bootstrap(), 100000);
  std::this_thread::sleep_for(11s);
  produce_flush_orders(broker.bootstrap(), 3);
  std::vector<std::string> outputs(topics.begin() + 1, topics.end());
  auto counts = wait_until_stable(broker.bootstrap(), outputs, 4s, 90s);
  REQUIRE(worker.process().running());

  auto input = kcat_dump(broker.bootstrap(), "pizzas", dir.file("pizzas.jsonl"));
  CHECK(input.size() == static_cast<size_t>(orders) + 3);  // + the flush orders
  for (size_t i = 0; i < kFirstFour.size(); ++i) {
    const App& a = kFirstFour[i];
    INFO(a.file << ": " << counts[i] << " output records; worker stderr:\n" << worker.process().err());
    // Each app must have produced something, or the comparison proves little.
    CHECK(counts[i] > 0);
    kcat_dump(broker.bootstrap(), a.topic, dir.file(a.topic + ".jsonl"));
    std::string report;
    int code = oracle_test(example(a.file), dir.file("pizzas.jsonl"), dir.file(a.topic + ".jsonl"), report);
    INFO(report);
    CHECK(code == 0);
  }
  CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
}
