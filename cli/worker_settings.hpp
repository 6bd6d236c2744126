#pragma once
// What the worker config (cli/worker_config.hpp, after the command line's
// overrides) gives every pipeline the worker runs: brokers, checkpoint
// interval and where checkpoints are kept. `ananas run` and `ananas reset`
// both take it from here, so reset looks where run writes.
#include "actors/drivers/worker_settings.hpp"
#include "cli/worker_config.hpp"

namespace ananas::cli {

rt::drivers::WorkerSettings worker_settings_of(const WorkerFileConfig& config);

}  // namespace ananas::cli
