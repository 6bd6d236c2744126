#include "actors/drivers/exchange_split.hpp"

#include <algorithm>
#include <set>

#include "actors/drivers/connector_source_driver.hpp"
#include "actors/drivers/exchange_sink_driver.hpp"
#include "actors/drivers/exchange_topic.hpp"
#include "pipelines/graph/exchange_rows.hpp"
#include "pipelines/operator_kinds/registry.hpp"
#include "state/state_topics.hpp"

namespace ananas::rt::drivers {

namespace {

// The model and build of the table the keyed part reads the exchange
// through, kept alive by the source factory.
struct ExchangeTable {
  pipeline::Source model;
  pipeline::BuiltSource built;
};

}  // namespace

std::string scan_pipeline_name(const std::string& pipeline) { return pipeline + ".scan"; }

std::optional<ExchangePlan> plan_exchange(const pipeline::BuiltPipeline& built) {
  // The stateless part: the sources and every stateless operator fed by it.
  // Several source tables (a UNION ALL of two topics) are not split: the
  // scan part is cut for one table's partitions.
  if (built.sources.size() != 1) return std::nullopt;
  std::set<std::string> stateless;
  for (const auto& s : built.sources) stateless.insert(s.spec->name);
  auto all_stateless = [&](const pipeline::BuiltOperator& op) {
    return std::all_of(op.inputs.begin(), op.inputs.end(), [&](const std::string& in) { return stateless.count(in) > 0; });
  };
  for (const auto& op : built.operators)  // topological order: inputs come first
    if (all_stateless(op) && pipeline::kind_of(*op.spec).stateless()) stateless.insert(op.name);
  std::vector<const pipeline::BuiltOperator*> cut;
  for (const auto& op : built.operators)
    if (!stateless.count(op.name) &&
        std::any_of(op.inputs.begin(), op.inputs.end(), [&](const std::string& in) { return stateless.count(in) > 0; }))
      cut.push_back(&op);
  // One cut edge: a keyed operator reading one stateless node.
  if (cut.size() != 1 || cut[0]->inputs.size() != 1) return std::nullopt;
  ExchangePlan plan;
  plan.keyed_operator = cut[0]->name;
  plan.input = cut[0]->input;
  plan.key_columns = cut[0]->key_columns;
  plan.schema = built.schema_of(cut[0]->input);
  if (cut[0]->two_phase && (!built.model || built.model->agg_phase_strategy() != pipeline::AggPhaseStrategy::OnePhase))
    plan.two_phase = cut[0]->two_phase;
  if (built.model) {
    const pipeline::OperatorBinding binding{*built.model, *cut[0]->spec, plan.schema, {}};
    plan.columns = pipeline::kind_of(*cut[0]->spec).columns_read(binding);
    // The key travels too, whatever the kind says (it places the rows).
    if (plan.columns) {
      std::set<size_t> all(plan.columns->begin(), plan.columns->end());
      all.insert(plan.key_columns.begin(), plan.key_columns.end());
      plan.columns = std::vector<size_t>(all.begin(), all.end());
    }
  }
  return plan;
}

std::vector<PipelineGraph> split_at_exchange(const PipelineGraph& whole, const ExchangePlan& plan,
                                             const std::vector<std::string>& source_topics,
                                             const connectors::Options& kafka, const WorkerSettings& settings,
                                             std::shared_ptr<PipelineDeadLetters> dead_letters) {
  const std::string topic = state::exchange_topic(whole.name, plan.keyed_operator);
  const std::string exchange_node = plan.input + ".exchange";

  // Which nodes belong to the scan part: the sources, the operators fed only
  // by the scan part up to the cut, and sinks fed by those.
  std::set<std::string> scan_nodes;
  for (const auto& n : whole.nodes) {
    if (n.kind == NodeKind::Source) {
      scan_nodes.insert(n.name);
      continue;
    }
    if (n.name == plan.keyed_operator) continue;
    bool fed_by_scan = !n.inputs.empty();
    for (const auto& in : n.inputs) fed_by_scan = fed_by_scan && scan_nodes.count(in);
    if (fed_by_scan) scan_nodes.insert(n.name);
  }

  PipelineGraph scan;
  scan.name = scan_pipeline_name(whole.name);
  scan.definition = whole.definition;
  scan.restart = whole.restart;
  scan.runtime = whole.runtime;
  scan.splittable_topics = source_topics;
  PipelineGraph keyed;
  keyed.name = whole.name;
  keyed.definition = whole.definition;
  keyed.restart = whole.restart;
  keyed.runtime = whole.runtime;
  keyed.storage = whole.storage;
  // The keyed part runs once per exchange partition, on whichever worker
  // the group gives it to, with the state of that partition's key groups.
  keyed.splittable_topics = {topic};
  auto sharding = std::make_shared<PipelineGraph::Sharding>();
  sharding->topic = topic;
  sharding->partitions = [kafka, pipeline = whole.name, topic, partitions = settings.exchange_partitions] {
    return ensure_exchange_topic(kafka, pipeline, topic, partitions, std::chrono::seconds(10));
  };
  keyed.sharding = std::move(sharding);
  for (const auto& n : whole.nodes) (scan_nodes.count(n.name) ? scan : keyed).nodes.push_back(n);
  // Two phases: the sources tell the exchange sink which partitions their
  // last reader drained (it folds those from the start).
  auto drained = plan.two_phase ? std::make_shared<DrainedStarts>() : nullptr;
  for (auto& n : scan.nodes) {
    if (n.kind == NodeKind::Source) {
      // The exchange stamps each row with its source record.
      n.make_source = [make = n.make_source, drained]() {
        std::unique_ptr<SourceDriver> driver = make();
        driver->keep_origin();
        if (drained)
          driver->on_partition_start([drained](const connectors::PartitionId& p, bool d) { drained->set(p, d); });
        return driver;
      };
    } else {
      // One instance of each operator up to the exchange keeps the rows of a
      // source partition in their records' order, which the reader's
      // de-duplication relies on (dataflow/exchange_dedup.hpp). The group
      // spreads this part over the workers instead.
      n.parallelism = 1;
    }
  }

  ExchangeSinkSpec sink;
  sink.pipeline = scan.name;
  sink.node = exchange_node;
  sink.topic = topic;
  sink.kafka = kafka;
  sink.partitions = settings.exchange_partitions;
  sink.key_columns = plan.key_columns;
  sink.columns = plan.columns;
  sink.source_topics = source_topics;
  sink.dead_letters = dead_letters;
  if (plan.two_phase) {
    sink.make_combiner = plan.two_phase->make_local;
    sink.drained_starts = drained;
  }
  NodeSpec out;
  out.name = exchange_node;
  out.kind = NodeKind::Sink;
  out.inputs = {plan.input};
  out.topic = topic;
  out.make_sink = [sink]() -> std::unique_ptr<SinkDriver> { return std::make_unique<ExchangeSinkDriver>(sink); };
  scan.nodes.push_back(std::move(out));

  auto table = std::make_shared<ExchangeTable>();
  table->model.name = exchange_node;
  table->model.connector = "kafka";
  table->built.spec = &table->model;
  table->built.schema = plan.schema;
  // Two phases: each row also carries a partial's state (NULL for a row).
  if (plan.two_phase) table->built.schema.columns.push_back({"partial", Type::bytes()});
  table->built.topics = {topic};
  SourceDriverSpec source;
  source.pipeline = whole.name;
  source.connector = "kafka";
  for (const auto& [key, value] : kafka)
    if (key.rfind("properties.", 0) == 0) source.options[key] = value;
  source.options["topic"] = topic;
  // Where the shard's last checkpoint left it; a shard without one reads
  // its partition from the start (committed offsets move on with checkpoints).
  source.options["scan.startup.mode"] = "group-offsets";
  source.options["properties.auto.offset.reset"] = "earliest";
  source.options["properties.group.id"] = "ananas-" + whole.name + "-exchange";
  // A row the scan part wrote is never malformed; a corrupt record fails the
  // pipeline rather than losing rows silently.
  source.on_error = pipeline::OnError::Fail;
  const size_t width = plan.schema.size();
  const bool partials = plan.two_phase.has_value();
  source.make_decoder = [width, partials]() -> std::unique_ptr<pipeline::RecordDecoder> {
    return std::make_unique<pipeline::ExchangeRowDecoder>(width, partials);
  };
  NodeSpec in;
  in.name = exchange_node;
  in.kind = NodeKind::Source;
  in.topic = topic;
  in.make_source = [source, table]() -> std::unique_ptr<SourceDriver> {
    return std::make_unique<ConnectorSourceDriver>(source, std::shared_ptr<const pipeline::BuiltSource>(table, &table->built));
  };
  for (auto& n : keyed.nodes) {
    for (auto& i : n.inputs)
      if (i == plan.input) i = exchange_node;
    if (plan.two_phase && n.name == plan.keyed_operator) n.make_operator = plan.two_phase->make_global;
  }
  keyed.nodes.insert(keyed.nodes.begin(), std::move(in));

  std::vector<PipelineGraph> out_graphs;
  out_graphs.push_back(std::move(scan));
  out_graphs.push_back(std::move(keyed));
  return out_graphs;
}

}  // namespace ananas::rt::drivers
