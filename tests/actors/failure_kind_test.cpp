// Failures by kind: each actor role ends with its own FailureKind, and the
// supervisor counts it in the status board, in /metrics and in the REST status.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "actors/http_server.hpp"
#include "test_doubles.hpp"

using namespace ananas;
using namespace ananas::rt;
using namespace ananas::rt::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::shared_ptr<SourceData> numbered_input(size_t batches, std::chrono::milliseconds delay) {
  auto src = std::make_shared<SourceData>();
  for (size_t b = 0; b < batches; ++b)
    src->batches.push_back(make_batch({{static_cast<int64_t>(b % 3), static_cast<int64_t>(b)}}));
  src->delay = delay;
  return src;
}

// Throws from write() once `fail_at` batches were written.
class BrokenSink : public CollectSink {
 public:
  BrokenSink(std::shared_ptr<SinkData> d, size_t fail_at) : CollectSink(d), d_(std::move(d)), fail_at_(fail_at) {}
  uint64_t write(const BatchPtr& b) override {
    if (d_->written.load() >= fail_at_) throw std::runtime_error("disk full");
    return CollectSink::write(b);
  }

 private:
  std::shared_ptr<SinkData> d_;
  size_t fail_at_;
};

// A RunningSum whose restore always throws (a snapshot it cannot read).
class UnrestorableSum : public RunningSum {
 public:
  using RunningSum::RunningSum;

 protected:
  // The first step of every restore.
  void clear_state() override { throw std::runtime_error("unknown snapshot layout"); }
};

std::string metric_line(const std::string& exposition, const std::string& series) {
  const auto at = exposition.find(series + " ");
  if (at == std::string::npos) return {};
  return exposition.substr(at, exposition.find('\n', at) - at);
}

}  // namespace

TEST_CASE("an operator that throws is counted as operator_failed in status and metrics", "[failures]") {
  auto src = numbered_input(100000, 1ms);
  auto sink = std::make_shared<SinkData>();
  auto thrown = std::make_shared<std::atomic<int>>(0);
  PipelineGraph g;
  g.name = "op-fails";
  g.restart = RestartPolicy::fixed_delay(3, 10ms);
  g.nodes = {source_node("in", src),
             operator_node("sum", {"in"},
                           [thrown] {
                             return std::make_unique<RunningSum>([thrown](int64_t, int64_t v) {
                               if (v == 5 && thrown->fetch_add(1) == 0) throw std::runtime_error("poison row 5");
                             });
                           }),
             sink_node("out", {"sum"}, sink)};
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return worker.status("op-fails")->restarts == 1; }, 20s));
  const auto s = *worker.status("op-fails");
  REQUIRE(s.failure_kind);
  CHECK(*s.failure_kind == FailureKind::OperatorFailed);
  CHECK(s.failures_by_kind == std::map<FailureKind, uint64_t>{{FailureKind::OperatorFailed, 1}});
  // The trace is the human message alone; the kind is its own field.
  CHECK(s.trace == "sum: poison row 5");
  for (const auto& a : s.actors) {
    if (a.node == "sum") {
      REQUIRE(a.failure_kind);
      CHECK(*a.failure_kind == FailureKind::OperatorFailed);
      CHECK(a.trace == "poison row 5");
    } else {
      CHECK_FALSE(a.failure_kind);
    }
  }
  CHECK(metric_line(worker.metrics().serialize(),
                    R"(ananas_pipeline_failures_total{worker="ananas",kind="operator_failed",operator="sum",pipeline="op-fails"})") ==
        R"(ananas_pipeline_failures_total{worker="ananas",kind="operator_failed",operator="sum",pipeline="op-fails"} 1)");
  worker.stop();
}

TEST_CASE("a source that cannot open is counted as source_failed until the budget runs out", "[failures]") {
  struct FailingOpen : VectorSource {
    using VectorSource::VectorSource;
    void open(const std::optional<std::string>&) override { throw std::runtime_error("broker unreachable"); }
  };
  auto src = numbered_input(1, 0ms);
  auto sink = std::make_shared<SinkData>();
  PipelineGraph g;
  g.name = "src-fails";
  g.restart = RestartPolicy::fixed_delay(2, 5ms);
  auto source = source_node("in", src);
  source.make_source = [src] { return std::make_unique<FailingOpen>(src); };
  g.nodes = {source, sink_node("out", {"in"}, sink)};
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return worker.status("src-fails")->state == State::Failed; }, 10s));
  const auto s = *worker.status("src-fails");
  // Two restarts, then the third failure exhausts the budget.
  CHECK(s.failures_by_kind == std::map<FailureKind, uint64_t>{{FailureKind::SourceFailed, 3}});
  CHECK(s.trace == "in: broker unreachable");
  CHECK_THAT(worker.metrics().serialize(),
             Catch::Contains(R"(ananas_pipeline_failures_total{worker="ananas",kind="source_failed",operator="in",pipeline="src-fails"} 3)"));
  worker.stop();
}

TEST_CASE("a sink whose driver throws is counted as sink_failed", "[failures]") {
  auto src = numbered_input(100000, 1ms);
  auto sink = std::make_shared<SinkData>();
  PipelineGraph g;
  g.name = "sink-fails";
  g.restart = RestartPolicy::fixed_delay(1, 5ms);
  auto out = sink_node("out", {"in"}, sink);
  out.make_sink = [sink] { return std::make_unique<BrokenSink>(sink, 3); };
  g.nodes = {source_node("in", src), out};
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return worker.status("sink-fails")->state == State::Failed; }, 10s));
  const auto s = *worker.status("sink-fails");
  REQUIRE(s.failure_kind);
  CHECK(*s.failure_kind == FailureKind::SinkFailed);
  CHECK(s.failures_by_kind.at(FailureKind::SinkFailed) == 2);
  CHECK(s.trace == "out: disk full");
  worker.stop();
}

TEST_CASE("an operator that cannot restore its checkpoint is counted as restore_failed", "[failures]") {
  auto src = numbered_input(100000, 1ms);
  auto sink = std::make_shared<SinkData>();
  auto thrown = std::make_shared<std::atomic<int>>(0);
  PipelineGraph g;
  g.name = "restore-fails";
  g.restart = RestartPolicy::fixed_delay(2, 5ms);
  g.runtime.checkpoint_interval = 10ms;
  // Fails once, well after the first checkpoints completed; every restart then
  // has a snapshot to restore, and restoring it throws.
  g.nodes = {source_node("in", src),
             operator_node("sum", {"in"},
                           [thrown] {
                             return std::make_unique<UnrestorableSum>([thrown](int64_t, int64_t v) {
                               if (v == 60 && thrown->fetch_add(1) == 0) throw std::runtime_error("poison row 60");
                             });
                           }),
             sink_node("out", {"sum"}, sink)};
  Worker worker(test_worker_config());
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return worker.status("restore-fails")->state == State::Failed; }, 20s));
  const auto s = *worker.status("restore-fails");
  REQUIRE(s.last_checkpoint > 0);
  CHECK(s.failures_by_kind == std::map<FailureKind, uint64_t>{{FailureKind::OperatorFailed, 1},
                                                              {FailureKind::RestoreFailed, 2}});
  REQUIRE(s.failure_kind);
  CHECK(*s.failure_kind == FailureKind::RestoreFailed);
  // A restore failure is the operator's: its own status and series show it.
  CHECK(s.trace == "sum: cannot start: cannot restore: unknown snapshot layout");
  for (const auto& a : s.actors)
    if (a.node == "sum") {
      CHECK(a.failures == 3);
      REQUIRE(a.failure_kind);
      CHECK(*a.failure_kind == FailureKind::RestoreFailed);
    }
  CHECK_THAT(worker.metrics().serialize(),
             Catch::Contains(R"(ananas_pipeline_failures_total{worker="ananas",kind="restore_failed",operator="sum",pipeline="restore-fails"} 2)"));
  worker.stop();
}

TEST_CASE("GET /pipelines/{name}/status names the kind of the last failure and counts every kind", "[failures][http]") {
  Worker worker(test_worker_config());
  auto src = numbered_input(1, 0ms);
  auto sink = std::make_shared<SinkData>();
  PipelineGraph g;
  g.name = "broken";
  g.restart = RestartPolicy::none();
  g.nodes = {source_node("in", src),
             operator_node("boom", {"in"},
                           [] {
                             return std::make_unique<RunningSum>(
                                 [](int64_t, int64_t) { throw std::runtime_error("always fails"); });
                           }),
             sink_node("out", {"boom"}, sink)};
  worker.add(std::move(g));
  REQUIRE(wait_until([&] { return worker.status("broken")->state == State::Failed; }, 10s));

  auto translate = [](const std::string&, const std::string&) -> std::vector<PipelineGraph> { return {}; };
  HttpServer server(worker, translate, HttpOptions{"127.0.0.1", 0});
  const int port = server.start();
  REQUIRE(port > 0);
  httplib::Client http("127.0.0.1", port);
  http.set_connection_timeout(5);
  http.set_read_timeout(20);
  auto r = http.Get("/pipelines/broken/status");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const auto st = json::parse(r->body);
  CHECK(st["pipeline"]["state"] == "FAILED");
  CHECK(st["pipeline"]["failure_kind"] == "operator_failed");
  CHECK(st["pipeline"]["failures"] == json{{"operator_failed", 1}});
  for (const auto& a : st["actors"]) {
    if (a["node"] == "boom")
      CHECK(a["failure_kind"] == "operator_failed");
    else
      CHECK_FALSE(a.contains("failure_kind"));
  }
  server.stop();
  worker.stop();
}
