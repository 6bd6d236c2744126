#include "cli/worker_settings.hpp"

#include <algorithm>

#include "actors/worker.hpp"

namespace ananas::cli {

rt::drivers::WorkerSettings worker_settings_of(const WorkerFileConfig& config) {
  rt::drivers::WorkerSettings s;
  s.bootstrap_servers = config.bootstrap_servers;
  // Unset: the runtime's default interval. A pipeline's own setting still wins
  // (rt::drivers::to_pipeline_graph applies it over this one).
  if (config.checkpoint_interval_ms) s.runtime.checkpoint_interval = rt::Millis(*config.checkpoint_interval_ms);
  s.durable_checkpoints = config.durable_checkpoints;
  s.changelog_partitions = config.changelog_partitions;
  s.source_instances = config.source_instances > 0
                           ? config.source_instances
                           : auto_source_instances(config.threads ? config.threads : rt::cpu_limit());
  s.source_batch_records = config.source_batch_records;
  s.source_batch_bytes = config.source_batch_bytes;
  s.exchanges = !config.group_id.empty() && config.group_exchange;
  s.exchange_partitions = config.exchange_partitions;
  return s;
}

int auto_source_instances(size_t scheduler_threads) {
  return static_cast<int>(std::clamp<size_t>(scheduler_threads, 1, 256));
}

}  // namespace ananas::cli
