#pragma once
// What the worker's configuration contributes to every pipeline it runs.
#include <string>

#include "actors/pipeline_graph.hpp"

namespace ananas::rt::drivers {

struct WorkerSettings {
  // Fills a table's empty or non-address `properties.bootstrap.servers` (the
  // tutorial's "integration": its tables hold '' or a topic name there).
  std::string bootstrap_servers;
  RuntimeOptions runtime;  // a pipeline's `settings: checkpoint_interval` overrides the interval
  // Checkpoints made durable in Kafka (the worker's brokers, else the
  // pipeline's first Kafka table's), so that a restart resumes; false keeps
  // them in memory (checkpoint.storage: memory).
  bool durable_checkpoints = true;
  int changelog_partitions = 8;  // of the changelog topics the worker creates
  // Instances of each splittable source table (Kafka: they share its
  // partitions), so that decoding runs on several cores. The worker config's
  // default is `auto` (cli::auto_source_instances); 1 for pipelines built
  // without a worker config (tests, replay).
  int source_instances = 1;
  // How large a source's batches grow (SourceDriverSpec::max_batch_rows / _bytes).
  size_t source_batch_records = 1000;
  size_t source_batch_bytes = 1 << 20;
  // In a worker group (group.id) with group.exchange on: a pipeline with a
  // keyed operator after sources the group splits runs as two parts joined
  // by an exchange topic (exchange_split.hpp) instead of whole on one worker.
  bool exchanges = false;
  int exchange_partitions = 8;  // of the exchange topics the worker creates
};

}  // namespace ananas::rt::drivers
