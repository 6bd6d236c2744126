// Real actor systems (through the Worker facade) with in-memory drivers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include <csignal>
#include <unistd.h>

#include "actors/termination_signals.hpp"
#include "actors/worker.hpp"
#include "test_doubles.hpp"

using namespace ananas;
using namespace ananas::rt;
using namespace ananas::rt::testing;
using namespace std::chrono_literals;

namespace {

std::vector<BatchPtr> numbered_batches(size_t n, size_t rows_per_batch, int64_t keys = 1000000) {
  std::vector<BatchPtr> out;
  int64_t v = 0;
  for (size_t b = 0; b < n; ++b) {
    std::vector<std::pair<int64_t, int64_t>> rows;
    for (size_t r = 0; r < rows_per_batch; ++r, ++v) rows.emplace_back(v % keys, v);
    out.push_back(make_batch(rows));
  }
  return out;
}

}  // namespace

TEST_CASE("batches travel source -> operator -> sink by pointer, in order, never deep-copied", "[runtime]") {
  auto src = std::make_shared<SourceData>();
  src->batches = numbered_batches(50, 100);
  src->bounded = true;
  auto sink = std::make_shared<SinkData>();
  PipelineGraph g;
  g.name = "zero-copy";
  g.nodes = {source_node("in", src), operator_node("pass", {"in"}, [] { return std::make_unique<PassThrough>(); }),
             sink_node("out", {"pass"}, sink)};
  const auto copies_before = Batch::deep_copies();
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return sink->written.load() == 50; }, 20s));
  worker.stop();
  CHECK(Batch::deep_copies() == copies_before);
  std::lock_guard lock(sink->mu);
  REQUIRE(sink->batches.size() == 50);
  for (size_t i = 0; i < 50; ++i) CHECK(sink->batches[i].get() == src->batches[i].get());
  for (size_t i = 0; i < sink->rows.size(); ++i) CHECK(sink->rows[i].second == static_cast<int64_t>(i));
}

TEST_CASE("an operator with two inputs sees the minimum of their watermarks", "[runtime]") {
  auto a = std::make_shared<SourceData>();
  auto b = std::make_shared<SourceData>();
  a->batches = numbered_batches(4, 1);
  a->watermarks = {10, 20, 30, 40};
  b->batches = numbered_batches(2, 1);
  b->watermarks = {5, 15};
  auto sink = std::make_shared<SinkData>();
  auto mu = std::make_shared<std::mutex>();
  auto seen = std::make_shared<std::vector<int64_t>>();
  PipelineGraph g;
  g.name = "align";
  g.nodes = {source_node("a", a), source_node("b", b),
             operator_node("wm", {"a", "b"}, [=] { return std::make_unique<WatermarkRecorder>(mu, seen); }),
             sink_node("out", {"wm"}, sink)};
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return sink->written.load() == 6; }));
  // b never goes past 15, so the operator must never pass 15, whatever a does.
  REQUIRE(wait_until([&] {
    std::lock_guard lock(*mu);
    return !seen->empty() && seen->back() == 15;
  }));
  std::this_thread::sleep_for(100ms);
  worker.stop();
  std::lock_guard lock(*mu);
  CHECK(std::is_sorted(seen->begin(), seen->end()));
  CHECK(std::adjacent_find(seen->begin(), seen->end()) == seen->end());  // strictly increasing
  CHECK(seen->back() == 15);
  CHECK(seen->front() >= 5);
}

TEST_CASE("credit: a slow sink slows the source down, in-flight batches stay bounded", "[runtime]") {
  auto src = std::make_shared<SourceData>();
  src->batches = numbered_batches(400, 10);
  auto sink = std::make_shared<SinkData>();
  sink->delay = 4ms;
  std::atomic<long> max_in_flight{0};
  // Sampled as the source hands out each batch: handed out minus written.
  src->on_poll = [&](size_t) {
    const long in_flight = static_cast<long>(src->polled.load()) - static_cast<long>(sink->written.load());
    long prev = max_in_flight.load();
    while (in_flight > prev && !max_in_flight.compare_exchange_weak(prev, in_flight)) {
    }
  };
  PipelineGraph g;
  g.name = "credit";
  g.runtime.credit = 2;
  g.runtime.max_queued_batches = 2;
  g.nodes = {source_node("in", src), operator_node("pass", {"in"}, [] { return std::make_unique<PassThrough>(); }),
             sink_node("out", {"pass"}, sink)};
  // Source outbox (max+1) + edge credit + operator outbox (max + credit) + edge credit.
  const long bound = (2 + 1) + 2 + (2 + 2) + 2;
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return sink->written.load() >= 60; }));
  // After ~250 ms of a 4 ms/batch sink, an unthrottled source would have read all 400.
  CHECK(src->polled.load() < 120);
  worker.stop();
  INFO("max in flight " << max_in_flight.load());
  CHECK(max_in_flight.load() <= bound);
  CHECK(max_in_flight.load() >= 2);
}

TEST_CASE("parallelism: rows hash-partitioned by key, watermarks broadcast to every instance", "[runtime]") {
  auto src = std::make_shared<SourceData>();
  src->batches = numbered_batches(30, 50, 37);
  for (size_t i = 0; i < 30; ++i) src->watermarks.push_back(static_cast<int64_t>(100 + i));
  auto sink = std::make_shared<SinkData>();
  auto mu = std::make_shared<std::mutex>();
  auto last_wm = std::make_shared<std::map<int64_t, int64_t>>();
  auto next_id = std::make_shared<std::atomic<int64_t>>(0);
  PipelineGraph g;
  g.name = "parallel";
  g.nodes = {source_node("in", src),
             operator_node("tag", {"in"}, [=] { return std::make_unique<TagInstance>((*next_id)++, mu, last_wm); },
                           3, {0}),
             sink_node("out", {"tag"}, sink)};
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return sink->snapshot_rows().size() == 1500; }));
  REQUIRE(wait_until([&] {
    std::lock_guard lock(*mu);
    return last_wm->size() == 3 && std::all_of(last_wm->begin(), last_wm->end(),
                                               [](auto& kv) { return kv.second == 129; });
  }));
  auto status = worker.status("parallel");
  worker.stop();
  std::map<int64_t, std::set<int64_t>> instances_of_key;
  for (auto [k, inst] : sink->snapshot_rows()) instances_of_key[k].insert(inst);
  CHECK(instances_of_key.size() == 37);
  std::set<int64_t> used;
  for (auto& [k, s] : instances_of_key) {
    CHECK(s.size() == 1);
    used.insert(*s.begin());
  }
  CHECK(used.size() == 3);
  REQUIRE(status);
  CHECK(std::count_if(status->actors.begin(), status->actors.end(), [](auto& a) { return a.node == "tag"; }) == 3);
}

TEST_CASE("stop drains: a final checkpoint flushes sinks and commits the source position", "[runtime]") {
  auto src = std::make_shared<SourceData>();
  src->batches = numbered_batches(20, 5);
  auto sink = std::make_shared<SinkData>();
  PipelineGraph g;
  g.name = "drain";
  g.runtime.checkpoint_interval = 0ms;  // only the final checkpoint
  g.nodes = {source_node("in", src), operator_node("pass", {"in"}, [] { return std::make_unique<PassThrough>(); }),
             sink_node("out", {"pass"}, sink)};
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return sink->written.load() == 20; }));
  CHECK(sink->flushes.load() == 0);
  REQUIRE(worker.remove("drain"));
  CHECK(sink->flushes.load() == 1);
  std::lock_guard lock(src->mu);
  REQUIRE(src->commits.size() == 1);
  CHECK(src->commits.back() == "20");
  CHECK_FALSE(worker.status("drain").has_value());
}

TEST_CASE("SIGTERM is waited for synchronously and then the worker drains", "[runtime]") {
  block_termination_signals();
  auto src = std::make_shared<SourceData>();
  src->batches = numbered_batches(10, 5);
  auto sink = std::make_shared<SinkData>();
  PipelineGraph g;
  g.name = "sigterm";
  g.runtime.checkpoint_interval = 0ms;
  g.nodes = {source_node("in", src), sink_node("out", {"in"}, sink)};
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return sink->written.load() == 10; }));
  CHECK_FALSE(wait_for_termination_signal(10ms).has_value());
  REQUIRE(::kill(::getpid(), SIGTERM) == 0);
  auto sig = wait_for_termination_signal(5000ms);
  REQUIRE(sig.has_value());
  CHECK(*sig == SIGTERM);
  worker.stop();
  CHECK(sink->flushes.load() == 1);
  std::lock_guard lock(src->mu);
  REQUIRE_FALSE(src->commits.empty());
  CHECK(src->commits.back() == "10");
}
