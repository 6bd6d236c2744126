// A row an operator cannot process is counted per operator in
// ananas_row_errors_total, not as a fake topic of ananas_bad_records_total.
#include <catch2/catch.hpp>

#include "actors/drivers/worker_pipelines.hpp"
#include "core/batch.hpp"

using namespace ananas;

TEST_CASE("the worker counts an operator's failing rows in ananas_row_errors_total{pipeline,operator}", "[metrics]") {
  const std::string sql = R"(
CREATE TABLE src (id INT, name STRING) WITH ('connector' = 'kafka', 'topic' = 'in',
  'properties.bootstrap.servers' = '127.0.0.1:1', 'value.format' = 'json');
CREATE TABLE dst (id INT, n INT) WITH ('connector' = 'kafka', 'topic' = 'out',
  'properties.bootstrap.servers' = '127.0.0.1:1', 'value.format' = 'json');
INSERT INTO dst SELECT id, CAST(name AS INT) FROM src;
)";
  auto metrics = std::make_shared<rt::Metrics>();
  auto loaded = rt::drivers::load_worker_pipelines({pipeline::InputFile{"casts.sql", pipeline::InputKind::Sql, sql}},
                                                   metrics);
  REQUIRE(loaded->built.size() == 1);
  const pipeline::BuiltPipeline& built = loaded->built[0];
  REQUIRE_FALSE(built.operators.empty());

  // One row through the operator chain (topological order, a single path here).
  auto input = std::make_shared<Batch>(2);
  Value* row = input->append_row();
  row[0] = Value::integer(1);
  row[1] = Value::string(input->arena().copy("not a number"));
  std::vector<BatchPtr> batches{input};
  std::string failed_at;
  for (const pipeline::BuiltOperator& node : built.operators) {
    auto op = node.make();
    std::vector<BatchPtr> out;
    for (const BatchPtr& b : batches) op->process(b, out);
    if (!batches.empty() && out.empty() && failed_at.empty()) failed_at = node.name;
    batches = std::move(out);
  }
  CHECK(batches.empty());  // skipped: the pipeline's on_error defaults to skip
  REQUIRE_FALSE(failed_at.empty());

  const std::string exposition = metrics->serialize();
  INFO(exposition);
  const std::string series = "ananas_row_errors_total{worker=\"ananas\",operator=\"" + failed_at + "\",pipeline=\"" +
                             built.model->name + "\"} 1";
  CHECK(exposition.find(series) != std::string::npos);
  CHECK(exposition.find("topic=\"operator ") == std::string::npos);
}
