// The worker config's checkpoint keys reach the running pipelines:
// checkpoint.interval 0s takes only the final checkpoint on stop, and
// checkpoint.storage memory writes nothing to Kafka.
#include <catch2/catch.hpp>

#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

// `ananas run --config worker.yaml 02-aggregating.json` with `env`; the base URL once it serves.
std::string start_worker(std::unique_ptr<Process>& p, const ScratchDir& dir, const std::string& tag,
                         const std::map<std::string, std::string>& env) {
  p = std::make_unique<Process>(
      std::vector<std::string>{ananas_binary(), "run", "--config", dir.file("worker.yaml"), example("02-aggregating.json")},
      dir.file(tag + ".out"), dir.file(tag + ".err"), env);
  auto m = p->wait_for_line("metrics: ", 30s);
  if (!m) throw std::runtime_error("ananas run printed no metrics address; stderr:\n" + p->err());
  return m->substr(0, m->rfind("/metrics"));
}

// Waits (bounded) until the pipeline has read `count` records; its status then.
nlohmann::json status_after_reading(const std::string& base, double count) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (metric_sum(http_get(base + "/metrics").second, "ananas_records_in_total",
                    "operator=\"pizza_source\",pipeline=\"02-aggregating\"") < count &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(250ms);
  auto [code, body] = http_get(base + "/pipelines/02-aggregating/status");
  REQUIRE(code == 200);
  return nlohmann::json::parse(body);
}

size_t checkpoint_records(const std::string& bootstrap) {
  size_t n = 0;
  for (const auto& r : kcat_dump(bootstrap, "ananas-02-aggregating-checkpoints"))
    if (r.value("key", nlohmann::json()) == "02-aggregating") ++n;
  return n;
}

}  // namespace

TEST_CASE("checkpoint.interval and checkpoint.storage from the worker config reach the pipelines", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("checkpoint-config");
  BrokerProcess broker(dir, 3, {"pizzas", "pizza_stream_out_agg"});
  write_text(dir.file("worker.yaml"), "bootstrap.servers: " + broker.bootstrap() + "\nhttp.port: 0\n");
  generate(broker.bootstrap(), 0, 300, 0);

  // 0s (from the environment): no periodic checkpoint, one final checkpoint on stop.
  {
    std::unique_ptr<Process> worker;
    const std::string base = start_worker(worker, dir, "interval", {{"ANANAS_CHECKPOINT_INTERVAL", "0s"}});
    status_after_reading(base, 300);
    // Longer than the default interval (2 s): had the key not arrived, a
    // periodic checkpoint would show now.
    std::this_thread::sleep_for(3s);
    const auto status = status_after_reading(base, 300);
    INFO(status.dump(2) << "\nstderr:\n" << worker->err());
    CHECK(status["checkpoints"]["storage"] == "kafka");
    CHECK(status["checkpoints"]["last_completed"] == 0);
    REQUIRE(worker->signal_and_wait(SIGTERM, 30s) == 0);
  }
  CHECK(checkpoint_records(broker.bootstrap()) == 1);

  // memory: the stored checkpoint is neither read nor written.
  write_text(dir.file("worker.yaml"), "bootstrap.servers: " + broker.bootstrap() +
                                          "\nhttp.port: 0\ncheckpoint.storage: memory\ncheckpoint.interval: 100ms\n");
  {
    std::unique_ptr<Process> worker;
    const std::string base = start_worker(worker, dir, "memory", {});
    const auto status = status_after_reading(base, 300);
    INFO(status.dump(2) << "\nstderr:\n" << worker->err());
    CHECK(status["checkpoints"]["storage"] == "memory");
    REQUIRE(worker->signal_and_wait(SIGTERM, 30s) == 0);
    CHECK(worker->err().find("resuming from checkpoint") == std::string::npos);
  }
  CHECK(checkpoint_records(broker.bootstrap()) == 1);
}
