// SIGTERM while the brokers are gone: the final checkpoint cannot complete,
// so each pipeline gives up after its drain timeout (10 s) and the command
// exits 0 without waiting further for Kafka calls to brokers that are gone
// (docs/running.md, "Signals and draining": at most 11 s).
#include <catch2/catch.hpp>

#include <signal.h>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

TEST_CASE("a worker whose broker is gone stops on SIGTERM within its drain timeout and exits 0", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("stop-no-broker");
  BrokerProcess broker(dir, 3, {"pizzas"});
  WorkerProcess worker(dir, "worker", broker.bootstrap(),
                       {example("01-basic-filtering.yaml"), example("02-aggregating.yaml"), example("03-windowing.yaml")});
  generate(broker.bootstrap(), 0, 300, 300000);
  // Every pipeline is running against the broker, with a checkpoint or two behind it.
  REQUIRE(wait_until_true(
      [&] { return metric_sum(http_get(worker.base_url() + "/metrics").second, "ananas_checkpoints_total",
                              "result=\"completed\"") >= 3; },
      60s));
  ::kill(broker.pid(), SIGKILL);
  std::this_thread::sleep_for(1s);

  // The bound the command keeps is 11 s; the wait allows for a loaded machine.
  const std::optional<int> code = worker.process().signal_and_wait(SIGTERM, 30s);
  const std::string err = worker.process().err();
  INFO("worker stderr:\n" << err);
  CHECK(code == 0);
  CHECK(err.find("stop timed out, offsets of the unfinished checkpoint were not committed") != std::string::npos);
}
