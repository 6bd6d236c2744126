// `ananas run`: the worker. Loads every pipeline named on the command line
// (any invalid file stops it before anything starts), runs them as actors
// reading from and writing to Kafka, serves REST + /metrics + health on one
// port, and on SIGTERM/SIGINT drains (final checkpoint: sinks flushed, source
// offsets committed) and exits 0.
#include <cstdlib>
#include <iostream>

#include "actors/drivers/folder_watch.hpp"
#include "actors/drivers/pipeline_file_reload.hpp"
#include "actors/drivers/rest_translator.hpp"
#include "actors/drivers/worker_pipelines.hpp"
#include "actors/http_server.hpp"
#include "actors/termination_signals.hpp"
#include "actors/worker.hpp"
#include "actors/drivers/kafka_placement.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/connector_plugins.hpp"
#include "cli/report.hpp"
#include "cli/worker_config.hpp"
#include "cli/worker_settings.hpp"
#include "core/log.hpp"

namespace ananas::cli {

namespace {

// 127.0.0.0/8, ::1 and localhost: only this machine can connect.
bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// After the pipelines' drain timeout, how long the stop may take to tear the
// actors down before the process ends without them.
constexpr std::chrono::seconds kStopGrace{1};

int run_worker(int argc, char** argv) {
  Args args("ananas run [--config worker.yaml] [--bootstrap-servers B] [--http-host H] [--http-port P] [FILE|DIR...]",
            "Runs pipelines against Kafka until SIGTERM or SIGINT (Ctrl-C), then drains: every pipeline takes a\n"
            "final checkpoint (sinks flushed and acknowledged, source offsets committed to the consumer groups)\n"
            "and the command exits 0.\n"
            "\n"
            "FILE|DIR: pipeline YAML (.yaml/.yml), Flink SQL scripts (.sql: CREATE TABLE ...; INSERT INTO ...;)\n"
            "and the tutorial's application JSON (.json); a folder means its files of those kinds. Every file is\n"
            "loaded and checked first: any error is printed as file:line:column: message and the command exits 1\n"
            "before anything starts. With no files the worker starts empty and takes pipelines over REST.\n"
            "\n"
            "Kafka: a table's empty or non-address 'properties.bootstrap.servers' (the tutorial has '' or a topic\n"
            "name there) is filled from bootstrap.servers.\n"
            "\n"
            "Worker config keys (YAML, see config/worker.yaml): bootstrap.servers, http.host, http.port,\n"
            "http.auth.token (a bearer token every REST call then needs; /healthz and /readyz never do),\n"
            "http.auth.metrics (false: /metrics without the token), http.max.body.bytes (default 16 MiB),\n"
            "plugin.path, worker.id, threads, scheduler.max.throughput, scheduler.policy (sharing or stealing),\n"
            "checkpoint.interval (default 2s; 0s: only\n"
            "the final checkpoint on stop; a pipeline's settings: checkpoint_interval overrides it),\n"
            "checkpoint.storage (kafka: a restart resumes, the default; memory: a restart starts over),\n"
            "checkpoint.changelog.partitions (of the state topics the worker creates, default 8), source.instances\n"
            "(per Kafka source table, sharing its partitions; default auto: one per scheduler thread),\n"
            "source.batch.max.records and source.batch.max.bytes (a source batch's bounds, default 1000 and\n"
            "1 MiB), group.id (workers with the same id\n"
            "share the pipelines: split by partition, or each on one of them, moved when one stops or dies) and\n"
            "group.session.timeout (default 10s), group.exchange (default true: a pipeline with a keyed\n"
            "operator runs its scan and its keyed part on every worker, joined by an exchange topic of\n"
            "group.exchange.partitions partitions, default 8; false: it runs whole on one worker), log.level (error, warn, info: the default, debug) and log.format\n"
            "(text, or json: one object per line with time, level, pipeline, message). An environment\n"
            "variable ANANAS_<KEY> (upper case, dots as underscores, e.g. ANANAS_BOOTSTRAP_SERVERS) overrides a\n"
            "key; the flags below override both.\n"
            "\n"
            "Checkpoints are stored in Kafka (topics ananas-<pipeline>-checkpoints and -changelog), so a\n"
            "restarted worker resumes each pipeline where it stopped; 'ananas reset PIPELINE' discards them.\n"
            "\n"
            "One HTTP port serves: GET/POST /pipelines (POST takes YAML, SQL or application JSON; name SQL/JSON\n"
            "pipelines with 'Content-Type: application/sql; name=NAME'), GET/DELETE /pipelines/NAME,\n"
            "GET /pipelines/NAME/status, PUT /pipelines/NAME/pause|resume, POST /pipelines/NAME/restart,\n"
            "/metrics (Prometheus), /healthz, /readyz, POST /reload. The addresses are printed at start.\n"
            "\n"
            "Hot reload: the files and folders named are watched (inotify; a Kubernetes ConfigMap's update\n"
            "included) and reloaded on change or POST /reload: new pipelines start, removed ones stop (drained),\n"
            "changed ones restart from their checkpoint when their state can follow (else they keep running,\n"
            "and the reload says why), and an invalid file is reported while its running pipelines stay.\n"
            "\n"
            "Malformed input records are counted (ananas_bad_records_total), logged to stderr with\n"
            "topic/partition/offset, and skipped, sent to the dead-letter topic or fail the pipeline, as the\n"
            "pipeline's on_error says. See docs/running.md.");
  args.option("config", "FILE", "worker config file (YAML)", "c")
      .option("bootstrap-servers", "B", "Kafka bootstrap servers (overrides bootstrap.servers)", "b")
      .option("http-host", "H", "address the HTTP port binds (overrides http.host)")
      .option("http-port", "P", "HTTP port for REST, /metrics and health; 0 = any free port (overrides http.port)")
      .option("log-level", "L", "error, warn, info or debug: the least severe log lines printed (overrides log.level)")
      .option("log-format", "F", "text, or json for log collectors: one object per line with time, level, pipeline, "
              "message (overrides log.format)")
      .positionals("FILE|DIR", "pipelines to run", 0);
  if (!args.parse(argc, argv, std::cout)) return kExitOk;

  // Before any thread exists (librdkafka, CAF, httplib), so every thread
  // inherits the mask and only the wait below receives the signals.
  rt::block_termination_signals();

  WorkerFileConfig config;
  std::shared_ptr<rt::drivers::WorkerPipelines> loaded;
  std::vector<rt::PipelineGraph> graphs;
  std::shared_ptr<rt::Metrics> metrics;
  rt::drivers::WorkerSettings settings;
  try {
    config = load_worker_config(args.get_optional("config"), process_environment());
    if (auto b = args.get_optional("bootstrap-servers")) config.bootstrap_servers = *b;
    if (auto h = args.get_optional("http-host")) config.http_host = *h;
    if (args.has("http-port")) config.http_port = static_cast<int>(args.get_int("http-port", 0, 65535));
    if (auto l = args.get_optional("log-level")) {
      if (!log::parse_level(*l)) throw UsageError("--log-level: expected error, warn, info or debug, got '" + *l + "'");
      config.log_level = *l;
    }
    if (auto f = args.get_optional("log-format")) {
      if (!log::parse_format(*f)) throw UsageError("--log-format: expected text or json, got '" + *f + "'");
      config.log_format = *f;
    }
    log::configure(*log::parse_level(config.log_level), *log::parse_format(config.log_format));
    metrics = std::make_shared<rt::Metrics>(config.worker_id);
    settings = worker_settings_of(config);
    load_connector_plugins(config.plugin_path, true);
    loaded = rt::drivers::load_worker_pipelines(pipeline::read_inputs(args.rest()), metrics);
    for (const auto& w : loaded->warnings) log::warn("", w.to_string());
    graphs = rt::drivers::to_pipeline_graphs(loaded, settings);
  } catch (const InputError& e) {
    log::error("", e.what());  // in the configured format once the config is read
    return kExitInvalid;
  }

  rt::WorkerConfig worker_config;
  worker_config.threads = config.threads;
  worker_config.max_throughput = config.max_throughput;
  worker_config.scheduler_policy = config.scheduler_policy;
  worker_config.worker_id = config.worker_id;
  rt::Worker worker(worker_config, metrics);
  if (!config.group_id.empty()) {
    if (config.bootstrap_servers.empty()) {
      log::error("", "ananas run: group.id '" + config.group_id + "' needs bootstrap.servers (the brokers of the group)");
      return kExitInvalid;
    }
    connectors::kafka::GroupMembershipOptions group;
    group.bootstrap_servers = config.bootstrap_servers;
    group.group_id = config.group_id;
    group.client_id = config.worker_id;
    group.session_timeout = std::chrono::milliseconds(config.group_session_timeout_ms);
    worker.set_placement(std::make_shared<rt::drivers::KafkaPlacement>(
        group, [](const std::string& line) { log::info("", "ananas run: " + line); }));
  }
  std::string names;
  for (const auto& g : graphs) names += (names.empty() ? "" : ", ") + g.name;

  rt::HttpOptions http_options{config.http_host, config.http_port};
  http_options.auth = {config.http_auth_token, config.http_auth_metrics};
  http_options.limits.max_body_bytes = config.http_max_body_bytes;
  rt::HttpServer http(worker, rt::drivers::make_pipeline_translator(metrics, settings), http_options);
  // Hot reload of the files and folders named (POST /reload, and a watch).
  std::shared_ptr<rt::drivers::PipelineFileReload> reload;
  if (!args.rest().empty()) {
    reload = std::make_shared<rt::drivers::PipelineFileReload>(worker, args.rest(), metrics, settings);
    http.set_reloader(reload);
  }
  int port = 0;
  try {
    port = http.start();
  } catch (const std::exception& e) {
    log::error("", std::string("ananas run: ") + e.what());
    worker.stop();
    return kExitInvalid;
  }
  const std::string base = "http://" + config.http_host + ":" + std::to_string(port);
  // The addresses go out before any pipeline starts, so a print sink's
  // lines cannot interleave with them.
  std::cout << "worker '" << config.worker_id << "' " << (config.group_id.empty() ? "running " : "sharing ")
            << graphs.size() << " pipeline(s)"
            << (names.empty() ? "" : ": " + names) << "\n"
            << "kafka: " << (config.bootstrap_servers.empty() ? "(tables' own bootstrap servers)" : config.bootstrap_servers)
            << "\n"
            << (config.group_id.empty() ? "" : "group: " + config.group_id + " (each pipeline runs on one member)\n")
            << "REST API: " << base << "/pipelines\n"
            << "metrics: " << base << "/metrics\n"
            << "health: " << base << "/healthz " << base << "/readyz" << std::endl;
  if (config.http_auth_token.empty() && !is_loopback_host(config.http_host))
    log::warn("", log::cat("ananas run: warning: the REST API on ", config.http_host, ":", port,
                           " takes any caller that can reach it (pipelines can be added and deleted); set "
                           "http.auth.token (or ANANAS_HTTP_AUTH_TOKEN) to require a bearer token"));
  for (auto& g : graphs) worker.add(std::move(g));
  std::unique_ptr<rt::drivers::FolderWatch> watch;
  if (reload) {
    reload->adopt_running();
    const auto folders = reload->folders();
    std::string list;
    for (const auto& f : folders) list += (list.empty() ? "" : ", ") + f;
    watch = std::make_unique<rt::drivers::FolderWatch>(
        folders, rt::drivers::FolderWatchTiming{}, [reload] { reload->reload(); },
        [](const std::string& problem) { log::warn("", "ananas run: " + problem); });
    log::info("", "ananas run: watching " + list + " for pipeline changes (also: POST /reload)");
  }

  auto sig = rt::wait_for_termination_signal();
  log::info("", log::cat("ananas run: signal ", sig.value_or(0), ": draining (final checkpoint, offsets committed)"));
  watch.reset();  // no reload may start or stop pipelines while they drain
  http.stop();
  // Each pipeline gives up its final checkpoint after the drain timeout
  // (10 s); what may still wait after that is a Kafka call to brokers that
  // are gone, which nothing is lost by abandoning: the offsets of the
  // unfinished checkpoint were not committed, so a restart reads again.
  if (!worker.stop_within(rt::RuntimeOptions{}.drain_timeout + kStopGrace)) {
    log::warn("", "ananas run: stopped without waiting for Kafka calls still in progress (brokers unreachable)");
    std::cout.flush();
    std::_Exit(kExitOk);  // the worker's actors are still busy: nothing may be destroyed under them
  }
  log::info("", "ananas run: stopped");
  return kExitOk;
}

}  // namespace

ANANAS_COMMAND(run, "run", "run pipelines against Kafka (the worker: REST, /metrics, health)", run_worker);

}  // namespace ananas::cli
