// The YAML `settings: state_ttl` (Flink's table.exec.state.ttl): the operators
// that do not apply it are named in a warning at the setting.
#include <catch2/catch.hpp>

#include "pipelines/yaml/load.hpp"

using namespace ananas;
using namespace ananas::pipeline;

namespace {

std::string pipeline_with(const std::string& settings) {
  return "pipeline: p\n" + settings +
         "sources:\n"
         "  - name: src\n"
         "    connector: kafka\n"
         "    format: json\n"
         "    options:\n"
         "      topic: t\n"
         "    columns:\n"
         "      - {name: id, type: INT}\n"
         "      - {name: ts, type: TIMESTAMP(3)}\n"
         "    watermark: {column: ts, expression: ts - INTERVAL '1' SECOND}\n"
         "operators:\n"
         "  - name: latest\n"
         "    type: deduplicate\n"
         "    input: src\n"
         "    partition_by: [id]\n"
         "    order_by: ts\n"
         "    keep: last\n"
         "  - name: counts\n"
         "    type: group_aggregate\n"
         "    input: latest\n"
         "    keys: [id]\n"
         "    aggregates:\n"
         "      - {name: nr, function: COUNT}\n"
         "sinks:\n"
         "  - name: out\n"
         "    input: counts\n"
         "    connector: upsert-kafka\n"
         "    format: json\n"
         "    key_format: json\n"
         "    primary_key: [id]\n"
         "    options:\n"
         "      topic: o\n"
         "    columns:\n"
         "      - {name: id, type: INT}\n"
         "      - {name: nr, type: BIGINT}\n";
}

}  // namespace

TEST_CASE("settings: state_ttl warns about the operators that keep their state regardless", "[yaml][state_ttl]") {
  const PipelineSet set = load_pipelines_yaml(pipeline_with("settings: {state_ttl: 10min}\n"), "p.yaml");
  REQUIRE(set.warnings.size() == 1);
  CHECK(set.warnings[0].to_string() ==
        "p.yaml:2:12: warning: state_ttl '10min' is applied only by group_aggregate and the regular join; these operators of "
        "pipeline 'p' keep their state until it is deleted, where Flink would expire it: latest (deduplicate)");
  CHECK(load_pipelines_yaml(pipeline_with(""), "p.yaml").warnings.empty());
  CHECK(load_pipelines_yaml(pipeline_with("settings: {state_ttl: 0s}\n"), "p.yaml").warnings.empty());
}
