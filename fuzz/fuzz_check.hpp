#pragma once
// What the fuzz targets share: a failed property aborts with what was
// expected, so that libFuzzer records the input as a crash.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "pipelines/model.hpp"
#include "pipelines/yaml/emit.hpp"
#include "pipelines/yaml/load.hpp"

namespace ananas::fuzz {

[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz property failed: %s\n", what.c_str());
  std::abort();
}

inline void check(bool ok, const std::string& what) {
  if (!ok) fail(what);
}

// A model the translator or loader accepted must survive YAML: what is
// emitted loads again without error into the same model, and emitting that
// gives the same text (docs/pipeline-yaml.md; tests/pipelines/yaml_roundtrip_test.cpp).
inline void check_round_trip(const pipeline::PipelineSet& set) {
  const std::string once = pipeline::emit_pipelines_yaml(set);
  pipeline::PipelineSet reloaded;
  try {
    reloaded = pipeline::load_pipelines_yaml(once, "emitted.yaml");
  } catch (const InputError& e) {
    fail("the emitted YAML does not load: " + std::string(e.what()) + "\n" + once);
  }
  check(reloaded == set, "the emitted YAML loads into another model:\n" + once);
  check(pipeline::emit_pipelines_yaml(reloaded) == once, "emitting the reloaded model gives other text:\n" + once);
}

}  // namespace ananas::fuzz
