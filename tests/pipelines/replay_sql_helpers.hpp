#pragma once
// A SQL script run offline (as `ananas replay` runs it: translate, build,
// LocalRunner) over in-memory records; the sink records it writes as text.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/replay/local_runner.hpp"
#include "pipelines/sql/planner.hpp"

namespace replay_test {

// One record of `topic` at `offset` with the JSON `payload`.
inline ananas::KcatRecord record(const std::string& topic, int64_t offset, const std::string& payload) {
  ananas::KcatRecord r;
  r.topic = topic;
  r.offset = offset;
  r.timestamp_ms = 0;
  r.payload = payload;
  return r;
}

// The values the single pipeline of `sql` writes ("null" for a tombstone), or
// with `with_keys` "key | value" (for upsert sinks).
inline std::vector<std::string> run_sql(const std::string& sql, const std::vector<ananas::KcatRecord>& input, bool with_keys = false) {
  using namespace ananas::pipeline;
  PipelineSet set = translate_sql({{"docs.sql", sql}}, "docs");
  REQUIRE(set.pipelines.size() == 1);
  BuiltPipeline built = build_pipeline(set.pipelines[0]);
  LocalRunner runner(built);
  runner.run(input);
  REQUIRE(runner.bad_records().empty());
  std::vector<std::string> out;
  for (const auto& o : runner.outputs()) {
    std::string value = o.value.value_or("null");
    out.push_back(with_keys ? o.key.value_or("null") + " | " + value : value);
  }
  return out;
}

}  // namespace replay_test
