// Fuzz target: Flink SQL text -> pipeline model -> YAML (`ananas translate`),
// then binding (`ananas validate`). Bad SQL must be an InputError with a
// location; SQL that translates must round-trip through YAML.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/sql/planner.hpp"

using namespace ananas;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  pipeline::PipelineSet set;
  try {
    set = pipeline::translate_sql({{"fuzz.sql", text}}, "fuzz");
  } catch (const InputError&) {
    return 0;
  }
  fuzz::check_round_trip(set);
  for (const auto& p : set.pipelines) {
    try {
      (void)pipeline::build_pipeline(p);
    } catch (const InputError&) {
    }
  }
  return 0;
}
