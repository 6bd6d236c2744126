// `ananas reset`: a stopped pipeline's durable checkpoint is shown and kept
// unless the answer is yes, discarded with --yes (a tombstone in its
// checkpoints topic; the next start begins from the startup mode); a pipeline
// without one is reported; usage errors exit 2, broker failures 1.
#include <catch2/catch.hpp>

#include <signal.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

constexpr const char* kPipeline = "02-aggregating";
constexpr const char* kCheckpoints = "ananas-02-aggregating-checkpoints";

// The pipeline's last completed checkpoint id from its status, once it is
// past 0 (at most `timeout`; 0 if none came).
uint64_t wait_for_checkpoint(const std::string& base, Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto [code, body] = http_get(base + "/pipelines/" + kPipeline + "/status");
    if (code == 200) {
      const auto status = nlohmann::json::parse(body);
      if (status.contains("checkpoints")) {
        const uint64_t id = status["checkpoints"].value("last_completed", uint64_t{0});
        if (id > 0) return id;
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) return 0;
    std::this_thread::sleep_for(250ms);
  }
}

// The pipeline's records in its checkpoints topic, as kcat reads them.
std::vector<nlohmann::json> checkpoint_records(const std::string& bootstrap) {
  std::vector<nlohmann::json> out;
  for (auto& r : kcat_dump(bootstrap, kCheckpoints))
    if (r.value("key", nlohmann::json()) == kPipeline) out.push_back(std::move(r));
  return out;
}

// Waits (bounded) until the worker's stderr holds `text`.
bool stderr_shows(Process& p, const std::string& text, Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (p.err().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline || !p.running()) return p.err().find(text) != std::string::npos;
    std::this_thread::sleep_for(200ms);
  }
  return true;
}

}  // namespace

TEST_CASE("ananas reset keeps a checkpoint unless told yes, and --yes discards it", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("reset");
  BrokerProcess broker(dir, 3, {"pizzas", "pizza_stream_out_agg"});
  const std::string& b = broker.bootstrap();
  const std::string app = example("02-aggregating.json");
  generate(b, 0, 300, 0);

  uint64_t checkpoint = 0;
  {
    WorkerProcess worker(dir, "worker1", b, {app});
    checkpoint = wait_for_checkpoint(worker.base_url(), 30s);
    INFO("worker stderr:\n" << worker.process().err());
    REQUIRE(checkpoint > 0);
    REQUIRE(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
  }
  const auto stored = checkpoint_records(b);
  REQUIRE_FALSE(stored.empty());
  REQUIRE_FALSE(stored.back()["payload"].is_null());

  // "n" keeps it, after showing what a yes would discard.
  Result no = run({ananas_binary(), "reset", kPipeline, "--bootstrap-servers", b}, 60s, "n\n");
  INFO(no.out << no.err);
  CHECK(no.exit_code == 0);
  CHECK(no.out.find("pipeline '02-aggregating': checkpoint ") == 0);
  CHECK(std::regex_search(no.out, std::regex(R"(, completed \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z, )")));
  CHECK(no.out.find("  checkpoints topic: ananas-02-aggregating-checkpoints\n") != std::string::npos);
  CHECK(std::regex_search(no.out, std::regex(R"(  changelog topic: +ananas-02-aggregating-\S+-changelog \(operator ')")));
  CHECK(no.out.find("Discard it? [y/N] ") != std::string::npos);
  CHECK(no.out.find("kept checkpoint ") != std::string::npos);
  // End of input keeps it too.
  Result eof = run({ananas_binary(), "reset", kPipeline, "--bootstrap-servers", b}, 60s, "");
  CHECK(eof.exit_code == 0);
  CHECK(eof.out.find("kept checkpoint ") != std::string::npos);
  auto after_no = checkpoint_records(b);
  CHECK(after_no.size() == stored.size());
  CHECK(after_no.back() == stored.back());

  // --yes discards it, the pipeline named by its file as `ananas run` loads it.
  Result yes = run({ananas_binary(), "reset", "--yes", "--bootstrap-servers", b, app}, 60s);
  INFO(yes.out << yes.err);
  CHECK(yes.exit_code == 0);
  CHECK(yes.out.find("Discard it?") == std::string::npos);
  CHECK(std::regex_search(yes.out, std::regex("discarded checkpoint [0-9]+ of pipeline '02-aggregating'")));
  const auto after_yes = checkpoint_records(b);
  REQUIRE(after_yes.size() == stored.size() + 1);
  CHECK(after_yes.back()["payload"].is_null());  // the tombstone

  Result again = run({ananas_binary(), "reset", "--yes", "--bootstrap-servers", b, kPipeline}, 60s);
  CHECK(again.exit_code == 0);
  CHECK(again.out == "pipeline '02-aggregating' has no stored checkpoint\n");

  // The next start begins from the startup mode.
  {
    WorkerProcess worker(dir, "worker2", b, {app});
    INFO("worker stderr:\n" << worker.process().err());
    CHECK(stderr_shows(worker.process(), "pipeline '02-aggregating': no checkpoint stored", 30s));
    CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
  }

  // A pipeline that never ran; the brokers from the environment.
  Result unknown = run({ananas_binary(), "reset", "no-such-pipeline"}, 60s, "", {{"ANANAS_BOOTSTRAP_SERVERS", b}});
  INFO(unknown.err);
  CHECK(unknown.exit_code == 0);
  CHECK(unknown.out == "pipeline 'no-such-pipeline' has no stored checkpoint\n");
}

TEST_CASE("ananas reset: usage errors exit 2, a bad config or unreachable brokers exit 1", "[e2e]") {
  ScratchDir dir("reset-errors");
  Result none = run({ananas_binary(), "reset"}, 30s);
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("missing PIPELINE|FILE") != std::string::npos);

  Result no_brokers = run({ananas_binary(), "reset", "02-aggregating"}, 30s);
  CHECK(no_brokers.exit_code == 2);
  CHECK(no_brokers.err.find("no Kafka brokers") != std::string::npos);
  CHECK(no_brokers.err.find("--bootstrap-servers") != std::string::npos);

  Result option = run({ananas_binary(), "reset", "--yse", "p"}, 30s);
  CHECK(option.exit_code == 2);
  CHECK(option.err.find("did you mean '--yes'?") != std::string::npos);

  write_text(dir.file("worker.yaml"), "bootstrap.servers: 127.0.0.1:1\ncheckpoint.storage: disk\n");
  Result config = run({ananas_binary(), "reset", "--config", dir.file("worker.yaml"), "p"}, 30s);
  CHECK(config.exit_code == 1);
  CHECK(config.err.find(dir.file("worker.yaml") + ":2:21: checkpoint.storage:") != std::string::npos);

  write_text(dir.file("broken.yaml"), "pipeline: broken\nparallelism: many\n");
  Result file = run({ananas_binary(), "reset", "--bootstrap-servers", "127.0.0.1:1", dir.file("broken.yaml")}, 30s);
  CHECK(file.exit_code == 1);
  CHECK(file.err.find(dir.file("broken.yaml") + ":2:") != std::string::npos);

  // Nothing listens there: the storage gives up after its 10 s timeout.
  Result unreachable = run({ananas_binary(), "reset", "--bootstrap-servers", "127.0.0.1:1", "p"}, 60s);
  INFO(unreachable.err);
  CHECK(unreachable.exit_code == 1);
  CHECK(unreachable.err.find("ananas reset: pipeline 'p' (brokers 127.0.0.1:1): ") != std::string::npos);

  Result help = run({ananas_binary(), "reset", "--help"}, 30s);
  CHECK(help.exit_code == 0);
  for (const char* word : {"--yes", "--bootstrap-servers", "--config", "ANANAS_BOOTSTRAP_SERVERS", "Discard it? [y/N]",
                           "ananas-<pipeline>-checkpoints", "scan.startup.mode"})
    CHECK(help.out.find(word) != std::string::npos);
  CHECK(run({ananas_binary(), "--help"}, 30s).out.find("  reset ") != std::string::npos);
}
