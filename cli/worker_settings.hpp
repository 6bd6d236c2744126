#pragma once
// What the worker config (cli/worker_config.hpp, after the command line's
// overrides) gives every pipeline the worker runs: brokers, checkpoint
// interval and where checkpoints are kept. `ananas run` and `ananas reset`
// both take it from here, so reset looks where run writes.
#include "actors/drivers/worker_settings.hpp"
#include "cli/worker_config.hpp"

namespace ananas::cli {

rt::drivers::WorkerSettings worker_settings_of(const WorkerFileConfig& config);

// `source.instances: auto` (the default): one per scheduler thread
// (`threads`, else the CPU limit), at most 256, so that decoding, most of a
// pipeline's work, runs on every core. On 2 cores with the broker on the same
// machine, two instances made the filtering app 30 % faster than one at the
// same CPU per order, with both cores busy (docs/performance.md, "Both
// cores busy: one source instance per core").
int auto_source_instances(size_t scheduler_threads);

}  // namespace ananas::cli
