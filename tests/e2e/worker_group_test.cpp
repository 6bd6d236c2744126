// Workers sharing their pipelines through a Kafka consumer group (worker
// config group.id), as Kafka Connect's distributed workers share connectors.
// The stateless filter runs on every member, each over its share of the
// input's partitions, and a moved partition continues at the offset its last
// owner committed. A stateful pipeline, by default (group.exchange), runs its
// scan the same way and its keyed part once per exchange partition, each
// shard on one member with the state of its keys; with group.exchange false
// it runs whole on exactly one member at a time. Either way what a member
// runs moves when a member joins, leaves or dies, and resumes from its last
// completed checkpoint. The outputs are exactly those of one worker that ran
// all along.
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
#include <algorithm>
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

// The pipelines the workers run for `apps`: one per app, or with the
// exchange a scan part per stateful app, then the keyed parts.
std::vector<std::string> pipelines_of(const std::vector<App>& apps, bool exchange) {
  std::vector<std::string> out;
  for (const auto& a : apps) out.push_back(exchange && !a.append ? a.pipeline + ".scan" : a.pipeline);
  if (exchange)
    for (const auto& a : apps)
      if (!a.append) out.push_back(a.pipeline);
  return out;
}

// Settled: the filter (stateless: split) reads each of the input's
// `partitions` on exactly one worker; with the exchange, so do the scan
// parts, and the keyed parts' shards cover the exchange's partitions (the
// broker gives exchange topics `partitions` too) once; without, every
// stateful app runs on exactly one worker.
bool settled(const GroupPlacement& p, const std::vector<App>& apps, int partitions, bool exchange) {
  for (size_t a = 0; a < p.runs.size(); ++a)
    if (!(exchange || apps[a].append ? p.split_over(a, partitions) : p.whole_once(a))) return false;
  return true;
}

// Where 02-aggregating's keyed part ran once the killed worker's pipelines
// had moved and the fourth had joined (the outputs are checked inside).
GroupPlacement::Runs run_group_with_kill_and_join(bool exchange);

}  // namespace

TEST_CASE("workers in one group run each tutorial app once, and a killed worker's and a joining worker's pipelines move "
          "with their state and the outputs equal the oracle's",
          "[e2e]") {
  REQUIRE_E2E_TOOLS();
  // Sharded: its three exchange partitions, each on exactly one worker.
  const auto keyed = run_group_with_kill_and_join(true);
  std::set<std::string> shards;
  size_t total = 0;
  for (const auto& [w, partitions] : keyed) {
    total += partitions.size();
    shards.insert(partitions.begin(), partitions.end());
  }
  CHECK(total == 3);
  CHECK(shards.size() == 3);
}

TEST_CASE("the same with group.exchange false: each stateful app runs whole on one worker, under its lease", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  const auto keyed = run_group_with_kill_and_join(false);
  REQUIRE(keyed.size() == 1);
  CHECK(keyed[0].second.empty());  // whole: no share of partitions
}

namespace {

GroupPlacement::Runs run_group_with_kill_and_join(bool exchange) {
  ScratchDir dir(exchange ? "worker-group" : "worker-group-leases");
  const std::vector<App> apps = tutorial_apps(dir);
  const std::vector<std::string> names = pipelines_of(apps, exchange);
  const std::vector<std::string> outputs = topics_of(apps);
  std::vector<std::string> topics = {"pizzas"};
  topics.insert(topics.end(), outputs.begin(), outputs.end());
  constexpr int kPartitions = 3;  // of the input topic
  BrokerProcess broker(dir, kPartitions, topics);
  const std::string& b = broker.bootstrap();

  WorkerGroup group(dir, b, files_of(apps),
                    {{"ANANAS_GROUP_ID", "ananas-e2e-workers"},
                     {"ANANAS_GROUP_EXCHANGE", exchange ? "true" : "false"},
                     {"ANANAS_GROUP_SESSION_TIMEOUT", "3s"},
                     {"ANANAS_CHECKPOINT_INTERVAL", "500ms"}});
  for (int n = 1; n <= 3; ++n) group.start();
  auto& workers = group.workers;
  GroupPlacement placed;
  {
    INFO(group.stderr_of_all());
    REQUIRE(wait_until_true([&] { return settled(placed = placement_of(group.live(), names), apps, kPartitions, exchange); }, 60s));
  }
  std::cout << "worker group: " << describe(placed, names) << "\n";

  // First burst: 04-trends' rising and falling 1 s windows, then the first
  // two 5 s windows of 04-trends-up-down (up, up).
  int orders = generate_trending_orders(b, 100000);
  orders += generate_window_aligned(b, 500000, 5000, 4000, {20, 60});
  const int64_t fed_ms = wall_ms();
  {
    INFO(group.stderr_of_all());
    REQUIRE(wait_settled_and_checkpointed(
        group, names, 0, [&](const GroupPlacement& p) { return settled(p, apps, kPartitions, exchange); },
        fed_ms + 300, 60s, placed));
  }
  // Kill a worker running 02-aggregating (the biggest state; with the
  // exchange, one of its shards), then let a fourth one join while the
  // others take the dead one's pipelines over.
  const auto keyed_02 = std::find(names.begin(), names.end(), "02-aggregating") - names.begin();
  const size_t victim = placed.runs[static_cast<size_t>(keyed_02)][0].first;
  std::cout << "worker group: SIGKILL worker" << victim + 1 << " (" << describe(placed, names) << ")\n";
  workers[victim]->process().signal_and_wait(SIGKILL, 10s);
  workers[victim].reset();
  group.start();

  // Second burst, while pipelines move: 04-trends-up-down's up, down, down.
  orders += generate_window_aligned(b, 520000, 5000, 4000, {150, 40, 10});
  {
    INFO(group.stderr_of_all());
    REQUIRE(wait_until_true([&] { return settled(placed = placement_of(group.live(), names), apps, kPartitions, exchange); }, 60s));
  }
  std::cout << "worker group: after the kill and the join: " << describe(placed, names) << "\n";
  const GroupPlacement::Runs keyed = placed.runs[static_cast<size_t>(keyed_02)];
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
  return keyed;
}

}  // namespace
