#include "actors/drivers/worker_pipelines.hpp"
#include "core/log.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>

#include "actors/drivers/connector_sink_driver.hpp"
#include "actors/drivers/connector_source_driver.hpp"
#include "actors/drivers/copartition.hpp"
#include "actors/drivers/exchange_split.hpp"
#include "actors/drivers/exchange_topic.hpp"
#include "actors/drivers/raw_batch_records.hpp"
#include "connectors/connector_registry.hpp"
#include "connectors/kafka/kafka_transaction.hpp"
#include "core/timefmt.hpp"
#include "pipelines/bootstrap_servers.hpp"
#include "pipelines/graph/table_connectors.hpp"
#include "pipelines/operator_kinds/registry.hpp"
#include "pipelines/sql/planner.hpp"
#include "pipelines/yaml/emit.hpp"

namespace ananas::rt::drivers {


namespace {

constexpr const char* kBootstrapKey = pipeline::kBootstrapServersKey;

// Why a failing row has no source record to dead-letter.
std::string no_source_record(const ops::RowError& e) {
  if (e.batch && e.batch->origin())
    return "its source record was not traced through the operators before it (a bug; please report it)";
  return "the row was not read from one source record: an operator before it computed it from its state (an "
         "aggregate, the upsert materializer or MATCH_RECOGNIZE)";
}

// What the worker does with a row an operator could not process, by the
// pipeline's on_error: fail the pipeline (the supervisor restarts it), skip
// it, or write the source record it was decoded from, unchanged, to the
// dead-letter topic. Every such row is counted in ananas_row_errors_total and
// logged; one that cannot be dead-lettered also in
// ananas_row_errors_not_dead_lettered_total, with the reason in the log.
pipeline::RowErrorSink row_error_sink(const pipeline::Pipeline& p, std::shared_ptr<Metrics> metrics,
                                      std::shared_ptr<PipelineDeadLetters> dead_letters) {
  const std::string name = p.name;
  const pipeline::OnError policy = p.on_error;
  return [name, policy, metrics, dead_letters](const std::string& node, const ops::RowError& e) {
    if (metrics) metrics->row_errors(name, node).Increment();
    const std::string failed = "operator '" + node + "' could not process a row: " + e.message;
    switch (policy) {
      case pipeline::OnError::Fail:
        log::error(name, failed + " (on_error: fail)");
        throw std::runtime_error(failed);
      case pipeline::OnError::Skip:
        log::warn(name, failed + " (skipped)");
        return;
      case pipeline::OnError::DeadLetter: break;
    }
    const std::optional<uint32_t> index = e.batch ? e.batch->origin_index(e.row) : std::nullopt;
    if (!index || !dead_letters) {
      if (metrics) metrics->row_errors_not_dead_lettered(name, node).Increment();
      log::warn(name, log::cat(failed, " (skipped: it could not be dead-lettered, ", no_source_record(e), ")"));
      return;
    }
    const SourceRecords& origin = *e.batch->origin();
    const SourceRecord record = origin.at(*index);
    const std::string where = std::string(record.topic) + "/" + std::to_string(record.partition) + "@" +
                              std::to_string(record.offset);
    if (!origin.claim(*index)) {
      log::warn(name, log::cat(failed, " (its source record ", where, " was already sent to dead-letter topic '",
                               dead_letters->topic(), "')"));
      return;
    }
    // Throws when the record cannot be queued: the operator fails and the
    // pipeline restarts from its last checkpoint rather than lose the row.
    dead_letters->send(origin.source(), raw_record_of(record), e.message, node);
    log::warn(name, log::cat(failed, " (its source record ", where, " was sent to dead-letter topic '",
                             dead_letters->topic(), "')"));
  };
}

// The table's WITH clause as the connectors take it, with the worker's
// bootstrap servers filled in where a connector that talks to brokers has
// none of its own.
connectors::Options connector_options(const pipeline::Options& model_options,
                                      const connectors::ConnectorCapabilities& capabilities,
                                      const SourceLocation& table_location, const WorkerSettings& settings) {
  connectors::Options out = pipeline::connector_options(model_options);
  auto it = out.find(kBootstrapKey);
  if (!capabilities.uses_brokers && it == out.end()) return out;
  if (it != out.end() && looks_like_broker_addresses(it->second)) return out;
  if (settings.bootstrap_servers.empty()) {
    const std::string current = it == out.end() ? "not set" : "'" + it->second + "', not a broker address";
    throw InputError(pipeline::option_location(model_options, kBootstrapKey, table_location),
                     std::string(kBootstrapKey) + " is " + current +
                         ", and the worker has no bootstrap.servers to fill it in (set bootstrap.servers in the worker "
                         "config, ANANAS_BOOTSTRAP_SERVERS or --bootstrap-servers)");
  }
  out[kBootstrapKey] = settings.bootstrap_servers;
  return out;
}

// Where a pipeline's checkpoints are made durable: the worker's brokers, else
// those of its first table that talks to brokers (with its TLS and SASL
// settings); none when it has neither.
std::optional<state::StorageOptions> checkpoint_storage(const pipeline::Pipeline& model,
                                                        const std::vector<connectors::Options>& tables,
                                                        const WorkerSettings& settings) {
  if (!settings.durable_checkpoints) return std::nullopt;
  state::StorageOptions out;
  out.pipeline = model.name;
  out.changelog_partitions = settings.changelog_partitions;
  // The storage's notes name the pipeline in their text: as the log's field.
  out.note = [pipeline = model.name](const std::string& line) {
    const std::string prefix = "pipeline '" + pipeline + "': ";
    if (line.rfind(prefix, 0) == 0) log::warn(pipeline, line.substr(prefix.size()));
    else log::warn(pipeline, line);
  };
  if (!settings.bootstrap_servers.empty()) {
    out.kafka[kBootstrapKey] = settings.bootstrap_servers;
    return out;
  }
  for (const auto& options : tables) {
    auto bs = options.find(kBootstrapKey);
    if (bs == options.end() || !looks_like_broker_addresses(bs->second)) continue;
    for (const auto& [key, value] : options)
      if (key == kBootstrapKey || key.rfind("properties.security.", 0) == 0 || key.rfind("properties.ssl.", 0) == 0 ||
          key.rfind("properties.sasl.", 0) == 0)
        out.kafka[key] = value;
    return out;
  }
  return std::nullopt;
}

std::string join_topics(const std::vector<std::string>& topics) {
  std::string out;
  for (const auto& t : topics) out += (out.empty() ? "" : ";") + t;
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

RestartPolicy restart_policy_of(const pipeline::Pipeline& p) {
  if (!p.restart) return RestartPolicy{};
  const pipeline::RestartPolicy& r = *p.restart;
  RestartPolicy out;
  auto millis = [](const std::optional<pipeline::Duration>& d, Millis fallback) {
    return d ? Millis(d->millis) : fallback;
  };
  switch (r.strategy) {
    case pipeline::RestartStrategy::None: return RestartPolicy::none();
    case pipeline::RestartStrategy::FixedDelay:
      return RestartPolicy::fixed_delay(r.attempts.value_or(out.attempts), millis(r.delay, out.delay));
    case pipeline::RestartStrategy::ExponentialDelay:
      out = RestartPolicy::exponential_delay(millis(r.initial_delay, out.initial_backoff),
                                             millis(r.max_delay, out.max_backoff), r.multiplier.value_or(out.multiplier),
                                             r.jitter.value_or(out.jitter), millis(r.reset_after, out.reset_backoff_after));
      if (r.attempts) out.attempts_before_reset = *r.attempts;
      return out;
    case pipeline::RestartStrategy::FailureRate:
      return RestartPolicy::failure_rate(r.max_failures.value_or(out.max_failures_per_interval),
                                         millis(r.interval, out.failure_rate_interval), millis(r.delay, out.delay));
  }
  return out;
}

std::shared_ptr<WorkerPipelines> load_worker_pipelines(const std::vector<pipeline::InputFile>& inputs,
                                                       std::shared_ptr<Metrics> metrics) {
  auto out = std::make_shared<WorkerPipelines>();
  for (const auto& in : inputs) {
    out->sets.push_back(pipeline::load_input(in));
    for (const auto& w : out->sets.back().warnings) out->warnings.push_back(w);
  }
  // The sets no longer move, so the built pipelines may point into them.
  std::map<std::string, SourceLocation> names;
  for (const auto& set : out->sets) {
    for (const auto& p : set.pipelines) {
      if (auto first = names.find(p.name); first != names.end()) throw pipeline::duplicate_pipeline(p, first->second);
      names.emplace(p.name, p.location);
      std::shared_ptr<PipelineDeadLetters> dead_letters;
      if (p.on_error == pipeline::OnError::DeadLetter && p.dead_letter_topic)
        dead_letters = std::make_shared<PipelineDeadLetters>(p.name, *p.dead_letter_topic);
      out->built.push_back(pipeline::build_pipeline(p, row_error_sink(p, metrics, dead_letters)));
      out->dead_letters.push_back(std::move(dead_letters));
    }
  }
  return out;
}

namespace {

// The source topics the workers of a group could split, whatever the
// operators: every source a Kafka table on the worker's brokers; else none.
// `source_brokers`: each source's resolved bootstrap servers, in order.
std::vector<std::string> split_source_topics(const pipeline::BuiltPipeline& built,
                                             const std::vector<std::string>& source_brokers,
                                             const WorkerSettings& settings) {
  std::vector<std::string> topics;
  for (size_t i = 0; i < built.sources.size(); ++i) {
    const pipeline::Source& s = *built.sources[i].spec;
    const connectors::ConnectorInfo* info = connectors::default_registry().source_info(s.connector);
    if (!info || !info->capabilities.splittable || !info->capabilities.uses_brokers) return {};
    // The group that splits them lives on the worker's brokers.
    if (settings.bootstrap_servers.empty() || source_brokers.at(i) != settings.bootstrap_servers) return {};
    topics.insert(topics.end(), built.sources[i].topics.begin(), built.sources[i].topics.end());
  }
  return topics;
}

// The topics of a pipeline that workers may split whole (PipelineGraph::
// splittable_topics): the split sources' when every operator is stateless.
std::vector<std::string> splittable_topics(const pipeline::BuiltPipeline& built,
                                           const std::vector<std::string>& source_topics) {
  for (const auto& op : built.operators)
    if (!pipeline::kind_of(*op.spec).stateless()) return {};
  return source_topics;
}

// What to_pipeline_graph builds, with what splitting it needs.
struct GraphAndSplit {
  PipelineGraph graph;
  std::vector<std::string> split_sources;  // split_source_topics
  bool exactly_once = false;
};

GraphAndSplit build_graph(std::shared_ptr<const pipeline::BuiltPipeline> built, const WorkerSettings& settings,
                          std::shared_ptr<PipelineDeadLetters> dead_letters) {
  GraphAndSplit result;
  const pipeline::Pipeline& model = *built->model;
  if (model.on_error == pipeline::OnError::DeadLetter && !dead_letters)
    throw std::logic_error("pipeline '" + model.name + "': on_error: dead-letter without the pipeline's dead letters");
  PipelineGraph g;
  g.name = model.name;
  g.definition = pipeline::emit_pipeline_yaml(model);
  g.restart = restart_policy_of(model);
  g.runtime = settings.runtime;
  if (auto interval = model.setting("checkpoint_interval")) {
    auto ms = parse_duration_millis(*interval);
    if (!ms || *ms < 0)
      throw InputError(pipeline::option_location(model.settings, "checkpoint_interval", model.location),
                       "checkpoint_interval: expected a duration such as 5s, got '" + *interval + "'");
    g.runtime.checkpoint_interval = Millis(*ms);
  }

  std::vector<connectors::Options> broker_tables;  // options of the tables, in order
  std::vector<std::string> source_brokers;         // per source, its resolved bootstrap servers
  for (const auto& source : built->sources) {
    const pipeline::Source& s = *source.spec;
    SourceDriverSpec spec;
    spec.pipeline = model.name;
    spec.connector = s.connector;
    // Checked by the connector before anything opens, as `ananas validate` checks it.
    const connectors::ConnectorInfo& connector = pipeline::check_source_connector(s);
    spec.options = connector_options(s.options, connector.capabilities, s.location, settings);
    pipeline::check_source_connector(s, spec.options);
    if (connector.capabilities.uses_brokers) broker_tables.push_back(spec.options);
    source_brokers.push_back(spec.options.count(kBootstrapKey) ? spec.options.at(kBootstrapKey) : std::string());
    spec.on_error = model.on_error;
    spec.max_batch_rows = settings.source_batch_records;
    spec.max_batch_bytes = settings.source_batch_bytes;
    spec.dead_letter_topic = model.dead_letter_topic;
    spec.dead_letters = dead_letters;
    if (spec.on_error == pipeline::OnError::DeadLetter && spec.options[kBootstrapKey].empty()) {
      // A non-Kafka source's dead letters go to the worker's brokers.
      if (settings.bootstrap_servers.empty())
        throw InputError(model.location, "on_error: dead-letter: table '" + s.name +
                                             "' has no Kafka brokers to write dead letters to, and the worker has no "
                                             "bootstrap.servers");
      spec.options[kBootstrapKey] = settings.bootstrap_servers;
    }
    std::shared_ptr<const pipeline::BuiltSource> table(built, &source);
    NodeSpec n;
    n.name = s.name;
    n.kind = NodeKind::Source;
    n.topic = join_topics(source.topics);
    n.make_source = [spec, table]() -> std::unique_ptr<SourceDriver> {
      return std::make_unique<ConnectorSourceDriver>(spec, table);
    };
    // A splittable source (Kafka) runs one instance per core, never more than
    // it has partitions to share... which are only known at open: an
    // instance without a partition reads nothing and holds nothing back.
    const connectors::ConnectorInfo* info = connectors::default_registry().source_info(spec.connector);
    if (info && info->capabilities.splittable) n.parallelism = std::max(1, settings.source_instances);
    g.nodes.push_back(std::move(n));
  }
  for (const auto& op : built->operators) {
    NodeSpec n;
    n.name = op.name;
    n.kind = NodeKind::Operator;
    n.inputs = op.inputs;
    n.parallelism = op.parallelism;
    n.key_columns = op.key_columns;
    std::shared_ptr<const pipeline::BuiltOperator> node(built, &op);
    n.make_operator = [node] { return node->make(); };
    g.nodes.push_back(std::move(n));
  }
  g.storage = checkpoint_storage(model, broker_tables, settings);
  result.split_sources = split_source_topics(*built, source_brokers, settings);
  g.splittable_topics = splittable_topics(*built, result.split_sources);
  std::shared_ptr<connectors::kafka::KafkaTransaction> transaction;
  std::string transaction_prefix;
  for (const auto& sink : built->sinks) {
    const pipeline::Sink& s = *sink.spec;
    const connectors::ConnectorInfo& connector = pipeline::check_sink_connector(s);
    SinkDriverSpec spec;
    spec.pipeline = model.name;
    spec.connector = s.connector;
    spec.options = connector_options(s.options, connector.capabilities, s.location, settings);
    pipeline::check_sink_connector(s, spec.options);
    spec.dead_letters = dead_letters;
    if (connector.capabilities.uses_brokers) broker_tables.push_back(spec.options);
    if (auto g2 = spec.options.find("sink.delivery-guarantee");
        g2 != spec.options.end() && g2->second == "exactly-once") {
      const std::string prefix = spec.options.at("sink.transactional-id-prefix");
      const SourceLocation at = pipeline::option_location(s.options, "sink.delivery-guarantee", s.location);
      if (!g.storage)
        throw InputError(at, "sink.delivery-guarantee 'exactly-once' of table '" + s.name +
                                 "' needs the pipeline's checkpoints in Kafka, but the worker keeps them in memory "
                                 "(checkpoint.storage) or knows no Kafka brokers");
      if (transaction && prefix != transaction_prefix)
        throw InputError(at, "the exactly-once sinks of a pipeline share one Kafka transaction: table '" + s.name +
                                 "' has sink.transactional-id-prefix '" + prefix + "', another sink '" +
                                 transaction_prefix + "'");
      if (!transaction) {
        // One producer per pipeline instance: `<prefix>-<pipeline>-0` (Flink
        // appends the subtask to the prefix the same way).
        transaction = std::make_shared<connectors::kafka::KafkaTransaction>(
            g.storage->kafka, prefix + "-" + model.name + "-0", g.storage->timeout);
        transaction_prefix = prefix;
        g.storage->transaction = transaction;
      }
      spec.transaction = transaction;
      // One transactional producer per pipeline: two workers would fence each other.
      g.splittable_topics.clear();
      result.exactly_once = true;
    }
    std::shared_ptr<const pipeline::BuiltSink> table(built, &sink);
    NodeSpec n;
    n.name = sink.name;
    n.kind = NodeKind::Sink;
    n.inputs = {sink.input};
    n.topic = sink.topic;
    n.make_sink = [spec, table]() -> std::unique_ptr<SinkDriver> {
      return std::make_unique<ConnectorSinkDriver>(spec, table);
    };
    g.nodes.push_back(std::move(n));
  }
  result.graph = std::move(g);
  return result;
}

}  // namespace

PipelineGraph to_pipeline_graph(std::shared_ptr<const pipeline::BuiltPipeline> built, const WorkerSettings& settings,
                                std::shared_ptr<PipelineDeadLetters> dead_letters) {
  return build_graph(std::move(built), settings, std::move(dead_letters)).graph;
}

std::vector<PipelineGraph> to_worker_graphs(std::shared_ptr<const pipeline::BuiltPipeline> built,
                                            const WorkerSettings& settings,
                                            std::shared_ptr<PipelineDeadLetters> dead_letters) {
  GraphAndSplit r = build_graph(built, settings, dead_letters);
  std::vector<PipelineGraph> out;
  // With the sources split, a keyed operator is fed through an exchange
  // topic (exchange_split.hpp); one transactional producer per pipeline rules
  // the split out, as it does for stateless pipelines.
  const bool cut = settings.exchanges && r.graph.splittable_topics.empty() && !r.split_sources.empty() && !r.exactly_once;
  connectors::Options kafka = {{kBootstrapKey, settings.bootstrap_servers}};
  // Already partitioned by its key: no exchange, one shard per source partition.
  if (cut)
    if (auto co = plan_copartitioned(*built)) {
      r.graph.splittable_topics = {co->topic};
      auto sharding = std::make_shared<PipelineGraph::Sharding>();
      sharding->topic = co->topic;
      sharding->key_group_ranges = false;
      sharding->partitions = [kafka, pipeline = r.graph.name, topic = co->topic] {
        return topic_partitions(kafka, pipeline, topic, std::chrono::seconds(10));
      };
      r.graph.sharding = std::move(sharding);
      out.push_back(std::move(r.graph));
      return out;
    }
  std::optional<ExchangePlan> plan;
  if (cut) plan = plan_exchange(*built);
  if (!plan) {
    out.push_back(std::move(r.graph));
    return out;
  }
  return split_at_exchange(r.graph, *plan, r.split_sources, kafka, settings, std::move(dead_letters));
}

std::vector<PipelineGraph> to_pipeline_graphs(const std::shared_ptr<const WorkerPipelines>& loaded,
                                              const WorkerSettings& settings) {
  std::vector<PipelineGraph> out;
  for (size_t i = 0; i < loaded->built.size(); ++i)
    for (auto& g : to_worker_graphs(std::shared_ptr<const pipeline::BuiltPipeline>(loaded, &loaded->built[i]),
                                    settings, loaded->dead_letters.at(i)))
      out.push_back(std::move(g));
  return out;
}

namespace {

// The first `pipeline:` key of a YAML body (a single pipeline, or the first
// of a `pipelines:` list), read from the text so that an error in the body
// cites the name the user wrote; "" when there is none.
std::string yaml_pipeline_name(const std::string& body) {
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string line = body.substr(start, end - start);
    start = end + 1;
    line.erase(0, line.find_first_not_of(" \t"));
    if (line.rfind("- ", 0) == 0) line.erase(0, line.find_first_not_of(" \t", 1));
    if (line.rfind("pipeline:", 0) != 0) continue;
    std::string value = line.substr(9);
    if (size_t hash = value.find(" #"); hash != std::string::npos) value.erase(hash);
    value.erase(0, value.find_first_not_of(" \t\"'"));
    value.erase(value.find_last_not_of(" \t\r\"'") + 1);
    if (!value.empty() && value.find_first_of("/\\{}[],") == std::string::npos) return value;
  }
  return "";
}

}  // namespace

pipeline::InputFile request_body_input(const std::string& body, const std::string& content_type,
                                       const std::function<std::string()>& generated_name) {
  const std::string type = lower(content_type);
  std::string name;
  if (size_t at = type.find("name="); at != std::string::npos) {
    // The original spelling: names are case-sensitive.
    std::string value = content_type.substr(at + 5);
    value = value.substr(0, value.find(';'));
    value.erase(0, value.find_first_not_of(" \t\""));
    value.erase(value.find_last_not_of(" \t\"") + 1);
    name = value;
  }
  pipeline::InputKind kind;
  if (type.find("yaml") != std::string::npos) kind = pipeline::InputKind::Yaml;
  else if (type.find("sql") != std::string::npos) kind = pipeline::InputKind::Sql;
  else if (type.find("json") != std::string::npos) kind = pipeline::InputKind::ApplicationJson;
  else {
    // No usable Content-Type (curl --data sends form-urlencoded): look at the text.
    const size_t first = body.find_first_not_of(" \t\r\n");
    const std::string head = lower(body.substr(first == std::string::npos ? 0 : first, 200));
    if (first != std::string::npos && body[first] == '{') kind = pipeline::InputKind::ApplicationJson;
    else if (head.rfind("create", 0) == 0 || head.rfind("insert", 0) == 0 || head.rfind("--", 0) == 0 ||
             head.rfind("set ", 0) == 0)
      kind = pipeline::InputKind::Sql;
    else kind = pipeline::InputKind::Yaml;
  }
  // YAML names its pipelines itself (`pipeline:`): the file is named after
  // it, whatever the parameter says, and no generated name is used up.
  if (kind == pipeline::InputKind::Yaml) {
    name = yaml_pipeline_name(body);
    if (name.empty()) name = "body";
  } else if (name.empty()) {
    name = generated_name();
  }
  const char* ext = kind == pipeline::InputKind::Yaml ? ".yaml" : kind == pipeline::InputKind::Sql ? ".sql" : ".json";
  return pipeline::InputFile{name + ext, kind, body};
}

}  // namespace ananas::rt::drivers
