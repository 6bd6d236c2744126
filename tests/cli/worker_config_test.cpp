// The worker config's checkpoint keys: parsed values, errors located at
// file:line:column (or naming the environment variable), and what they give
// the pipelines the worker builds.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "actors/drivers/worker_pipelines.hpp"
#include "cli/worker_config.hpp"
#include "cli/worker_settings.hpp"
#include "actors/worker.hpp"
#include "core/diagnostic.hpp"

using namespace ananas;
using namespace ananas::cli;

namespace {

// A worker config file in a fresh folder, removed with the object.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text) {
    dir_ = std::filesystem::temp_directory_path() / ("ananas-worker-config-" + std::to_string(::getpid()) + "-" +
                                                     std::to_string(counter()++));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "worker.yaml").string();
    std::ofstream(path_) << text;
  }
  ~ConfigFile() { std::filesystem::remove_all(dir_); }
  const std::string& path() const { return path_; }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path dir_;
  std::string path_;
};

// The message of the InputError that loading `text` throws ("" if none).
std::string error_of(const std::string& text, const std::map<std::string, std::string>& env = {}) {
  ConfigFile f(text);
  try {
    load_worker_config(f.path(), env);
  } catch (const InputError& e) {
    const std::string what = e.what();
    // Relative to the file, so that the expectations do not hold temp paths.
    return what.rfind(f.path(), 0) == 0 ? "worker.yaml" + what.substr(f.path().size()) : what;
  }
  return "";
}

// The tutorial's 02-aggregating (a Kafka source, a group aggregate, an
// upsert-kafka sink), with `settings_line` after its name.
// pipelines/examples/<file> with `settings_line` after its first line.
std::shared_ptr<rt::drivers::WorkerPipelines> example_pipeline(const std::string& file, const std::string& settings_line,
                                                               const std::string& from = "", const std::string& to = "") {
  std::ifstream in(std::string(ANANAS_SOURCE_DIR) + "/pipelines/examples/" + file);
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  const size_t line_end = yaml.find('\n');
  REQUIRE(line_end != std::string::npos);
  yaml.insert(line_end + 1, settings_line);
  if (!from.empty()) {
    const size_t at = yaml.find(from);
    REQUIRE(at != std::string::npos);
    yaml.replace(at, from.size(), to);
  }
  return rt::drivers::load_worker_pipelines({pipeline::InputFile{file, pipeline::InputKind::Yaml, yaml}}, nullptr);
}

std::shared_ptr<rt::drivers::WorkerPipelines> aggregating_pipeline(const std::string& settings_line) {
  return example_pipeline("02-aggregating.yaml", settings_line);
}

}  // namespace

TEST_CASE("the checkpoint keys default to a durable 2 s checkpoint and 8 changelog partitions", "[cli]") {
  const WorkerFileConfig c = load_worker_config(std::nullopt, {});
  CHECK_FALSE(c.checkpoint_interval_ms.has_value());
  CHECK(c.durable_checkpoints);
  CHECK(c.changelog_partitions == 8);
  const rt::drivers::WorkerSettings s = worker_settings_of(c);
  CHECK(s.runtime.checkpoint_interval == rt::RuntimeOptions{}.checkpoint_interval);
  CHECK(s.durable_checkpoints);
  CHECK(s.changelog_partitions == 8);

  const auto& keys = worker_config_keys();
  for (const char* key : {"checkpoint.interval", "checkpoint.storage", "checkpoint.changelog.partitions"})
    CHECK(std::find(keys.begin(), keys.end(), key) != keys.end());
  CHECK(env_name_of("checkpoint.changelog.partitions") == "ANANAS_CHECKPOINT_CHANGELOG_PARTITIONS");
}

TEST_CASE("checkpoint.interval, checkpoint.storage and checkpoint.changelog.partitions reach the worker settings",
          "[cli]") {
  ConfigFile f("bootstrap.servers: 127.0.0.1:9092\ncheckpoint.interval: 500ms\ncheckpoint.storage: memory\n"
               "checkpoint.changelog.partitions: 3\n");
  const WorkerFileConfig c = load_worker_config(f.path(), {});
  CHECK(c.checkpoint_interval_ms == 500);
  CHECK_FALSE(c.durable_checkpoints);
  CHECK(c.changelog_partitions == 3);
  const rt::drivers::WorkerSettings s = worker_settings_of(c);
  CHECK(s.runtime.checkpoint_interval == std::chrono::milliseconds(500));
  CHECK_FALSE(s.durable_checkpoints);
  CHECK(s.changelog_partitions == 3);

  ConfigFile durations("checkpoint.interval: 0s\ncheckpoint.storage: kafka\n");
  CHECK(load_worker_config(durations.path(), {}).checkpoint_interval_ms == 0);
  CHECK(load_worker_config(durations.path(), {}).durable_checkpoints);
  ConfigFile minutes("checkpoint.interval: 1.5 min\n");
  CHECK(load_worker_config(minutes.path(), {}).checkpoint_interval_ms == 90000);
}

TEST_CASE("bad checkpoint values are errors at file:line:column", "[cli]") {
  // A bare number is refused, as in a pipeline's settings: 5 what?
  CHECK(error_of("# worker\ncheckpoint.interval: 5\n") ==
        "worker.yaml:2:22: checkpoint.interval: expected a duration such as 5s or 500ms (0s: only the final "
        "checkpoint on stop), got '5'");
  CHECK(error_of("checkpoint.interval: 0\n").find("worker.yaml:1:22: checkpoint.interval: expected a duration") == 0);
  CHECK(error_of("checkpoint.interval: -1s\n").find("worker.yaml:1:22: checkpoint.interval:") == 0);
  CHECK(error_of("checkpoint.interval: soon\n").find("got 'soon'") != std::string::npos);
  CHECK(error_of("checkpoint.interval:\nthreads: 1\n").find("worker.yaml:1:1: checkpoint.interval: expected a duration") == 0);
  CHECK(error_of("checkpoint.storage: disk\n") ==
        "worker.yaml:1:21: checkpoint.storage: expected 'kafka' (durable: a restart resumes) or 'memory' (a restart "
        "starts over), got 'disk'");
  CHECK(error_of("checkpoint.storage: Kafka\n").find("worker.yaml:1:21:") == 0);
  CHECK(error_of("http.port: 0\ncheckpoint.changelog.partitions: 0\n") ==
        "worker.yaml:2:34: checkpoint.changelog.partitions: expected an integer from 1 to 1000, got '0'");
  CHECK(error_of("checkpoint.changelog.partitions: 1001\n").find("worker.yaml:1:34:") == 0);
  CHECK(error_of("checkpoint.changelog.partitions: eight\n").find("got 'eight'") != std::string::npos);
  CHECK(error_of("checkpoint.intervall: 5s\n") ==
        "worker.yaml:1:1: unknown key 'checkpoint.intervall' (did you mean 'checkpoint.interval'?)");
  CHECK(error_of("checkpoint.storage: kafka\ncheckpoint.storage: memory\n") ==
        "worker.yaml:2:1: duplicate key 'checkpoint.storage'");
}

TEST_CASE("ANANAS_CHECKPOINT_* variables override the file, and a bad one is named", "[cli]") {
  ConfigFile f("checkpoint.interval: 5s\ncheckpoint.storage: memory\n");
  const WorkerFileConfig c = load_worker_config(
      f.path(), {{"ANANAS_CHECKPOINT_INTERVAL", "250ms"},
                 {"ANANAS_CHECKPOINT_STORAGE", "kafka"},
                 {"ANANAS_CHECKPOINT_CHANGELOG_PARTITIONS", "16"}});
  CHECK(c.checkpoint_interval_ms == 250);
  CHECK(c.durable_checkpoints);
  CHECK(c.changelog_partitions == 16);

  CHECK(error_of("", {{"ANANAS_CHECKPOINT_STORAGE", "ram"}}) ==
        "environment variable ANANAS_CHECKPOINT_STORAGE: checkpoint.storage: expected 'kafka' (durable: a restart "
        "resumes) or 'memory' (a restart starts over), got 'ram'");
  CHECK(error_of("", {{"ANANAS_CHECKPOINT_INTERVAL", "10"}})
            .find("environment variable ANANAS_CHECKPOINT_INTERVAL: checkpoint.interval: expected a duration") == 0);
  CHECK(error_of("", {{"ANANAS_CHECKPOINT_CHANGELOG_PARTITIONS", "-2"}})
            .find("environment variable ANANAS_CHECKPOINT_CHANGELOG_PARTITIONS: checkpoint.changelog.partitions: "
                  "expected an integer from 1 to 1000") == 0);
}

TEST_CASE("a pipeline's checkpoint_interval overrides the worker's, storage and partitions follow the config", "[cli]") {
  WorkerFileConfig c;
  c.bootstrap_servers = "127.0.0.1:9092";
  c.checkpoint_interval_ms = 750;
  c.changelog_partitions = 5;
  const rt::drivers::WorkerSettings s = worker_settings_of(c);

  auto plain = aggregating_pipeline("");
  const rt::PipelineGraph worker_interval = rt::drivers::to_pipeline_graphs(plain, s).at(0);
  CHECK(worker_interval.runtime.checkpoint_interval == std::chrono::milliseconds(750));
  REQUIRE(worker_interval.storage.has_value());
  CHECK(worker_interval.storage->changelog_partitions == 5);
  CHECK(worker_interval.storage->kafka.at("properties.bootstrap.servers") == "127.0.0.1:9092");

  auto own = aggregating_pipeline("settings: {checkpoint_interval: 10s}\n");
  CHECK(rt::drivers::to_pipeline_graphs(own, s).at(0).runtime.checkpoint_interval == std::chrono::seconds(10));

  c.durable_checkpoints = false;  // checkpoint.storage: memory
  CHECK_FALSE(rt::drivers::to_pipeline_graphs(plain, worker_settings_of(c)).at(0).storage.has_value());
}

TEST_CASE("source.instances: auto by default (one per scheduler thread), or a number", "[cli]") {
  CHECK(auto_source_instances(1) == 1);
  CHECK(auto_source_instances(2) == 2);
  CHECK(auto_source_instances(8) == 8);
  CHECK(auto_source_instances(1024) == 256);
  const rt::drivers::WorkerSettings defaults = worker_settings_of(load_worker_config(std::nullopt, {}));
  CHECK(defaults.source_instances == auto_source_instances(rt::cpu_limit()));
  ConfigFile f("source.instances: 3\n");
  CHECK(worker_settings_of(load_worker_config(f.path(), {})).source_instances == 3);
  ConfigFile threads("threads: 6\nsource.instances: auto\n");
  CHECK(worker_settings_of(load_worker_config(threads.path(), {})).source_instances == 6);
  CHECK(error_of("source.instances: 0\n") ==
        "worker.yaml:1:19: source.instances: expected auto or an integer from 1 to 256, got '0'");
  CHECK(env_name_of("source.instances") == "ANANAS_SOURCE_INSTANCES");
}

TEST_CASE("source.batch.max.records / .bytes bound a source's batches and reach the worker settings", "[cli]") {
  const rt::drivers::WorkerSettings defaults = worker_settings_of(load_worker_config(std::nullopt, {}));
  CHECK(defaults.source_batch_records == 1000);
  CHECK(defaults.source_batch_bytes == 1u << 20);
  ConfigFile f("source.batch.max.records: 200\nsource.batch.max.bytes: 65536\n");
  const rt::drivers::WorkerSettings s = worker_settings_of(load_worker_config(f.path(), {}));
  CHECK(s.source_batch_records == 200);
  CHECK(s.source_batch_bytes == 65536);
  CHECK(error_of("source.batch.max.bytes: 100\n") ==
        "worker.yaml:1:25: source.batch.max.bytes: expected an integer from 1024 to 1073741824, got '100'");
  CHECK(error_of("source.batch.max.records: 0\n") ==
        "worker.yaml:1:27: source.batch.max.records: expected an integer from 1 to 100000, got '0'");
}

TEST_CASE("the HTTP keys: no token, /metrics behind a token when there is one, a 16 MiB body limit", "[cli]") {
  const WorkerFileConfig defaults = load_worker_config(std::nullopt, {});
  CHECK(defaults.http_auth_token.empty());
  CHECK(defaults.http_auth_metrics);
  CHECK(defaults.http_max_body_bytes == 16u << 20);

  ConfigFile f("http.auth.token: from-the-file\nhttp.auth.metrics: false\nhttp.max.body.bytes: 1048576\n");
  const WorkerFileConfig c = load_worker_config(f.path(), {});
  CHECK(c.http_auth_token == "from-the-file");
  CHECK_FALSE(c.http_auth_metrics);
  CHECK(c.http_max_body_bytes == 1048576);
  // The variable a Kubernetes Secret fills in wins over the file.
  CHECK(load_worker_config(f.path(), {{"ANANAS_HTTP_AUTH_TOKEN", "from-a-secret"}}).http_auth_token == "from-a-secret");
  CHECK(env_name_of("http.auth.token") == "ANANAS_HTTP_AUTH_TOKEN");

  // A bad token is located but never printed: it is a secret.
  CHECK(error_of("http.auth.token: two words\n") ==
        "worker.yaml:1:18: http.auth.token: a bearer token must be visible ASCII characters without spaces");
  CHECK(error_of("", {{"ANANAS_HTTP_AUTH_TOKEN", "tab\there"}}).find("tab") == std::string::npos);
  CHECK(error_of("http.auth.metrics: no\n") == "worker.yaml:1:20: http.auth.metrics: expected true or false, got 'no'");
  CHECK(error_of("http.max.body.bytes: 10\n").find("worker.yaml:1:22: http.max.body.bytes: expected an integer from 1024") == 0);
  CHECK(error_of("http.auth.tokn: x\n") == "worker.yaml:1:1: unknown key 'http.auth.tokn' (did you mean 'http.auth.token'?)");
}

TEST_CASE("group.id and group.session.timeout: standalone by default, durations checked", "[cli]") {
  const WorkerFileConfig defaults = load_worker_config(std::nullopt, {});
  CHECK(defaults.group_id.empty());
  CHECK(defaults.group_session_timeout_ms == 10000);
  ConfigFile f("group.id: ananas-workers\ngroup.session.timeout: 30s\n");
  const WorkerFileConfig c = load_worker_config(f.path(), {});
  CHECK(c.group_id == "ananas-workers");
  CHECK(c.group_session_timeout_ms == 30000);
  const WorkerFileConfig env = load_worker_config(std::nullopt, {{"ANANAS_GROUP_ID", "g"}, {"ANANAS_GROUP_SESSION_TIMEOUT", "3s"}});
  CHECK(env.group_id == "g");
  CHECK(env.group_session_timeout_ms == 3000);
  CHECK(error_of("group.session.timeout: 500ms\n") ==
        "worker.yaml:1:24: group.session.timeout: expected a duration from 1s to 30min such as 10s, got '500ms'");
  CHECK(error_of("group.session.timeout: soon\n") ==
        "worker.yaml:1:24: group.session.timeout: expected a duration from 1s to 30min such as 10s, got 'soon'");
}

TEST_CASE("group.exchange: on by default in a group only, false opts out, partitions bounded by the key groups", "[cli]") {
  const WorkerFileConfig defaults = load_worker_config(std::nullopt, {});
  CHECK(defaults.group_exchange);
  // Without a group there is nothing to split: the switch alone changes nothing.
  CHECK_FALSE(worker_settings_of(defaults).exchanges);
  ConfigFile alone("group.exchange: true\n");
  CHECK_FALSE(worker_settings_of(load_worker_config(alone.path(), {})).exchanges);
  CHECK(worker_settings_of(load_worker_config(std::nullopt, {{"ANANAS_GROUP_ID", "g"}})).exchanges);
  CHECK_FALSE(worker_settings_of(load_worker_config(std::nullopt, {{"ANANAS_GROUP_ID", "g"}, {"ANANAS_GROUP_EXCHANGE", "false"}}))
                  .exchanges);
  const WorkerFileConfig env = load_worker_config(
      std::nullopt, {{"ANANAS_GROUP_ID", "g"}, {"ANANAS_GROUP_EXCHANGE_PARTITIONS", "16"}});
  const rt::drivers::WorkerSettings s = worker_settings_of(env);
  CHECK(s.exchanges);
  CHECK(s.exchange_partitions == 16);
  CHECK(error_of("group.exchange.partitions: 129\n").find(
            "worker.yaml:1:28: group.exchange.partitions: expected an integer from 1 to 128") == 0);
  CHECK(error_of("group.exchange: yes\n") == "worker.yaml:1:17: group.exchange: expected true or false, got 'yes'");
}

TEST_CASE("the shipped worker configs load: config/worker.yaml and the Kubernetes one", "[cli]") {
  const std::string root = ANANAS_SOURCE_DIR;
  const WorkerFileConfig local = load_worker_config(root + "/config/worker.yaml", {});
  CHECK(local.bootstrap_servers == "localhost:9092");
  CHECK(local.group_id.empty());  // one worker on a laptop runs everything
  const WorkerFileConfig cluster = load_worker_config(root + "/config/kubernetes/worker.yaml", {});
  CHECK(cluster.group_id == "ananas-workers");  // the replicas share the pipelines
  CHECK(cluster.http_host == "0.0.0.0");
}

TEST_CASE("only stateless pipelines over the worker's Kafka brokers may be split between the workers of a group",
          "[cli]") {
  WorkerFileConfig c;
  c.bootstrap_servers = "127.0.0.1:9092";
  const rt::drivers::WorkerSettings s = worker_settings_of(c);
  // 01: calc and unnest over one Kafka table -> split by the partitions of its topic.
  const auto filter = rt::drivers::to_pipeline_graphs(example_pipeline("01-basic-filtering.yaml", ""), s).at(0);
  CHECK(filter.splittable_topics == std::vector<std::string>{"pizzas"});
  // 02: a group aggregate keeps state per key -> runs whole on one worker.
  CHECK(rt::drivers::to_pipeline_graphs(aggregating_pipeline(""), s).at(0).splittable_topics.empty());
  // A table on other brokers than the worker's: the worker's group cannot split it.
  const auto elsewhere = rt::drivers::to_pipeline_graphs(
      example_pipeline("01-basic-filtering.yaml", "", "properties.bootstrap.servers: \"\"",
                       "properties.bootstrap.servers: \"127.0.0.1:9999\""),
      s);
  CHECK(elsewhere.at(0).splittable_topics.empty());
}

TEST_CASE("log.level and log.format are checked where they are written", "[cli]") {
  ConfigFile ok("log.level: debug\nlog.format: json\n");
  const WorkerFileConfig c = load_worker_config(ok.path(), {});
  CHECK(c.log_level == "debug");
  CHECK(c.log_format == "json");
  CHECK(load_worker_config(std::nullopt, {{"ANANAS_LOG_LEVEL", "error"}}).log_level == "error");
  CHECK(error_of("log.level: loud\n") == "worker.yaml:1:12: log.level: expected error, warn, info or debug, got 'loud'");
  CHECK(error_of("log.format: xml\n") == "worker.yaml:1:13: log.format: expected text or json, got 'xml'");
}

TEST_CASE("scheduler.policy: work sharing by default, stealing on request, anything else located", "[cli]") {
  CHECK(load_worker_config(std::nullopt, {}).scheduler_policy == "sharing");
  ConfigFile f("scheduler.policy: stealing\n");
  CHECK(load_worker_config(f.path(), {}).scheduler_policy == "stealing");
  CHECK(load_worker_config(std::nullopt, {{"ANANAS_SCHEDULER_POLICY", "stealing"}}).scheduler_policy == "stealing");
  CHECK(error_of("scheduler.policy: fair\n") == "worker.yaml:1:19: scheduler.policy: expected sharing or stealing, got 'fair'");
}
