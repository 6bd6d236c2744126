// POST /pipelines names a body after the pipeline it defines, numbers only
// the bodies that need a generated name, and DELETE takes the pipeline's
// series out of /metrics.
#include <catch2/catch.hpp>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

const char* kFilterSql = R"(
CREATE TABLE src (id INT) WITH ('connector' = 'kafka', 'topic' = 'pizzas', 'properties.bootstrap.servers' = '',
  'value.format' = 'json', 'scan.startup.mode' = 'earliest-offset');
CREATE TABLE dst (id INT) WITH ('connector' = 'kafka', 'topic' = 'ids', 'properties.bootstrap.servers' = '',
  'value.format' = 'json');
INSERT INTO dst SELECT id FROM src WHERE id > 1;
)";

}  // namespace

TEST_CASE("REST: bodies are named after their pipeline, and DELETE removes its metric series", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("rest-lifecycle");
  BrokerProcess broker(dir, 2, {"pizzas"});
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {});
  const std::string base = worker.base_url();

  // YAML bodies use up no generated name...
  REQUIRE(http_post(base + "/pipelines", read_text(example("01-basic-filtering.yaml")), "application/yaml").first == 201);
  // ... and an error in one cites the name its `pipeline:` key gives.
  auto [bad_code, bad_body] = http_post(base + "/pipelines", "pipeline: mine\nsources: 12\n", "application/yaml");
  CHECK(bad_code == 400);
  CHECK(bad_body.find("mine.yaml:2:10: sources: expected a list") != std::string::npos);
  // The first unnamed SQL body is pipeline-1.
  auto [sql_code, sql_body] = http_post(base + "/pipelines", kFilterSql, "application/sql");
  INFO(sql_body);
  CHECK(sql_code == 201);
  CHECK(sql_body.find("\"name\": \"pipeline-1\"") != std::string::npos);

  generate(broker.bootstrap(), 0, 200, 400000);
  REQUIRE(wait_until_true(
      [&] { return metric_sum(http_get(base + "/metrics").second, "ananas_records_in_total", "pipeline=\"pipeline-1\"") > 0; },
      30s));
  const std::string before = http_get(base + "/metrics").second;
  CHECK(before.find("pipeline=\"01-basic-filtering\"") != std::string::npos);

  Result deleted = run({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE",
                        base + "/pipelines/pipeline-1"},
                       30s);
  CHECK(deleted.out == "204");
  const std::string after = http_get(base + "/metrics").second;
  CHECK(after.find("pipeline=\"pipeline-1\"") == std::string::npos);
  CHECK(after.find("pipeline=\"01-basic-filtering\"") != std::string::npos);

  // Added again under the name, its series are back.
  REQUIRE(http_post(base + "/pipelines", kFilterSql, "application/sql; name=pipeline-1").first == 201);
  CHECK(http_get(base + "/metrics").second.find("pipeline=\"pipeline-1\"") != std::string::npos);
}
