// The broker freezes for a while and comes back (SIGSTOP/SIGCONT of `ananas
// broker`: the development broker keeps its data only in memory, so it is
// frozen rather than restarted). /readyz turns not ready within seconds, the
// worker carries on without restarting its pipelines, and the outputs end
// exactly as the oracle computes them. A source topic that does not exist
// is waited for, with the reason in the pipeline's status, not crash-looped.
#include <catch2/catch.hpp>

#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "e2e_kafka.hpp"
#include "e2e_oracle.hpp"

using namespace ananas::e2e;

namespace {

// Polls /readyz until it answers `code`, at most `timeout`; true when it did.
bool wait_for_readyz(const std::string& base, int code, Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (http_get(base + "/readyz").first == code) return true;
    std::this_thread::sleep_for(250ms);
  }
  return false;
}

}  // namespace

TEST_CASE("a frozen broker makes the worker not ready, and after it thaws the outputs are complete", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("broker-freeze");
  const std::vector<std::string> outputs = {"pizza_stream_out_filter", "pizza_stream_out_agg"};
  BrokerProcess broker(dir, 3, {"pizzas", outputs[0], outputs[1]});
  const std::vector<std::string> apps = {example("01-basic-filtering.json"), example("02-aggregating.json")};
  WorkerProcess worker(dir, "worker", broker.bootstrap(), apps);
  auto producer = start_generate(dir, "generate", broker.bootstrap(), 200, 4000, 0);
  REQUIRE(wait_for_readyz(worker.base_url(), 200, 30s));

  std::this_thread::sleep_for(3s);
  REQUIRE(kill(broker.pid(), SIGSTOP) == 0);
  const auto frozen_at = std::chrono::steady_clock::now();
  const bool not_ready = wait_for_readyz(worker.base_url(), 503, 15s);
  const auto noticed_after = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - frozen_at);
  std::this_thread::sleep_until(frozen_at + 15s);
  REQUIRE(kill(broker.pid(), SIGCONT) == 0);
  INFO("not ready after " << noticed_after.count() << " ms of freeze");
  CHECK(not_ready);
  CHECK(wait_for_readyz(worker.base_url(), 200, 30s));

  REQUIRE(producer->wait(120s) == 0);
  wait_until_stable(broker.bootstrap(), outputs, 5s, 60s);
  for (const std::string name : {"01-basic-filtering", "02-aggregating"}) {
    auto status = nlohmann::json::parse(http_get(worker.base_url() + "/pipelines/" + name + "/status").second);
    INFO(status.dump(2));
    CHECK(status["restarts"] == 0);  // reconnected, no restart storm
    CHECK(status["pipeline"]["state"] == "RUNNING");
  }
  CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);

  kcat_dump(broker.bootstrap(), "pizzas", dir.file("pizzas.jsonl"));
  for (size_t i = 0; i < outputs.size(); ++i) {
    kcat_dump(broker.bootstrap(), outputs[i], dir.file(outputs[i] + ".jsonl"));
    std::string report;
    const int code = oracle_test(apps[i], dir.file("pizzas.jsonl"), dir.file(outputs[i] + ".jsonl"), report);
    INFO(apps[i] << ":\n" << report);
    CHECK(code == 0);
  }
}

TEST_CASE("a source topic that does not exist is waited for with a clear status, then read", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("missing-topic");
  BrokerProcess broker(dir, 3, {"pizza_stream_out_filter"}, {"pizzas"});
  const std::string app = example("01-basic-filtering.yaml");
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {app});
  const std::string status_url = worker.base_url() + "/pipelines/01-basic-filtering/status";
  nlohmann::json status;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    status = nlohmann::json::parse(http_get(status_url).second);
    if (status["sources"]["pizza_source"].contains("waiting_for")) break;
    std::this_thread::sleep_for(200ms);
  }
  INFO(status.dump(2) << "\nworker stderr:\n" << worker.process().err());
  REQUIRE(status["sources"]["pizza_source"].contains("waiting_for"));
  CHECK(status["sources"]["pizza_source"]["waiting_for"].get<std::string>().find("topic 'pizzas' not found") !=
        std::string::npos);
  std::this_thread::sleep_for(3s);  // waiting, not restarting
  status = nlohmann::json::parse(http_get(status_url).second);
  CHECK(status["pipeline"]["state"] == "RUNNING");
  CHECK(status["restarts"] == 0);
  CHECK(worker.process().err().find("source 'pizza_source': waiting: topic 'pizzas' not found") != std::string::npos);

  REQUIRE(kill(broker.pid(), SIGUSR1) == 0);  // the topic exists now
  auto producer = start_generate(dir, "generate", broker.bootstrap(), 0, 300, 0);
  REQUIRE(producer->wait(60s) == 0);
  wait_until_stable(broker.bootstrap(), {"pizza_stream_out_filter"}, 3s, 60s);
  status = nlohmann::json::parse(http_get(status_url).second);
  CHECK_FALSE(status["sources"]["pizza_source"].contains("waiting_for"));
  CHECK(status["restarts"] == 0);
  CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);

  std::string report;
  const int code = oracle_test_topics(dir, broker.bootstrap(), app, "pizzas", "pizza_stream_out_filter", report);
  INFO(report);
  CHECK(code == 0);
}
