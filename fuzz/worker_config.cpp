// Fuzz target: the worker config file of `ananas run --config`. Anything
// must be a WorkerFileConfig or an InputError with a location.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/worker_config.hpp"
#include "core/diagnostic.hpp"

using namespace ananas;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)cli::load_worker_config_text(text, "fuzz-worker.yaml", {});
  } catch (const InputError&) {
  }
  return 0;
}
