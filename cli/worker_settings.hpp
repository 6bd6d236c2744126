#pragma once
// What the worker config (cli/worker_config.hpp, after the command line's
// overrides) gives every pipeline the worker runs: brokers, checkpoint
// interval and where checkpoints are kept. `ananas run` and `ananas reset`
// both take it from here, so reset looks where run writes.
#include "actors/drivers/worker_settings.hpp"
#include "cli/worker_config.hpp"

namespace ananas::cli {

rt::drivers::WorkerSettings worker_settings_of(const WorkerFileConfig& config);

// `source.instances: auto` (the default): one per scheduler thread (`threads`,
// else the CPU limit) but one, at least one. The one left is for what runs
// after the sources (operators, sinks, librdkafka's own threads): on 2 cores,
// with the broker on the same machine, one instance was measured faster and
// cheaper per order than two (docs/performance.md, "Source instances").
int auto_source_instances(size_t scheduler_threads);

}  // namespace ananas::cli
