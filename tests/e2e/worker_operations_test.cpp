// Operating the worker: REST accepts a pipeline, /metrics shows it working, a
// malformed input record is counted while the worker keeps running, and
// SIGTERM drains and exits 0.
#include <catch2/catch.hpp>

#include <signal.h>

#include <thread>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

// Polls /metrics until `name` (filtered) reaches `at_least`, at most `timeout`.
double wait_for_metric(const std::string& base, const std::string& name, const std::string& filter, double at_least,
                       Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  double value = 0;
  for (;;) {
    value = metric_sum(http_get(base + "/metrics").second, name, filter);
    if (value >= at_least || std::chrono::steady_clock::now() >= deadline) return value;
    std::this_thread::sleep_for(250ms);
  }
}

}  // namespace

TEST_CASE("the worker takes pipelines over REST, counts bad records, exports metrics and drains on SIGTERM", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("operations");
  BrokerProcess broker(dir, 2, {"pizzas", "pizza_stream_out_filter", "pizza_stream_out_agg"});
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {example("02-aggregating.json")});
  const std::string base = worker.base_url();

  // The tutorial's application JSON as a REST body, named by the Content-Type.
  auto [code, body] = http_post(base + "/pipelines", read_text(example("01-basic-filtering.json")),
                                "application/json; name=filtering");
  INFO("POST /pipelines answered " << code << ": " << body);
  REQUIRE(code == 201);
  CHECK(body.find("\"filtering\"") != std::string::npos);
  // A broken body is refused with its location, and the worker stays up.
  auto [bad_code, bad_body] = http_post(base + "/pipelines", "pipeline: x\nsources: 12\n", "application/yaml");
  CHECK(bad_code == 400);
  CHECK(bad_body.find(":2:") != std::string::npos);

  generate(broker.bootstrap(), 0, 1500, 100000);
  CHECK(wait_for_metric(base, "ananas_records_in_total", "operator=\"pizza_source\",pipeline=\"filtering\"", 1500, 30s) ==
        1500);
  CHECK(wait_for_metric(base, "ananas_records_in_total", "pipeline=\"02-aggregating\"", 1, 30s) > 0);
  CHECK(wait_for_metric(base, "ananas_anomalies_emitted_total", "pipeline=\"filtering\"", 1, 30s) > 0);
  CHECK(wait_for_metric(base, "ananas_anomalies_emitted_total", "pipeline=\"02-aggregating\"", 1, 30s) > 0);

  // One record that is not JSON: counted for each pipeline reading pizzas, logged with its position, skipped.
  Result produced = run({"kcat", "-b", broker.bootstrap(), "-P", "-t", "pizzas", "-p", "1"}, 30s, "this is not json\n");
  REQUIRE(produced.exit_code == 0);
  CHECK(wait_for_metric(base, "ananas_bad_records_total", "pipeline=\"filtering\",topic=\"pizzas\"", 1, 30s) == 1);
  CHECK(wait_for_metric(base, "ananas_bad_records_total", "pipeline=\"02-aggregating\",topic=\"pizzas\"", 1, 30s) == 1);
  CHECK(worker.process().running());
  CHECK(http_get(base + "/healthz").first == 200);
  auto status = http_get(base + "/pipelines/filtering/status");
  CHECK(status.first == 200);
  CHECK(status.second.find("RUNNING") != std::string::npos);
  // Valid records after the bad one still flow.
  generate(broker.bootstrap(), 0, 100, 200000);
  CHECK(wait_for_metric(base, "ananas_records_in_total", "operator=\"pizza_source\",pipeline=\"filtering\"", 1600, 30s) ==
        1600);

  const auto stop_started = std::chrono::steady_clock::now();
  CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
  const std::string err = worker.process().err();
  INFO("worker stderr:\n" << err);
  CHECK(err.find("bad record pizzas/1@") != std::string::npos);
  CHECK(err.find("draining") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - stop_started < 20s);
}
