// `ananas demo` needs nothing else: it prints live anomalies of the tutorial
// pipelines and the REST/metrics addresses, and stops after --duration with exit 0.
#include <catch2/catch.hpp>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

TEST_CASE("ananas demo runs the tutorial end to end and prints anomalies as they are written", "[e2e]") {
  ScratchDir dir("demo");
  Process demo({ananas_binary(), "demo", "--duration", "20s", "--rate", "300", "--http-port", "0"}, dir.file("out"),
               dir.file("err"));
  auto metrics = demo.wait_for_line("metrics: ", 30s);
  INFO("stderr:\n" << demo.err());
  REQUIRE(metrics);
  auto scrape = http_get(*metrics);  // the demo's worker serves metrics while it runs
  CHECK(scrape.first == 200);
  CHECK(scrape.second.find("ananas_records_in_total") != std::string::npos);
  auto code = demo.wait(60s);
  REQUIRE(code);
  CHECK(*code == 0);
  const std::string out = demo.out();
  INFO("stdout (first 2000 bytes):\n" << out.substr(0, 2000));
  CHECK(out.find("REST API: http://127.0.0.1:") != std::string::npos);
  CHECK(out.find("[01-basic-filtering] null -> {\"id\":") != std::string::npos);
  CHECK(out.find("[02-aggregating] {\"id\":") != std::string::npos);
  CHECK(out.find("[03-windowing] {\"topping\":") != std::string::npos);
}
