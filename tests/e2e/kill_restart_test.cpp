// At-least-once across a crash: SIGKILL the worker mid-stream, start it again,
// let it finish. The tutorial's tables start from the earliest offset, so the
// new process reads everything again: upsert outputs converge to the oracle's
// final tables, and the append output holds every oracle record (duplicates
// allowed). Runs 04-trends-up-down, the variant the other test does not.
// (See tutorial_apps_test.cpp for why flush orders end the input.)
#include <catch2/catch.hpp>

#include <signal.h>

#include <thread>

#include "e2e_kafka.hpp"
#include "e2e_oracle.hpp"

using namespace ananas::e2e;

TEST_CASE("a worker killed mid-stream and restarted converges to the oracle's output", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("restart");
  const std::vector<std::string> outputs = {"pizza_stream_out_filter", "pizza_stream_out_agg",
                                            "pizza_stream_out_agg_windows", "pizza_stream_out_trends"};
  std::vector<std::string> topics = {"pizzas"};
  topics.insert(topics.end(), outputs.begin(), outputs.end());
  BrokerProcess broker(dir, 3, topics);
  const std::vector<std::string> files = {example("01-basic-filtering.json"), example("02-aggregating.json"),
                                          example("03-windowing.json"), example("04-trends-up-down.json")};

  auto first = std::make_unique<WorkerProcess>(dir, "worker1", broker.bootstrap(), files);
  auto producer = start_generate(dir, "generate1", broker.bootstrap(), 100, 500, 10000);
  // Kill only after the worker has written something (bounded wait).
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (kcat_dump(broker.bootstrap(), "pizza_stream_out_filter").empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(500ms);
  const size_t before_kill = kcat_dump(broker.bootstrap(), "pizza_stream_out_filter").size();
  REQUIRE(before_kill > 0);
  first->process().kill_now();
  REQUIRE_FALSE(first->process().running());

  WorkerProcess second(dir, "worker2", broker.bootstrap(), files);
  REQUIRE(producer->wait(60s) == 0);
  generate_window_aligned_trend(broker.bootstrap(), 100000);
  std::this_thread::sleep_for(11s);
  produce_flush_orders(broker.bootstrap(), 3);
  auto counts = wait_until_stable(broker.bootstrap(), outputs, 4s, 90s);
  REQUIRE(second.process().running());
  kcat_dump(broker.bootstrap(), "pizzas", dir.file("pizzas.jsonl"));
  for (const auto& t : outputs) kcat_dump(broker.bootstrap(), t, dir.file(t + ".jsonl"));
  INFO("worker 2 stderr:\n" << second.process().err());

  CHECK(counts[0] > before_kill);  // the second worker wrote the filter output again (at least once)
  for (size_t i = 1; i < counts.size(); ++i) {
    INFO(outputs[i] << " is empty: comparing it with the oracle would prove nothing");
    CHECK(counts[i] > 0);
  }

  // Append sink: every oracle record, duplicates allowed.
  CHECK(contains_oracle_output(example("01-basic-filtering.json"), dir.file("pizzas.jsonl"),
                               dir.file("pizza_stream_out_filter.jsonl")) == "");
  // Upsert sinks: the final table per key equals the oracle's.
  const std::vector<std::pair<std::string, std::string>> upserts = {
      {"02-aggregating.json", "pizza_stream_out_agg"},
      {"03-windowing.json", "pizza_stream_out_agg_windows"},
      {"04-trends-up-down.json", "pizza_stream_out_trends"}};
  for (const auto& [app, topic] : upserts) {
    std::string report;
    int code = oracle_test(example(app), dir.file("pizzas.jsonl"), dir.file(topic + ".jsonl"), report);
    INFO(app << ":\n" << report);
    CHECK(code == 0);
  }
  CHECK(second.process().signal_and_wait(SIGTERM, 30s) == 0);
}
