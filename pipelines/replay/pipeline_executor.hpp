#pragma once
// A built pipeline as the in-process executor runs it: `ananas replay/test`
// (LocalRunner) and the engine benchmark (BatchedRunner) both start here, so
// the node order and the wiring of sources, operators and sinks are decided
// once. Node indices: the sources, then the operators (already in topological
// order), then the sinks, each in its BuiltPipeline order; source i of the
// pipeline is executor node i.
#include <functional>
#include <memory>

#include "core/batch.hpp"
#include "dataflow/local_executor.hpp"
#include "pipelines/graph/built_pipeline.hpp"

namespace ananas::pipeline {

// What the caller does with a batch that reaches a sink (encode and keep,
// encode and count, ...).
using SinkWriter = std::function<void(const BuiltSink& sink, const BatchPtr& batch)>;

std::unique_ptr<dataflow::LocalExecutor> make_local_executor(const BuiltPipeline& pipeline, SinkWriter write);

}  // namespace ananas::pipeline
