// Placement through Kafka consumer groups against a real Kafka wire-protocol
// broker (librdkafka's mock cluster, in process): three workers' placements
// in one group, each competing for the same whole pipelines (leases) and the
// same split pipelines (a source topic's partitions). Every whole pipeline
// must run on exactly one worker and every worker must read its fair share of
// the source: one group for leases and source together let the assignor give
// one worker every source partition (it balances partition counts over all
// topics), which left two workers idle.
#include <catch2/catch.hpp>

#include <map>
#include <mutex>
#include <set>

#include "actors/drivers/kafka_placement.hpp"
#include "connectors/embedded_broker.hpp"
#include "core/murmur2.hpp"
#include "test_doubles.hpp"

using namespace ananas;
using ananas::rt::drivers::KafkaPlacement;
using connectors::PartitionId;

namespace {

// What every placement has told its worker, as the Worker keeps it.
struct Seen {
  mutable std::mutex mu;
  std::map<int, std::set<std::string>> running;                                // worker -> whole pipelines
  std::map<int, std::map<std::string, std::set<PartitionId>>> shares;          // worker -> split pipeline -> share
  std::vector<std::string> problems;

  rt::Placement::Events events_of(int worker) {
    rt::Placement::Events e;
    e.acquired = [this, worker](const std::string& p) {
      std::lock_guard lock(mu);
      if (!running[worker].insert(p).second) problems.push_back("acquired twice: " + p);
    };
    e.released = [this, worker](const std::string& p, bool) {
      std::lock_guard lock(mu);
      if (!running[worker].erase(p)) problems.push_back("released without running: " + p);
    };
    e.reassigned = [this, worker](const std::string& p, const std::set<PartitionId>& owned, bool) {
      std::lock_guard lock(mu);
      shares[worker][p] = owned;
    };
    return e;
  }

  // Each whole pipeline on exactly one of `workers`, and each of them
  // reading exactly one partition of every split pipeline, all partitions read.
  bool settled(const std::vector<int>& workers, const std::vector<std::string>& whole,
               const std::vector<std::string>& split, size_t partitions) const {
    std::lock_guard lock(mu);
    for (const auto& p : whole) {
      int owners = 0;
      for (const auto& [w, running_there] : running) owners += static_cast<int>(running_there.count(p));
      if (owners != 1) return false;
    }
    for (const auto& p : split) {
      std::set<PartitionId> all;
      for (int w : workers) {
        auto wit = shares.find(w);
        if (wit == shares.end()) return false;
        auto sit = wit->second.find(p);
        if (sit == wit->second.end() || sit->second.size() != partitions / workers.size()) return false;
        all.insert(sit->second.begin(), sit->second.end());
      }
      if (all.size() != partitions) return false;
    }
    return true;
  }

  std::string describe() const {
    std::lock_guard lock(mu);
    std::string out;
    for (const auto& [w, ps] : running) {
      out += "worker" + std::to_string(w) + " runs";
      for (const auto& p : ps) out += " " + p;
      out += "\n";
    }
    for (const auto& [w, splits] : shares)
      for (const auto& [p, share] : splits) {
        out += "worker" + std::to_string(w) + " " + p + ":";
        for (const auto& id : share) out += " " + id.topic + "/" + std::to_string(id.partition);
        out += "\n";
      }
    for (const auto& problem : problems) out += problem + "\n";
    return out;
  }
};

std::unique_ptr<KafkaPlacement> placement(const std::string& bootstrap, int worker, Seen& seen) {
  connectors::kafka::GroupMembershipOptions o;
  o.bootstrap_servers = bootstrap;
  o.group_id = "placement-test";
  o.client_id = "worker" + std::to_string(worker);
  o.session_timeout = std::chrono::seconds(3);
  auto p = std::make_unique<KafkaPlacement>(o, nullptr);
  p->start(seen.events_of(worker));
  return p;
}

}  // namespace

TEST_CASE("a lease is a fixed partition of its topic, picked by the pipeline's name", "[actors][kafka]") {
  CHECK(KafkaPlacement::lease_partition("02-aggregating", 1) == 0);
  CHECK(KafkaPlacement::lease_partition("02-aggregating", 0) == 0);
  std::set<int32_t> picked;
  for (const char* name : {"02-aggregating", "03-windowing", "04-trends", "04-trends-up-down", "a", "b", "c"}) {
    const int32_t p = KafkaPlacement::lease_partition(name, 3);
    CHECK(p == static_cast<int32_t>(kafka_partition(name, 3)));
    picked.insert(p);
  }
  CHECK(picked.size() == 3);  // not all on partition 0 (nor on any one)
  CHECK(KafkaPlacement::split_group("g", {"pizzas"}) == "g.pizzas");
  CHECK(KafkaPlacement::split_group("g", {"b", "a"}) == "g.a+b");
}

TEST_CASE("three workers in one group run each whole pipeline once and read a source partition each", "[actors][kafka]") {
  connectors::EmbeddedBroker broker;
  connectors::EmbeddedBrokerOptions o;
  o.partitions = 3;
  o.topics = {"pizzas"};
  o.auto_created_partitions = 3;  // lease topics: as many partitions as workers, the case that once piled leases up
  const std::string bootstrap = broker.start(o);

  const std::vector<std::string> whole = {"02-aggregating", "03-windowing", "04-trends", "04-trends-up-down"};
  Seen seen;
  std::vector<std::unique_ptr<KafkaPlacement>> workers;
  for (int w = 0; w < 3; ++w) {
    workers.push_back(placement(bootstrap, w, seen));
    for (const auto& p : whole) workers.back()->add(p, {});
    workers.back()->add("01-basic-filtering", {"pizzas"});
  }
  INFO(seen.describe());
  REQUIRE(rt::testing::wait_until([&] { return seen.settled({0, 1, 2}, whole, {"01-basic-filtering"}, 3); },
                           std::chrono::seconds(90)));

  SECTION("a split pipeline added later over the same topic reads this worker's share at once") {
    for (auto& w : workers) w->add("02-aggregating.scan", {"pizzas"});
    REQUIRE(rt::testing::wait_until(
        [&] { return seen.settled({0, 1, 2}, whole, {"01-basic-filtering", "02-aggregating.scan"}, 3); },
        std::chrono::seconds(30)));
    std::lock_guard lock(seen.mu);
    for (int w = 0; w < 3; ++w) CHECK(seen.shares[w]["02-aggregating.scan"] == seen.shares[w]["01-basic-filtering"]);
  }

  SECTION("a worker that leaves hands everything over to the two others") {
    workers[2]->leave();
    {
      std::lock_guard lock(seen.mu);
      CHECK(seen.running[2].empty());
      CHECK(seen.shares[2]["01-basic-filtering"].empty());
    }
    // Two workers, three partitions: shares of one and two.
    REQUIRE(rt::testing::wait_until(
        [&] {
          if (!seen.settled({}, whole, {}, 3)) return false;
          std::lock_guard lock(seen.mu);
          std::set<PartitionId> all;
          for (int w : {0, 1}) {
            const auto& share = seen.shares[w]["01-basic-filtering"];
            if (share.empty()) return false;
            all.insert(share.begin(), share.end());
          }
          return all.size() == 3 && seen.running[2].empty();
        },
        std::chrono::seconds(60)));
  }
  for (auto& w : workers) w->leave();
  std::lock_guard lock(seen.mu);
  CHECK(seen.problems.empty());
}
