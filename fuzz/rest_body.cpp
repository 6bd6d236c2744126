// Fuzz target: a POST /pipelines body, through the translator the HTTP
// handler calls (rest_translator: the kind from the Content-Type or the text,
// loading, building, runtime graphs). The first byte picks the Content-Type.
// The handler answers 400 for InputError and std::invalid_argument; anything
// else thrown would be a 500, and a crash would take the worker down.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "actors/drivers/rest_translator.hpp"
#include "core/diagnostic.hpp"

using namespace ananas;

namespace {

const char* const kContentTypes[] = {
    "",
    "application/x-www-form-urlencoded",
    "application/yaml",
    "application/sql; name=fuzzed",
    "application/json",
    "text/plain; name=\"a b\"",
};

rt::PipelineTranslator& translator() {
  static rt::PipelineTranslator t = [] {
    rt::drivers::WorkerSettings settings;
    settings.bootstrap_servers = "127.0.0.1:9";
    return rt::drivers::make_pipeline_translator(std::make_shared<rt::Metrics>("fuzz"), settings);
  }();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size <= 1) return 0;  // the handler answers an empty body itself
  const std::string type = kContentTypes[data[0] % (sizeof kContentTypes / sizeof kContentTypes[0])];
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    (void)translator()(body, type);
  } catch (const InputError&) {
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
