// Workers sharing their pipelines through a Kafka consumer group (worker
// config group.id), as Kafka Connect's distributed workers share connectors:
// each stateful pipeline runs on exactly one member at a time, moves when a
// member joins, leaves or dies, and resumes from its last completed
// checkpoint; the stateless filter runs on every member, each over its share
// of the input's partitions, and a moved partition continues at the offset
// its last owner committed. The outputs are exactly those of one worker that
// ran all along.
//
// Three workers start with the tutorial's five apps. Between two bursts of
// input, once every pipeline has checkpointed past the first burst, the
// worker that runs 02-aggregating is SIGKILLed (its pipelines move after the
// session timeout and restore their state from the changelogs) and a fourth
// worker joins (pipelines move to it gracefully: drained, then handed over).
// The second burst continues the open windows and half-matched patterns.
// Every output then equals the offline oracle's: upsert tables exact, the
// filter's rows with no duplicate (the kill fell after a checkpoint that
// covered everything read) and none missing.
#include <catch2/catch.hpp>

#include <signal.h>

#include <nlohmann/json.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <set>
#include <thread>

#include "e2e_apps.hpp"
#include "e2e_group.hpp"
#include "e2e_kafka.hpp"
#include "e2e_oracle.hpp"

using namespace ananas::e2e;
using json = nlohmann::json;

namespace {

std::vector<std::string> pipelines_of(const std::vector<App>& apps) {
  std::vector<std::string> out;
  for (const auto& a : apps) out.push_back(a.pipeline);
  return out;
}

// Settled: the filter (stateless: split) reads each of the input's
// `partitions` on exactly one worker; every other app runs on exactly one.
bool settled(const GroupPlacement& p, const std::vector<App>& apps, int partitions) {
  for (size_t a = 0; a < apps.size(); ++a)
    if (!(apps[a].append ? p.split_over(a, partitions) : p.whole_once(a))) return false;
  return true;
}

}  // namespace

TEST_CASE("workers in one group run each tutorial app once, and a killed worker's and a joining worker's pipelines move "
          "with their state and the outputs equal the oracle's",
          "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("worker-group");
  const std::vector<App> apps = tutorial_apps(dir);
  const std::vector<std::string> names = pipelines_of(apps);
  const std::vector<std::string> outputs = topics_of(apps);
  std::vector<std::string> topics = {"pizzas"};
  topics.insert(topics.end(), outputs.begin(), outputs.end());
  constexpr int kPartitions = 3;  // of the input topic
  BrokerProcess broker(dir, kPartitions, topics);
  const std::string& b = broker.bootstrap();

  WorkerGroup group(dir, b, files_of(apps),
                    {{"ANANAS_GROUP_ID", "ananas-e2e-workers"},
                     {"ANANAS_GROUP_SESSION_TIMEOUT", "3s"},
                     {"ANANAS_CHECKPOINT_INTERVAL", "500ms"}});
  for (int n = 1; n <= 3; ++n) group.start();
  auto& workers = group.workers;
  GroupPlacement placed;
  {
    INFO(group.stderr_of_all());
    REQUIRE(wait_until_true([&] { return settled(placed = placement_of(group.live(), names), apps, kPartitions); }, 60s));
  }
  std::cout << "worker group: " << describe(placed, names) << "\n";

  // First burst: 04-trends' rising and falling 1 s windows, then the first
  // two 5 s windows of 04-trends-up-down (up, up).
  int orders = generate_trending_orders(b, 100000);
  orders += generate_window_aligned(b, 500000, 5000, 4000, {20, 60});
  const int64_t fed_ms = wall_ms();
  {
    INFO(group.stderr_of_all());
    REQUIRE(wait_until_true(
        [&] {
          placed = placement_of(group.live(), names);
          if (!settled(placed, apps, kPartitions)) return false;
          for (size_t a = 0; a < apps.size(); ++a)
            for (const auto& [w, _] : placed.runs[a])
              if (!checkpointed_after(*workers[w], apps[a].pipeline, fed_ms + 300)) return false;
          return true;
        },
        60s));
  }
  // Kill the worker running 02-aggregating (the biggest state), then let a
  // fourth one join while the others take the dead one's pipelines over.
  const size_t victim = placed.runs[1][0].first;
  std::cout << "worker group: SIGKILL worker" << victim + 1 << " (" << describe(placed, names) << ")\n";
  workers[victim]->process().signal_and_wait(SIGKILL, 10s);
  workers[victim].reset();
  group.start();

  // Second burst, while pipelines move: 04-trends-up-down's up, down, down.
  orders += generate_window_aligned(b, 520000, 5000, 4000, {150, 40, 10});
  {
    INFO(group.stderr_of_all());
    REQUIRE(wait_until_true([&] { return settled(placed = placement_of(group.live(), names), apps, kPartitions); }, 60s));
  }
  std::cout << "worker group: after the kill and the join: " << describe(placed, names) << "\n";
  std::this_thread::sleep_for(11s);  // window 5 s + watermark delay 5 s + margin
  produce_flush_orders(b, 3);
  const auto counts = wait_until_stable(b, outputs, 4s, 90s);
  INFO(group.stderr_of_all());
  // The dead worker's pipelines resumed elsewhere from their checkpoints.
  const std::string all_err = group.stderr_of_all();
  CHECK(all_err.find("resuming from checkpoint") != std::string::npos);

  const auto input = kcat_dump(b, "pizzas", dir.file("pizzas.jsonl"));
  CHECK(input.size() == static_cast<size_t>(orders) + 3);  // + the flush orders
  check_outputs_equal_oracle(dir, b, apps, counts, dir.file("pizzas.jsonl"), "worker group");
  // Each remaining worker drains what it runs and leaves the group: exit 0.
  for (auto& w : workers)
    if (w) CHECK(w->process().signal_and_wait(SIGTERM, 30s) == 0);
}
