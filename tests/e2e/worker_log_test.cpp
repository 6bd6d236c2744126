// `ananas run`'s log: --log-format json (log.format, ANANAS_LOG_FORMAT) gives
// one JSON object per stderr line with time, level, pipeline and message, for
// log collectors; --log-level (log.level) drops the less severe lines.
#include <catch2/catch.hpp>

#include <signal.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

TEST_CASE("ananas run with log.format json writes one JSON object per stderr line", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("log-json");
  BrokerProcess broker(dir, 2, {"pizzas", "pizza_stream_out_filter"});
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {example("01-basic-filtering.yaml")},
                       {{"ANANAS_LOG_FORMAT", "json"}, {"ANANAS_LOG_LEVEL", "debug"}});
  generate(broker.bootstrap(), 0, 50, 500000);
  REQUIRE(wait_until_true(
      [&] { return metric_sum(http_get(worker.base_url() + "/metrics").second, "ananas_anomalies_emitted_total", "") > 0; },
      60s));
  REQUIRE(worker.process().signal_and_wait(SIGTERM, 30s) == 0);

  const std::string err = worker.process().err();
  INFO("worker stderr:\n" << err);
  std::istringstream lines(err);
  int about_pipeline = 0, drained = 0, n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    INFO("line: " << line);
    const auto j = nlohmann::json::parse(line);  // throws (fails) on anything but JSON
    REQUIRE(j.is_object());
    CHECK(j.size() == 4);
    CHECK(j["time"].get<std::string>().size() == 24);  // 2026-12-05T20:30:00.123Z
    CHECK(j["time"].get<std::string>().back() == 'Z');
    const std::string level = j["level"];
    CHECK((level == "error" || level == "warn" || level == "info" || level == "debug"));
    CHECK((j["pipeline"].is_null() || j["pipeline"].is_string()));
    CHECK(j["message"].is_string());
    if (j["pipeline"] == "01-basic-filtering") ++about_pipeline;
    if (j["message"].get<std::string>().find("draining") != std::string::npos && level == "info") ++drained;
  }
  CHECK(n >= 3);
  CHECK(about_pipeline >= 1);  // e.g. "no checkpoint stored, starting from the sources' startup modes"
  CHECK(drained == 1);
}

TEST_CASE("ananas run with log.level warn prints no info lines, and a bad --log-level is a usage error", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("log-level");
  BrokerProcess broker(dir, 2, {"pizzas", "pizza_stream_out_filter"});
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {example("01-basic-filtering.yaml")},
                       {{"ANANAS_LOG_LEVEL", "warn"}});
  REQUIRE(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
  const std::string err = worker.process().err();
  INFO("worker stderr:\n" << err);
  CHECK(err.find("draining") == std::string::npos);
  CHECK(err.find("no checkpoint stored") == std::string::npos);

  Result r = run({ananas_binary(), "run", "--log-level", "loud"}, 30s);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--log-level: expected error, warn, info or debug, got 'loud'"));
  r = run({ananas_binary(), "run", "--log-format", "xml"}, 30s);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--log-format: expected text or json, got 'xml'"));
}
