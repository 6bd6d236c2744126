// A partition without data holds a source's watermark back (as in Flink), so
// window and trend pipelines write nothing. The worker says so: which
// partition and since when in the pipeline's status, a metric, and one log
// line naming Flink's remedy, the idle timeout.
#include <catch2/catch.hpp>

#include <signal.h>

#include <set>

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

// The README's path as a new user runs it: no topic created beforehand, so
// `pizzas` is auto-created by the generator with the broker's --partitions;
// the generator keys by 6 shops, so of 8 partitions at least 2 stay empty.
// (Only the output topic is created beforehand, so that kcat can read it
// while it is still empty.)
// The windowing app says which partitions hold it back; the same app with
// Flink's table option 'scan.watermark.idle-timeout' writes its windows.
TEST_CASE("the README path: auto-created topics take --partitions and the idle timeout lets windows fire", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  constexpr int kPartitions = 8;
  ScratchDir dir("readme-path");
  BrokerProcess broker(dir, kPartitions, {"pizza_stream_out_agg_windows"});  // read before anything is written
  const std::string& b = broker.bootstrap();
  auto generator = start_generate(dir, "generate", b, 150, 15000, 1);  // ~100 s at most; killed at the end
  REQUIRE(wait_until_true([&] { return topic_partitions(b).count("pizzas") > 0; }, 20s, 200ms));
  CHECK(topic_partitions(b)["pizzas"] == kPartitions);

  std::set<int> held_partitions;
  {
    WorkerProcess worker(dir, "held", b, {example("03-windowing.yaml")});
    const std::string status_url = worker.base_url() + "/pipelines/03-windowing/status";
    nlohmann::json source;
    const bool named = wait_until_true(
        [&] {
          source = nlohmann::json::parse(http_get(status_url).second)["sources"]["pizza_source"];
          return source.contains("watermark_held_by") && source["watermark_held_by"].size() >= 2;
        },
        60s, 500ms);
    INFO(source.dump(2) << "\nworker stderr:\n" << worker.process().err());
    REQUIRE(named);
    for (const auto& h : source["watermark_held_by"]) {
      CHECK(h["topic"] == "pizzas");
      held_partitions.insert(h["partition"].get<int>());
    }
    // The named partitions are the empty ones.
    const auto offsets = partition_offsets(b, "pizzas", kPartitions);
    for (int p : held_partitions) CHECK(offsets.at(static_cast<size_t>(p)).next == 0);
    CHECK(metric_sum(http_get(worker.base_url() + "/metrics").second, "ananas_source_watermark_held_partitions",
                     "pipeline=\"03-windowing\",source=\"pizza_source\"") == static_cast<double>(held_partitions.size()));
    CHECK(kcat_dump(b, "pizza_stream_out_agg_windows").empty());
    const std::string err = worker.process().err();
    // One line, not one per batch, naming the partitions and both remedies.
    size_t lines = 0;
    for (size_t at = err.find("the watermark back while"); at != std::string::npos; at = err.find("the watermark back while", at + 1))
      ++lines;
    CHECK(lines == 1);
    CHECK(err.find("source 'pizza_source': pizzas[") != std::string::npos);
    CHECK(err.find("'scan.watermark.idle-timeout'") != std::string::npos);
    CHECK(err.find("'table.exec.source.idle-timeout'") != std::string::npos);
    CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
  }

  // The tutorial's application JSON with the idle timeout in the table's WITH clause.
  std::string app = read_text(example("03-windowing.json"));
  const std::string topic_option = "'topic' = 'pizzas',";
  REQUIRE(app.find(topic_option) != std::string::npos);
  app.replace(app.find(topic_option), topic_option.size(), topic_option + " 'scan.watermark.idle-timeout' = '2 s',");
  write_text(dir.file("03-windowing-idle.json"), app);
  WorkerProcess worker(dir, "idle", b, {dir.file("03-windowing-idle.json")});
  const bool fired = wait_until_true([&] { return !kcat_dump(b, "pizza_stream_out_agg_windows").empty(); }, 60s, 1s);
  INFO("worker stderr:\n" << worker.process().err());
  CHECK(fired);
  // Idle partitions no longer hold it back, so none is named.
  const auto source = nlohmann::json::parse(http_get(worker.base_url() + "/pipelines/03-windowing-idle/status").second)
                          ["sources"]["pizza_source"];
  INFO(source.dump(2));
  CHECK_FALSE(source.contains("watermark_held_by"));
  CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
  generator->kill_now();
}
