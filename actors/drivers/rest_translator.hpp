#pragma once
// The HTTP server's POST /pipelines translator for the real worker: a body of
// pipeline YAML, Flink SQL or application JSON goes through the same loading
// and graph building as files given to `ananas run`.
#include <memory>

#include "actors/drivers/worker_settings.hpp"
#include "actors/http_server.hpp"
#include "actors/metrics.hpp"

namespace ananas::rt::drivers {

// SQL and JSON bodies are named by a `name=` Content-Type parameter
// (`Content-Type: application/sql; name=windowing`), else `pipeline-<n>`,
// numbered over the bodies that needed a generated name.
// Warnings (the tutorial's leniencies) go to stderr.
PipelineTranslator make_pipeline_translator(std::shared_ptr<Metrics> metrics, WorkerSettings settings);

}  // namespace ananas::rt::drivers
