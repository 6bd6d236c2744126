// ananas explain: the operator graph of a pipeline with keys, parallelism,
// changelog mode and the schema on every edge.
#include <iostream>
#include <variant>

#include "actors/drivers/copartition.hpp"
#include "actors/drivers/exchange_split.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/loading.hpp"
#include "cli/report.hpp"
#include "pipelines/operator_kinds/window_aggregate/window_aggregate.hpp"
#include "state/state_topics.hpp"

namespace ananas::cli {
namespace {

std::string keys_text(const Schema& input, const std::vector<size_t>& keys) {
  std::string s;
  for (size_t k : keys) s += (s.empty() ? "" : ", ") + input[k].name;
  return s;
}

void explain(const pipeline::BuiltPipeline& b, std::ostream& os) {
  os << "pipeline " << b.model->name << "\n";
  for (const auto& s : b.sources) {
    os << "  source " << s.spec->name << " [" << s.spec->connector << ", topic " ;
    for (size_t i = 0; i < s.topics.size(); ++i) os << (i ? ";" : "") << s.topics[i];
    os << ", format " << (s.spec->format.empty() ? "json" : s.spec->format) << "]";
    if (s.spec->watermark) os << "\n      watermark: " << s.spec->watermark->expression.text;
    os << "\n      out: " << s.schema.to_string() << "\n";
  }
  for (const auto& o : b.operators) {
    const Schema& in = b.schema_of(o.input);
    os << "  " << to_string(o.spec->type()) << " " << o.name << " <- ";
    for (size_t i = 0; i < o.inputs.size(); ++i) os << (i ? ", " : "") << o.inputs[i];
    os << "  [parallelism " << o.parallelism;
    if (!o.key_columns.empty()) os << ", key (" << keys_text(in, o.key_columns) << ")";
    os << ", " << (o.updating ? "changelog +I/-U/+U/-D" : "insert-only") << "]\n";
    if (const auto* w = std::get_if<pipeline::WindowAggregate>(&o.spec->body))
      os << "      window: " << to_string(w->window.kind) << " on " << w->window.time_column << ", "
         << (w->window.processing_time ? "processing time (fires on the operator's clock)" : "event time (fires on the watermark)")
         << "\n";
    os << "      out: " << o.output.to_string() << "\n";
  }
  for (const auto& s : b.sinks) {
    os << "  sink " << s.name << " <- " << s.input << "  [" << s.spec->connector << ", topic " << s.topic;
    if (s.upsert) {
      os << ", key (";
      for (size_t i = 0; i < s.key_columns.size(); ++i) os << (i ? ", " : "") << s.key_columns[i].name;
      os << ")";
    }
    os << "]\n      in: " << b.schema_of(s.input).to_string() << "\n";
  }
  // How a worker group spreads it: by the source's message key, or cut at
  // an exchange (actors/drivers/copartition.hpp, exchange_split.hpp).
  if (auto co = rt::drivers::plan_copartitioned(b)) {
    std::string key;
    for (const auto& k : co->primary_key) key += std::string(key.empty() ? "" : ", ") + k;
    os << "  no exchange: keyed by the message key (" << key << ") of topic " << co->topic
       << "  [in a worker group: one shard per partition of " << co->topic << ", with the state of its keys]\n";
  } else if (auto plan = rt::drivers::plan_exchange(b)) {
    os << "  exchange " << plan->input << " -> " << plan->keyed_operator << "  [in a worker group with group.exchange: "
       << "key (" << keys_text(plan->schema, plan->key_columns) << "), topic "
       << state::exchange_topic(b.model->name, plan->keyed_operator) << "]\n"
       << "      scan part " << rt::drivers::scan_pipeline_name(b.model->name)
       << " runs on every worker over its share of the source partitions; the keyed part " << b.model->name
       << " from " << plan->keyed_operator << " on, once per exchange partition, spread over the workers\n"
       << "      carries " << (plan->columns ? "(" + keys_text(plan->schema, *plan->columns) + "), the others as NULL"
                                             : std::string("every column"))
       << "\n";
    if (plan->two_phase)
      os << "      two phases: the scan part folds the rows into partial aggregates per key and window, the keyed part "
            "merges them (settings.agg_phase_strategy: one_phase sends every row)\n";
  }
}

int run_explain(int argc, char** argv) {
  Args args("ananas explain [options] FILE|DIR...",
            "Prints the actor graph of each pipeline: sources, operators and sinks with their keys,\n"
            "parallelism, changelog mode and the schema on every edge.");
  args.option("pipeline", "NAME", "explain only this pipeline").positionals("FILE|DIR...", "inputs", 1);
  if (!args.parse(argc, argv, std::cout)) return kExitOk;
  try {
    auto loaded = load_and_build(args.rest());
    print_warnings(loaded->warnings);
    bool first = true;
    for (const auto& b : loaded->built) {
      if (args.has("pipeline") && b.model->name != args.get("pipeline")) continue;
      if (!first) std::cout << "\n";
      explain(b, std::cout);
      first = false;
    }
    if (first) pick_pipeline(*loaded, args.get("pipeline"));  // reports the unknown name
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitInvalid;
  }
  return kExitOk;
}

}  // namespace
ANANAS_COMMAND(explain, "explain", "show the operator graph with keys, parallelism, schemas", run_explain);
}  // namespace ananas::cli
