// Failures, restarts from checkpoints and restart budgets, on real actor systems.
#include <catch2/catch.hpp>

#include <map>

#include "actors/worker.hpp"
#include "core/diagnostic.hpp"
#include "test_doubles.hpp"

using namespace ananas;
using namespace ananas::rt;
using namespace ananas::rt::testing;
using namespace std::chrono_literals;

namespace {

constexpr int64_t kKeys = 5;

std::shared_ptr<SourceData> keyed_input(size_t batches) {
  auto src = std::make_shared<SourceData>();
  int64_t v = 1;
  for (size_t b = 0; b < batches; ++b) {
    std::vector<std::pair<int64_t, int64_t>> rows;
    for (int r = 0; r < 4; ++r, ++v) rows.emplace_back(v % kKeys, v);
    src->batches.push_back(make_batch(rows));
  }
  return src;
}

std::map<int64_t, int64_t> expected_totals(const SourceData& src) {
  std::map<int64_t, int64_t> out;
  for (const auto& b : src.batches)
    for (size_t r = 0; r < b->num_rows(); ++r) out[b->at(r, 0).as_int()] += b->at(r, 1).as_int();
  return out;
}

// Upsert view of the sink: the last value written per key.
std::map<int64_t, int64_t> last_per_key(SinkData& sink) {
  std::map<int64_t, int64_t> out;
  for (auto [k, v] : sink.snapshot_rows()) out[k] = v;
  return out;
}

}  // namespace

TEST_CASE("an operator that throws is restarted and resumes from the checkpoint without losing input",
          "[supervision]") {
  auto src = keyed_input(60);
  src->delay = 3ms;  // slow enough for several checkpoints to complete before the failure
  const auto expected = expected_totals(*src);
  auto sink = std::make_shared<SinkData>();
  // Throws on the row with value 150 (batch 37), once.
  auto thrown = std::make_shared<std::atomic<int>>(0);
  PipelineGraph g;
  g.name = "restart";
  g.restart = RestartPolicy::fixed_delay(3, 30ms);
  g.runtime.checkpoint_interval = 20ms;
  g.nodes = {source_node("in", src),
             operator_node("sum", {"in"},
                           [thrown] {
                             return std::make_unique<RunningSum>([thrown](int64_t, int64_t v) {
                               if (v == 150 && thrown->fetch_add(1) == 0) throw std::runtime_error("poison row 150");
                             });
                           }),
             sink_node("out", {"sum"}, sink)};
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return last_per_key(*sink) == expected; }, 30s));
  auto status = worker.status("restart");
  REQUIRE(status);
  CHECK(status->state == State::Running);
  CHECK(status->restarts == 1);
  CHECK_THAT(status->trace, Catch::Contains("poison row 150"));
  CHECK(status->last_checkpoint > 0);
  const auto metrics = worker.metrics().serialize();
  CHECK_THAT(metrics, Catch::Contains("ananas_actor_restarts_total{worker=\"ananas\",operator=\"sum\",pipeline=\"restart\"} 1"));
  worker.stop();
  std::lock_guard lock(src->mu);
  REQUIRE(src->opened_at.size() == 2);
  CHECK(src->opened_at[0].empty());
  // The second attempt resumed from a checkpoint, not from the beginning.
  CHECK_FALSE(src->opened_at[1].empty());
  CHECK(std::stoul(src->opened_at[1]) > 0);
  CHECK(thrown->load() >= 1);
}

TEST_CASE("a restart budget that runs out leaves the pipeline FAILED while another keeps running",
          "[supervision]") {
  auto bad_src = keyed_input(10);
  auto bad_sink = std::make_shared<SinkData>();
  PipelineGraph bad;
  bad.name = "doomed";
  bad.restart = RestartPolicy::fixed_delay(2, 10ms);
  bad.nodes = {source_node("in", bad_src),
               operator_node("boom", {"in"},
                             [] {
                               return std::make_unique<RunningSum>(
                                   [](int64_t, int64_t) { throw std::runtime_error("always fails"); });
                             }),
               sink_node("out", {"boom"}, bad_sink)};

  auto good_src = keyed_input(400);
  good_src->delay = 2ms;
  auto good_sink = std::make_shared<SinkData>();
  PipelineGraph good;
  good.name = "healthy";
  good.nodes = {source_node("in", good_src),
                operator_node("pass", {"in"}, [] { return std::make_unique<PassThrough>(); }),
                sink_node("out", {"pass"}, good_sink)};

  Worker worker(test_worker_config());
  worker.add(std::move(good));
  worker.add(std::move(bad));
  REQUIRE(wait_until([&] { return worker.status("doomed")->state == State::Failed; }, 20s));
  const auto failed = *worker.status("doomed");
  CHECK(failed.restarts == 2);
  CHECK_THAT(failed.trace, Catch::Contains("always fails"));
  bool actor_trace = false;
  for (const auto& a : failed.actors) {
    CHECK(a.state == State::Failed);
    if (a.node == "boom") {
      CHECK(a.failures == 3);
      actor_trace = !a.trace.empty();
    }
  }
  CHECK(actor_trace);
  CHECK_FALSE(worker.ready());
  // The healthy pipeline keeps moving after the other one failed.
  const size_t written = good_sink->written.load();
  REQUIRE(wait_until([&] { return good_sink->written.load() > written + 5; }, 10s));
  CHECK(worker.status("healthy")->state == State::Running);

  // A manual restart revives the FAILED pipeline with a fresh budget (it fails again here).
  REQUIRE(worker.restart("doomed"));
  REQUIRE(wait_until([&] { return worker.status("doomed")->restarts > 2; }, 10s));
  worker.stop();
}

TEST_CASE("pause stops a source from reading and resume continues", "[supervision]") {
  auto src = keyed_input(100000);
  src->delay = 1ms;
  auto sink = std::make_shared<SinkData>();
  PipelineGraph g;
  g.name = "pausable";
  g.nodes = {source_node("in", src), operator_node("pass", {"in"}, [] { return std::make_unique<PassThrough>(); }),
             sink_node("out", {"pass"}, sink)};
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return sink->written.load() > 10; }));
  REQUIRE(worker.pause("pausable"));
  REQUIRE(wait_until([&] { return worker.status("pausable")->state == State::Paused; }));
  std::this_thread::sleep_for(100ms);  // let in-flight batches land
  const size_t paused_at = src->polled.load();
  std::this_thread::sleep_for(200ms);
  CHECK(src->polled.load() == paused_at);
  CHECK(worker.ready());  // paused on request still counts as ready
  REQUIRE(worker.resume("pausable"));
  REQUIRE(wait_until([&] { return src->polled.load() > paused_at + 10; }));
  CHECK(worker.status("pausable")->state == State::Running);
  CHECK_FALSE(worker.pause("nope"));
  worker.stop();
}

TEST_CASE("a source whose driver fails to open is restarted with backoff, then FAILED", "[supervision]") {
  struct FailingOpen : VectorSource {
    using VectorSource::VectorSource;
    void open(const std::optional<std::string>&) override { throw std::runtime_error("broker unreachable"); }
  };
  auto src = keyed_input(1);
  auto sink = std::make_shared<SinkData>();
  PipelineGraph g;
  g.name = "no-broker";
  g.restart = RestartPolicy::exponential_delay(5ms, 20ms, 2.0, 0.0, 3600s);
  g.restart.attempts_before_reset = 3;
  auto source = source_node("in", src);
  source.make_source = [src] { return std::make_unique<FailingOpen>(src); };
  g.nodes = {source, operator_node("pass", {"in"}, [] { return std::make_unique<PassThrough>(); }),
             sink_node("out", {"pass"}, sink)};
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return worker.status("no-broker")->state == State::Failed; }, 10s));
  CHECK(worker.status("no-broker")->restarts == 3);
  CHECK_THAT(worker.status("no-broker")->trace, Catch::Contains("broker unreachable"));
  CHECK_FALSE(worker.status("no-broker")->sources_connected);
  CHECK_THROWS_AS(worker.add([&] {
    PipelineGraph dup;
    dup.name = "no-broker";
    dup.nodes = {source_node("in", src), sink_node("out", {"in"}, sink)};
    return dup;
  }()), PipelineExists);
  worker.stop();
}
