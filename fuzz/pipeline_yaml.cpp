// Fuzz target: the pipeline YAML loader (`ananas run|validate FILE.yaml`,
// POST /pipelines with YAML), then binding. Bad YAML must be an InputError
// with a location; YAML that loads must round-trip.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "pipelines/graph/built_pipeline.hpp"

using namespace ananas;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  pipeline::PipelineSet set;
  try {
    set = pipeline::load_pipelines_yaml(text, "fuzz.yaml");
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
