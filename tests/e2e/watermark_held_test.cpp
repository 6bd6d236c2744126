// A partition without data holds a source's watermark back (as in Flink), so
// window and trend pipelines write nothing. The worker says so: which
// partition and since when in the pipeline's status, a metric, and one log
// line naming Flink's remedy, the idle timeout.
#include <catch2/catch.hpp>

#include <signal.h>

#include <nlohmann/json.hpp>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

TEST_CASE("a silent partition holding the watermark back is named in status, metrics and the log", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("watermark-held");
  BrokerProcess broker(dir, 3, {"pizzas", "pizza_stream_out_agg_windows"});
  const std::string& b = broker.bootstrap();
  // Orders into partitions 0 and 1 only; partition 2 stays empty.
  const Result gen = run({ananas_binary(), "generate", "--output", dir.file("orders.kv"), "--count", "40"}, 30s);
  REQUIRE(gen.exit_code == 0);
  const auto lines = lines_of(read_text(dir.file("orders.kv")));
  for (int p = 0; p < 2; ++p) {
    std::string values;
    for (size_t i = static_cast<size_t>(p); i < lines.size(); i += 2) values += lines[i].substr(lines[i].find('\t') + 1) + "\n";
    const Result produced = run({"kcat", "-P", "-b", b, "-t", "pizzas", "-p", std::to_string(p)}, 30s, values);
    REQUIRE(produced.exit_code == 0);
  }

  WorkerProcess worker(dir, "worker", b, {example("03-windowing.yaml")});
  const std::string status_url = worker.base_url() + "/pipelines/03-windowing/status";
  nlohmann::json source;
  const bool named = wait_until_true(
      [&] {
        source = nlohmann::json::parse(http_get(status_url).second)["sources"]["pizza_source"];
        return source.contains("watermark_held_by");
      },
      40s, 500ms);
  INFO(source.dump(2) << "\nworker stderr:\n" << worker.process().err());
  REQUIRE(named);
  REQUIRE(source["watermark_held_by"].size() == 1);
  CHECK(source["watermark_held_by"][0]["topic"] == "pizzas");
  CHECK(source["watermark_held_by"][0]["partition"] == 2);
  CHECK(source["watermark_held_by"][0]["quiet_since_ms"].get<int64_t>() > 0);
  CHECK(metric_sum(http_get(worker.base_url() + "/metrics").second, "ananas_source_watermark_held_partitions",
                   "pipeline=\"03-windowing\",source=\"pizza_source\"") == 1);
  const std::string err = worker.process().err();
  CHECK(err.find("source 'pizza_source': pizzas[2] (no record for") != std::string::npos);
  CHECK(err.find("'table.exec.source.idle-timeout'") != std::string::npos);
  CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
}
