// The pipeline's on_error policy for malformed input records, with a real
// broker: dead-letter writes the record unchanged with error headers (read
// back with kcat -J), fail makes the pipeline fail with the record's position
// in its status. And a REST restart resumes from the last checkpoint's
// offsets instead of the table's startup mode.
#include <catch2/catch.hpp>

#include <signal.h>

#include <thread>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

// 01-basic-filtering.yaml under another name and error policy.
std::string filtering_with(const std::string& name, const std::string& header) {
  std::string yaml = read_text(example("01-basic-filtering.yaml"));
  const std::string old_header = "pipeline: 01-basic-filtering\nparallelism: 1\non_error: skip\n";
  REQUIRE(yaml.rfind(old_header, 0) == 0);
  return "pipeline: " + name + "\nparallelism: 1\n" + header + yaml.substr(old_header.size());
}

template <class Pred>
bool eventually(Pred pred, Millis timeout) {
  return wait_until_true(pred, timeout, 250ms);
}

}  // namespace

TEST_CASE("on_error dead-letter and fail, and a restart from the last checkpoint", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("policies");
  BrokerProcess broker(dir, 1, {"pizzas", "pizza_stream_out_filter", "pizzas_dlq"});
  write_text(dir.file("dlq.yaml"), filtering_with("dlq", "on_error: dead-letter\ndead_letter_topic: pizzas_dlq\n"));
  write_text(dir.file("failing.yaml"),
             filtering_with("failing", "restart: {strategy: fixed-delay, attempts: 2, delay: 100ms}\non_error: fail\n"));
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {dir.file("dlq.yaml"), dir.file("failing.yaml")});
  const std::string base = worker.base_url();
  INFO("worker stderr:\n" << worker.process().err());

  generate(broker.bootstrap(), 0, 200, 100000);
  REQUIRE(kcat_dump(broker.bootstrap(), "pizzas").size() == 200);
  Result bad = run({"kcat", "-b", broker.bootstrap(), "-P", "-t", "pizzas", "-K", "\t"}, 30s, "k1\t{\"id\": \"seven\"}\n");
  REQUIRE(bad.exit_code == 0);

  // dead-letter: the record itself, with where it came from and why.
  std::vector<nlohmann::json> dlq;
  CHECK(eventually([&] { return !(dlq = kcat_dump(broker.bootstrap(), "pizzas_dlq")).empty(); }, 30s));
  REQUIRE(dlq.size() == 1);
  CHECK(dlq[0]["key"] == "k1");
  CHECK(dlq[0]["payload"] == "{\"id\": \"seven\"}");
  const std::string headers = dlq[0]["headers"].dump();
  INFO("headers: " << headers);
  CHECK(headers.find("\"__ananas.errors.topic\",\"pizzas\"") != std::string::npos);
  CHECK(headers.find("\"__ananas.errors.partition\",\"0\"") != std::string::npos);
  CHECK(headers.find("\"__ananas.errors.offset\",\"200\"") != std::string::npos);
  CHECK(headers.find("\"__ananas.errors.pipeline\",\"dlq\"") != std::string::npos);
  CHECK(headers.find("__ananas.errors.exception.message") != std::string::npos);

  // fail: the pipeline fails on the record each time it restarts, then stays FAILED.
  std::string status;
  CHECK(eventually([&] { return (status = http_get(base + "/pipelines/failing/status").second).find("FAILED") != std::string::npos; },
                   30s));
  INFO("status: " << status);
  CHECK(status.find("pizzas/0@200") != std::string::npos);
  // The other pipeline is unaffected.
  CHECK(http_get(base + "/pipelines/dlq/status").second.find("RUNNING") != std::string::npos);

  // A restart resumes at the checkpoint's offsets: after a checkpoint has
  // covered all 201 records (1 s interval), restarting must not read them again.
  const std::string filter = "operator=\"pizza_source\",pipeline=\"dlq\"";
  auto source_rows = [&] { return metric_sum(http_get(base + "/metrics").second, "ananas_records_in_total", filter); };
  CHECK(eventually([&] { return source_rows() == 200; }, 30s));
  std::this_thread::sleep_for(2500ms);  // at least one more checkpoint after the last record
  CHECK(run({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-d", "", base + "/pipelines/dlq/restart"}, 20s).out ==
        "204");
  generate(broker.bootstrap(), 0, 50, 200000);
  CHECK(eventually([&] { return source_rows() >= 250; }, 30s));
  std::this_thread::sleep_for(1500ms);
  CHECK(source_rows() == 250);  // 200 + 50: nothing before the checkpoint was read twice
  CHECK(kcat_dump(broker.bootstrap(), "pizzas_dlq").size() == 1);

  CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
}
