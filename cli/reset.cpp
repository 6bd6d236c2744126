// `ananas reset`: discards pipelines' durable checkpoints, so that their next
// start begins from the sources' startup modes instead of resuming. It looks
// where `ananas run` writes them (same brokers, same topic names), shows what
// it is about to discard, and asks first unless --yes. The discard is a
// tombstone in the pipeline's checkpoints topic
// (state::KafkaCheckpointStorage::discard); the changelog topics stay, and a
// fresh start ignores what they hold.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "actors/drivers/worker_pipelines.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/connector_plugins.hpp"
#include "cli/worker_config.hpp"
#include "cli/worker_settings.hpp"
#include "core/timefmt.hpp"
#include "state/kafka_checkpoint_storage.hpp"

namespace ananas::cli {

namespace {

// One pipeline to reset and where its checkpoints are kept.
struct Target {
  std::string name;
  std::string named_by;  // the argument that named it (a pipeline name or a file)
  state::StorageOptions storage;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool has_pipeline_extension(const std::string& arg) {
  const std::string ext = lower(std::filesystem::path(arg).extension().string());
  return ext == ".yaml" || ext == ".yml" || ext == ".json" || ext == ".sql";
}

// A file `ananas run` would load; anything else names a pipeline.
bool is_pipeline_file(const std::string& arg) {
  std::error_code ec;
  return has_pipeline_extension(arg) && std::filesystem::is_regular_file(arg, ec);
}

// UTC, ISO-8601 (`2025-06-01T12:00:03.510Z`).
std::string iso_utc(int64_t epoch_ms) {
  std::string out = format_timestamp_sql(epoch_ms, 3);
  if (size_t space = out.find(' '); space != std::string::npos) out[space] = 'T';
  return out + "Z";
}

state::StorageOptions storage_at(const std::string& pipeline, const rt::drivers::WorkerSettings& settings) {
  state::StorageOptions s;
  s.pipeline = pipeline;
  s.kafka["properties.bootstrap.servers"] = settings.bootstrap_servers;
  s.changelog_partitions = settings.changelog_partitions;
  return s;
}

// The pipelines `file` defines, loaded and checked as `ananas run` loads them
// (an invalid file throws InputError), each with the storage the worker would
// give it: the worker's brokers, else its first Kafka table's (with that
// table's TLS and SASL settings).
std::vector<Target> targets_of_file(const std::string& file, rt::drivers::WorkerSettings settings) {
  settings.durable_checkpoints = true;  // where they would be, whatever checkpoint.storage says now
  // Its warnings (the tutorial's leniencies) are for running it, not here.
  auto loaded = rt::drivers::load_worker_pipelines(pipeline::read_inputs({file}), nullptr);
  std::vector<Target> out;
  for (const auto& graph : rt::drivers::to_pipeline_graphs(loaded, settings)) {
    if (!graph.storage) {
      std::cerr << "ananas reset: pipeline '" << graph.name << "' of " << file
                << " has no Kafka brokers to keep checkpoints in (no --bootstrap-servers, bootstrap.servers or "
                   "Kafka table): nothing to reset\n";
      continue;
    }
    state::StorageOptions storage = *graph.storage;
    // Reading and writing one tombstone needs no transaction; an exactly-once
    // pipeline's own producer would only fence the worker's.
    storage.transaction.reset();
    out.push_back({graph.name, file, std::move(storage)});
  }
  return out;
}

// What a discard throws away, on stdout.
void describe(const std::string& name, const state::CheckpointRecord& r, const std::string& checkpoints_topic) {
  std::cout << "pipeline '" << name << "': checkpoint " << r.id << ", completed " << iso_utc(r.completed_at_ms) << ", "
            << r.state_bytes << " bytes of state\n"
            << "  checkpoints topic: " << checkpoints_topic << "\n";
  if (r.operators.empty()) std::cout << "  changelog topics:  none (no stateful operator)\n";
  for (const auto& [node, op] : r.operators)
    std::cout << "  changelog topic:   " << op.changelog << " (operator '" << node << "')\n";
  std::cout << "Discarding it makes the next start begin from the sources' startup modes (scan.startup.mode).\n";
}

// `Discard it? [y/N]`: only y or yes (any case) discards; end of input keeps.
bool confirmed() {
  std::cout << "Discard it? [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    std::cout << "\n";
    return false;
  }
  // Typed answers echo themselves; piped ones are shown, so the output reads as a dialogue.
  if (!::isatty(STDIN_FILENO)) std::cout << answer << "\n";
  answer.erase(0, answer.find_first_not_of(" \t\r"));
  answer.erase(answer.find_last_not_of(" \t\r") + 1);
  answer = lower(answer);
  return answer == "y" || answer == "yes";
}

int reset_pipelines(int argc, char** argv) {
  Args args("ananas reset [--bootstrap-servers B | --config worker.yaml] [--yes] PIPELINE|FILE...",
            "Discards the durable checkpoint of each named pipeline, so that its next 'ananas run' begins from\n"
            "the sources' startup modes (scan.startup.mode) instead of resuming from the checkpoint. Use it when\n"
            "a changed pipeline is refused (failure_kind state_incompatible) or to reprocess from the start.\n"
            "Stop the pipeline first: a worker still running it writes its next checkpoint after the reset.\n"
            "\n"
            "PIPELINE|FILE: pipeline names, or pipeline files (.yaml/.yml, .sql, .json) that exist: every\n"
            "pipeline a file defines, loaded and checked as 'ananas run' loads it.\n"
            "\n"
            "For each pipeline it prints the stored checkpoint (id, completion time in UTC, the checkpoints\n"
            "topic ananas-<pipeline>-checkpoints and the changelog topics) and asks 'Discard it? [y/N]' on\n"
            "stdin; only y or yes discards, end of input keeps it. --yes discards without asking. A pipeline\n"
            "with no stored checkpoint is reported and skipped. The discard writes a tombstone to the\n"
            "checkpoints topic; the changelog topics stay, and a fresh start ignores what they hold.\n"
            "\n"
            "Kafka: --bootstrap-servers, else bootstrap.servers of --config, else ANANAS_BOOTSTRAP_SERVERS;\n"
            "for a FILE without any of them, its first Kafka table's brokers (as 'ananas run' stores them).\n"
            "Exit codes: 0 done (kept or discarded), 1 invalid file or config, or the brokers failed (each\n"
            "broker call gives up after 10 s), 2 usage error.");
  args.option("config", "FILE", "worker config file (YAML); its bootstrap.servers and plugin.path", "c")
      .option("bootstrap-servers", "B", "Kafka bootstrap servers (overrides bootstrap.servers)", "b")
      .flag("yes", "discard without asking", "y")
      .positionals("PIPELINE|FILE", "pipelines whose checkpoints to discard", 1);
  if (!args.parse(argc, argv, std::cout)) return kExitOk;

  std::vector<Target> targets;  // in argument order; a pipeline named twice (by name and by file) once
  auto add = [&](Target t) {
    for (const auto& o : targets)
      if (o.name == t.name) return;
    targets.push_back(std::move(t));
  };
  try {
    WorkerFileConfig config = load_worker_config(args.get_optional("config"), process_environment());
    if (auto b = args.get_optional("bootstrap-servers")) config.bootstrap_servers = *b;
    const rt::drivers::WorkerSettings settings = worker_settings_of(config);
    load_connector_plugins(config.plugin_path, args.has("config"));
    // Every file is loaded before anything is reset.
    for (const auto& arg : args.rest()) {
      if (arg.empty()) throw UsageError("an empty pipeline name");
      if (is_pipeline_file(arg)) {
        for (auto& t : targets_of_file(arg, settings)) add(std::move(t));
        continue;
      }
      if (settings.bootstrap_servers.empty())
        throw UsageError("no Kafka brokers to find the checkpoints of pipeline '" + arg +
                         "' in: give --bootstrap-servers, a --config with bootstrap.servers, or set "
                         "ANANAS_BOOTSTRAP_SERVERS");
      add({arg, arg, storage_at(arg, settings)});
    }
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitInvalid;
  }

  for (const Target& t : targets) {
    const std::string brokers = t.storage.kafka.count("properties.bootstrap.servers")
                                    ? t.storage.kafka.at("properties.bootstrap.servers")
                                    : std::string();
    try {
      state::KafkaCheckpointStorage storage(t.storage);
      std::optional<state::CheckpointRecord> record = storage.latest();
      // A keyed part that ran as shards (one per exchange partition) has a
      // checkpoint per shard: shown as the newest, discarded all together.
      const std::map<uint32_t, state::CheckpointRecord> shards = storage.latest_shards();
      for (const auto& [index, r] : shards)
        if (!record || r.id > record->id) record = r;
      if (!record) {
        std::cout << "pipeline '" << t.name << "' has no stored checkpoint";
        if (t.named_by == t.name && has_pipeline_extension(t.name)) std::cout << " (and there is no file '" << t.name << "')";
        std::cout << std::endl;
        continue;
      }
      describe(t.name, *record, storage.checkpoints_topic());
      if (!shards.empty())
        std::cout << "  shards:            " << shards.size()
                  << " (its keyed part runs once per exchange partition; each has its own checkpoint)\n";
      if (!args.has("yes") && !confirmed()) {
        std::cout << "kept checkpoint " << record->id << " of pipeline '" << t.name << "'" << std::endl;
        continue;
      }
      storage.discard();
      std::cout << "discarded checkpoint " << record->id << " of pipeline '" << t.name
                << "': its next start begins from the sources' startup modes" << std::endl;
    } catch (const std::exception& e) {
      std::cerr << "ananas reset: pipeline '" << t.name << "' (brokers " << brokers << "): " << e.what() << "\n";
      return kExitInvalid;
    }
  }
  return kExitOk;
}

}  // namespace

ANANAS_COMMAND(reset, "reset", "discard pipelines' stored checkpoints, so they start over (asks first)",
               reset_pipelines);

}  // namespace ananas::cli
