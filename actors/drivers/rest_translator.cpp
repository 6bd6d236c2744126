#include "actors/drivers/rest_translator.hpp"
#include "core/log.hpp"

#include <atomic>
#include <iostream>

#include "actors/drivers/worker_pipelines.hpp"

namespace ananas::rt::drivers {

PipelineTranslator make_pipeline_translator(std::shared_ptr<Metrics> metrics, WorkerSettings settings) {
  auto counter = std::make_shared<std::atomic<int>>(0);
  return [metrics, settings, counter](const std::string& body, const std::string& content_type) {
    // Numbered only when a body needs a generated name (unnamed SQL or JSON).
    auto generated = [counter] { return "pipeline-" + std::to_string(++*counter); };
    auto loaded = load_worker_pipelines({request_body_input(body, content_type, generated)}, metrics);
    for (const auto& w : loaded->warnings) log::warn("", w.to_string());
    return to_pipeline_graphs(loaded, settings);
  };
}

}  // namespace ananas::rt::drivers
