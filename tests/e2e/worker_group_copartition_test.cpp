// A GROUP BY on an upsert-kafka table's PRIMARY KEY in a worker group: the
// table's producers partition by that key, so the pipeline needs no
// exchange. It runs once per source partition (a shard with the state of
// its keys), spread over the workers; a killed worker's shards resume on the
// others from their checkpoints and a joining worker takes shards over, and
// the final table equals the offline oracle's.
#include <catch2/catch.hpp>

#include <signal.h>

#include <iostream>
#include <thread>

#include "e2e_apps.hpp"
#include "e2e_group.hpp"
#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

constexpr const char* kSql = R"(CREATE TABLE users (
  id BIGINT, name STRING, city STRING, visits INT,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'upsert-kafka', 'topic' = 'users', 
        'key.format' = 'json', 'value.format' = 'json');
CREATE TABLE per_user (
  id BIGINT, updates BIGINT, visits INT,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'upsert-kafka', 'topic' = 'per_user', 
        'key.format' = 'json', 'value.format' = 'json');
INSERT INTO per_user SELECT id, COUNT(*) AS updates, MAX(visits) AS visits FROM users WHERE city <> 'nowhere' GROUP BY id;
)";

// `count` updates of 150 users from `first` on, keyed by the user (kcat's
// partitioner puts every record of a key into one partition).
void produce_users(const std::string& bootstrap, int first, int count) {
  std::string lines;
  for (int i = first; i < first + count; ++i) {
    const int id = i % 150;
    lines += "{\"id\":" + std::to_string(id) + "}\t{\"id\":" + std::to_string(id) + ",\"name\":\"u" +
             std::to_string(id) + "\",\"city\":\"" + (i % 7 == 0 ? "nowhere" : "c" + std::to_string(i % 5)) +
             "\",\"visits\":" + std::to_string(i) + "}\n";
  }
  const Result r = run({"kcat", "-b", bootstrap, "-P", "-t", "users", "-K", "\t"}, 30s, lines);
  REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("a GROUP BY on an upsert-kafka table's key runs per source partition in a group, without an exchange",
          "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("worker-group-copartition");
  constexpr int kPartitions = 4;
  BrokerProcess broker(dir, kPartitions, {"users", "per_user"});
  const std::string& b = broker.bootstrap();
  const std::string file = dir.file("per-user.sql");
  write_text(file, kSql);
  const std::vector<App> apps = {{"per-user", file, "per_user"}};
  const std::vector<std::string> names = {"per-user"};
  auto settled = [&](const GroupPlacement& p) { return p.split_over(0, kPartitions); };

  WorkerGroup group(dir, b, {file},
                    {{"ANANAS_GROUP_ID", "ananas-e2e-copartition"},
                     {"ANANAS_GROUP_SESSION_TIMEOUT", "3s"},
                     {"ANANAS_CHECKPOINT_INTERVAL", "500ms"}});
  for (int n = 1; n <= 3; ++n) group.start();
  GroupPlacement placed;
  {
    INFO(group.stderr_of_all());
    REQUIRE(wait_until_true([&] { return settled(placed = placement_of(group.live(), names)) && placed.runs[0].size() >= 2; },
                            90s));
  }
  std::cout << "copartition: " << describe(placed, names) << "\n";

  produce_users(b, 0, 3000);
  const int64_t fed_ms = wall_ms();
  {
    INFO(group.stderr_of_all());
    REQUIRE(wait_settled_and_checkpointed(group, names, 0, settled, fed_ms + 300, 60s, placed));
  }
  // A worker with shards dies; a fourth joins while the others take them over.
  const size_t victim = placed.runs[0][0].first;
  std::cout << "copartition: SIGKILL worker" << victim + 1 << "\n";
  group.workers[victim]->process().signal_and_wait(SIGKILL, 10s);
  group.workers[victim].reset();
  group.start();
  produce_users(b, 3000, 3000);
  {
    INFO(group.stderr_of_all());
    REQUIRE(wait_until_true([&] { return settled(placed = placement_of(group.live(), names)); }, 60s));
  }
  std::cout << "copartition: after the kill and the join: " << describe(placed, names) << "\n";
  const auto counts = wait_until_stable(b, {"per_user"}, 4s, 90s);
  INFO(group.stderr_of_all());

  // No exchange topic and no scan part: the rows never left their partition.
  for (const auto& [topic, n] : topic_partitions(b)) CHECK(topic.find("exchange") == std::string::npos);
  for (WorkerProcess* w : group.live())
    if (w) CHECK_FALSE(pipeline_status(*w, "per-user.scan"));
  kcat_dump(b, "users", dir.file("users.jsonl"));
  check_outputs_equal_oracle(dir, b, apps, counts, dir.file("users.jsonl"), "copartition");
  for (WorkerProcess* w : group.live())
    if (w) CHECK(w->process().signal_and_wait(SIGTERM, 30s) == 0);
}
