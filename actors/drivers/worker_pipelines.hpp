#pragma once
// Pipelines as the worker runs them: loaded (YAML, SQL, application JSON),
// built, and turned into runtime graphs whose factories create connector
// drivers. The same path serves `ananas run FILES`, `ananas demo` and the
// REST API's POST /pipelines, so what one accepts the others accept.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/drivers/pipeline_dead_letters.hpp"
#include "actors/drivers/worker_settings.hpp"
#include "actors/metrics.hpp"
#include "actors/pipeline_graph.hpp"
#include "pipelines/bootstrap_servers.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/input_files.hpp"
#include "pipelines/model.hpp"

namespace ananas::rt::drivers {

// The models and what was built from them. Graph factories hold a shared
// pointer into it, so a running pipeline keeps its model alive.
struct WorkerPipelines {
  std::vector<pipeline::PipelineSet> sets;
  std::vector<pipeline::BuiltPipeline> built;
  // Per built pipeline (same index): its dead-letter topic, shared by its
  // sources, operators and sinks; null unless on_error is dead-letter.
  std::vector<std::shared_ptr<PipelineDeadLetters>> dead_letters;
  Warnings warnings;
};

// Loads and builds every pipeline of `inputs`. Rows an operator cannot
// process are logged to stderr and counted in ananas_row_errors_total
// (labels pipeline, operator); with `on_error: fail` they fail the
// pipeline (the supervisor restarts it), with `on_error: dead-letter` the
// source record each was decoded from goes to the dead-letter topic (a row
// computed from operator state has none: it is skipped and counted in
// ananas_row_errors_not_dead_lettered_total). Throws InputError for the first
// problem, including two pipelines with the same name.
std::shared_ptr<WorkerPipelines> load_worker_pipelines(const std::vector<pipeline::InputFile>& inputs,
                                                       std::shared_ptr<Metrics> metrics);

// The runtime graph of one built pipeline: the model's parallelism, keys and
// restart policy; connector options with bootstrap servers resolved against
// `settings`. Checks what can be checked before anything connects (connector
// names, the Kafka startup options) and throws InputError at the table's
// location. `built` must point into something that keeps its model alive;
// `dead_letters` is its entry of WorkerPipelines::dead_letters.
PipelineGraph to_pipeline_graph(std::shared_ptr<const pipeline::BuiltPipeline> built, const WorkerSettings& settings,
                                std::shared_ptr<PipelineDeadLetters> dead_letters);

// The graphs the worker runs for one built pipeline: the one above, or, in a
// worker group with exchanges on (WorkerSettings::exchanges) and a keyed
// operator after sources the group splits, its scan and keyed parts
// (exchange_split.hpp).
std::vector<PipelineGraph> to_worker_graphs(std::shared_ptr<const pipeline::BuiltPipeline> built,
                                            const WorkerSettings& settings,
                                            std::shared_ptr<PipelineDeadLetters> dead_letters);

// Every pipeline of `loaded`, in file order (a split one as its two parts).
std::vector<PipelineGraph> to_pipeline_graphs(const std::shared_ptr<const WorkerPipelines>& loaded,
                                              const WorkerSettings& settings);

// The runtime's restart policy for the model's (absent: Flink's default,
// exponential-delay).
RestartPolicy restart_policy_of(const pipeline::Pipeline& p);

// True when every comma-separated entry looks like host:port (see
// pipelines/bootstrap_servers.hpp).
using pipeline::looks_like_broker_addresses;

// A POST /pipelines body as an input file: the kind from the Content-Type
// (yaml, sql, json) or, without one, from the text. The file is named after
// the pipeline, so that an error in the body cites it: for YAML the body's
// first `pipeline:` key ("body" when it has none), for SQL and JSON a `name=`
// Content-Type parameter, else `generated_name()` (called only then).
pipeline::InputFile request_body_input(const std::string& body, const std::string& content_type,
                                       const std::function<std::string()>& generated_name);

}  // namespace ananas::rt::drivers
