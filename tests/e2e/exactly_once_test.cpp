// sink.delivery-guarantee = 'exactly-once': a checkpoint's output, changelog
// and checkpoint record go out in one Kafka transaction. What the development
// broker (librdkafka's mock) can show: the commit path, output written once
// across a graceful restart, metrics and status of the checkpoints, and the
// option checks. It does not hide aborted records from read_committed
// consumers, nor fence an older producer with the same transactional id;
// docs/reliability.md says what only a real broker shows.
#include <catch2/catch.hpp>

#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "e2e_kafka.hpp"
#include "e2e_oracle.hpp"

using namespace ananas::e2e;

namespace {

// 01-basic-filtering with its sink made exactly-once (plus `extra` sink options).
std::string exactly_once_filter(const ScratchDir& dir, const std::string& extra) {
  std::string yaml = read_text(example("01-basic-filtering.yaml"));
  const std::string anchor = "      topic: pizza_stream_out_filter\n";
  const size_t at = yaml.find(anchor);
  REQUIRE(at != std::string::npos);
  yaml.insert(at + anchor.size(), extra);
  const std::string path = dir.file("01-exactly-once.yaml");
  write_text(path, yaml);
  return path;
}

// The pipeline's status once its last completed checkpoint is past `after`, at most `timeout`.
nlohmann::json wait_for_checkpoint(const std::string& base, const std::string& pipeline, uint64_t after,
                                   Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  nlohmann::json status;
  for (;;) {
    auto [code, body] = http_get(base + "/pipelines/" + pipeline + "/status");
    if (code == 200) status = nlohmann::json::parse(body);
    if ((status.contains("checkpoints") && status["checkpoints"].value("last_completed", uint64_t{0}) > after) ||
        std::chrono::steady_clock::now() >= deadline)
      return status;
    std::this_thread::sleep_for(250ms);
  }
}

}  // namespace

TEST_CASE("an exactly-once sink writes each row once across a graceful restart, in committed transactions", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("exactly-once");
  BrokerProcess broker(dir, 3, {"pizzas", "pizza_stream_out_filter"});
  const std::string app = exactly_once_filter(
      dir, "      sink.delivery-guarantee: exactly-once\n      sink.transactional-id-prefix: eo-test\n");

  generate(broker.bootstrap(), 0, 1500, 0);
  {
    WorkerProcess first(dir, "worker1", broker.bootstrap(), {app});
    auto status = wait_for_checkpoint(first.base_url(), "01-basic-filtering", 0, 30s);
    INFO(status.dump(2));
    REQUIRE(status["checkpoints"]["storage"] == "kafka");
    REQUIRE(status["checkpoints"]["last_completed"].get<uint64_t>() > 0);
    CHECK(metric_sum(http_get(first.base_url() + "/metrics").second, "ananas_checkpoints_total",
                     "result=\"completed\"") > 0);
    REQUIRE(first.process().signal_and_wait(SIGTERM, 30s) == 0);
  }
  const size_t after_first = kcat_dump(broker.bootstrap(), "pizza_stream_out_filter").size();
  CHECK(after_first > 0);

  WorkerProcess second(dir, "worker2", broker.bootstrap(), {app});
  generate(broker.bootstrap(), 0, 1000, 1500);
  auto counts = wait_until_stable(broker.bootstrap(), {"pizza_stream_out_filter"}, 4s, 60s);
  CHECK(counts[0] > after_first);
  REQUIRE(second.process().signal_and_wait(SIGTERM, 30s) == 0);
  INFO("worker 2 stderr:\n" << second.process().err());
  CHECK(second.process().err().find("resuming from checkpoint") != std::string::npos);

  // Exactly the oracle's rows: nothing re-sent after the restart, nothing lost.
  std::string report;
  const int code = oracle_test_topics(dir, broker.bootstrap(), app, "pizzas", "pizza_stream_out_filter", report);
  INFO(report);
  CHECK(code == 0);
}

TEST_CASE("exactly-once needs a transactional-id prefix, as in Flink", "[e2e]") {
  ScratchDir dir("exactly-once-options");
  const std::string app = exactly_once_filter(dir, "      sink.delivery-guarantee: exactly-once\n");
  Result r = run({ananas_binary(), "validate", app}, 30s);
  INFO(r.out << r.err);
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("sink.transactional-id-prefix") != std::string::npos);
  CHECK(r.err.find("01-exactly-once.yaml:") != std::string::npos);

  const std::string unknown = exactly_once_filter(dir, "      sink.delivery-guarantee: twice\n");
  r = run({ananas_binary(), "validate", unknown}, 30s);
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("'twice' is not one of") != std::string::npos);
}
