#pragma once
// The worker configuration file of `ananas run` (config/worker.yaml): flat
// Kafka-Connect-style keys, each overridable by an environment variable
// ANANAS_<KEY> (upper case, dots as underscores: ANANAS_BOOTSTRAP_SERVERS);
// command-line flags override both (applied by the caller).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ananas::cli {

struct WorkerFileConfig {
  std::string bootstrap_servers;            // bootstrap.servers
  std::string http_host = "127.0.0.1";      // http.host
  int http_port = 8083;                     // http.port (0: any free port)
  std::string http_auth_token;              // http.auth.token: empty = no authentication
  bool http_auth_metrics = true;            // http.auth.metrics: /metrics needs the token too
  uint64_t http_max_body_bytes = 16 << 20;  // http.max.body.bytes: larger request bodies get 413
  std::vector<std::string> plugin_path;     // plugin.path, comma-separated folders
  std::string worker_id = "ananas";         // worker.id
  size_t threads = 0;                       // threads (0: the CPU limit)
  int max_throughput = 100;                 // scheduler.max.throughput (>= 1)
  std::string scheduler_policy = "sharing";  // scheduler.policy: sharing or stealing
  // checkpoint.interval: a duration (`5s`, `500ms`; `0s`: only the final
  // checkpoint on stop); unset keeps the runtime's default. A pipeline's
  // `settings: checkpoint_interval` overrides it.
  std::optional<int64_t> checkpoint_interval_ms;
  bool durable_checkpoints = true;          // checkpoint.storage: kafka (true) or memory
  int changelog_partitions = 8;             // checkpoint.changelog.partitions (1..1000)
  int source_instances = 0;                 // source.instances (1..256 or auto): per Kafka source table; 0 = auto
  size_t source_batch_records = 1000;       // source.batch.max.records (1..100000)
  size_t source_batch_bytes = 1 << 20;      // source.batch.max.bytes (1 KiB..1 GiB)
  // group.id: workers with the same id share their pipelines through this
  // Kafka consumer group (each pipeline runs on one of them); empty: this
  // worker runs every pipeline it is given (standalone).
  std::string group_id;
  int64_t group_session_timeout_ms = 10000;  // group.session.timeout: a dead worker's pipelines move after this
  // group.exchange: in a group, a pipeline with a keyed operator runs as a
  // scan part split by source partition and a keyed part split by exchange
  // partition, joined by an exchange topic (actors/drivers/exchange_split.hpp),
  // as Flink's keyBy and Kafka Streams' repartition topics do; false: it runs
  // whole on one worker (its lease).
  bool group_exchange = true;
  int exchange_partitions = 8;  // group.exchange.partitions (1..128): of the exchange topics the worker creates
  std::string log_level = "info";            // log.level: error, warn, info, debug
  std::string log_format = "text";           // log.format: text, or json (one object per line)
};

// Every key the file accepts, in documentation order.
const std::vector<std::string>& worker_config_keys();

// The environment variable that overrides `key`: ANANAS_ + upper case, '.' -> '_'.
std::string env_name_of(const std::string& key);

// Reads `path` (if given), then applies the overrides found in `env`
// (normally the process environment, see process_environment()). Throws
// InputError "file:line:col: message" for unknown keys (with a did-you-mean),
// duplicate keys, bad values and malformed YAML; an override's error names
// the variable.
WorkerFileConfig load_worker_config(const std::optional<std::string>& path,
                                    const std::map<std::string, std::string>& env);

// The same for a file's text already read; `file` names it in errors (the
// fuzz target fuzz/worker_config.cpp feeds it without touching the disk).
WorkerFileConfig load_worker_config_text(const std::string& text, const std::string& file,
                                         const std::map<std::string, std::string>& env);

// The ANANAS_* variables of this process.
std::map<std::string, std::string> process_environment();

}  // namespace ananas::cli
