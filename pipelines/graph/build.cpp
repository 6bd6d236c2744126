#include <algorithm>
#include <map>
#include <set>

#include "core/expr/binder.hpp"
#include "core/expr/builders.hpp"
#include "core/json/json_encoder.hpp"
#include "core/timefmt.hpp"
#include "core/sql/printer.hpp"
#include "core/sql/type_parser.hpp"
#include "dataflow/topology.hpp"
#include "pipelines/graph/build_operator.hpp"
#include "pipelines/graph/columns_needed.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/graph/json_format_options.hpp"
#include "pipelines/graph/source_rows.hpp"
#include "pipelines/graph/table_connectors.hpp"
#include "pipelines/implicit_cast.hpp"
#include "core/expr/coerce.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"

namespace ananas::pipeline {

std::optional<std::string> option(const Options& options, const std::string& key) {
  for (const auto& o : options)
    if (o.key == key) return o.value;
  return std::nullopt;
}

const BuiltSource* BuiltPipeline::find_source(const std::string& name) const {
  for (const auto& s : sources)
    if (s.spec->name == name) return &s;
  return nullptr;
}

const BuiltOperator* BuiltPipeline::find_operator(const std::string& name) const {
  for (const auto& o : operators)
    if (o.name == name) return &o;
  return nullptr;
}

const Schema& BuiltPipeline::schema_of(const std::string& node) const {
  if (const auto* s = find_source(node)) return s->schema;
  if (const auto* o = find_operator(node)) return o->output;
  throw std::out_of_range("no node named '" + node + "'");
}

namespace {

SourceLocation or_else(const SourceLocation& a, const SourceLocation& b) { return a.line ? a : b; }

// Built sources in model order.
BuiltSource build_source(const Source& s, const Pipeline& p) {
  BuiltSource b;
  b.spec = &s;
  std::vector<expr::CompiledExprPtr> computed(s.columns.size());
  for (const auto& c : s.columns) {
    Type t = c.expression ? Type::null_type() : parse_type(c.type, c.type_location.file, c.type_location);
    b.schema.columns.push_back({c.name, t});
  }
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const Column& c = s.columns[i];
    if (!c.expression) continue;
    computed[i] = compile(*c.expression, b.schema);
    Type t = computed[i]->type();
    std::string text = c.expression->text;
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char ch) { return std::toupper(ch); });
    if (text.rfind("PROCTIME(", 0) == 0) t = t.with_time_attr(TimeAttr::Proctime);
    b.schema.columns[i].type = t;
  }
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const Column& c = s.columns[i];
    if (!c.metadata) continue;
    static const std::set<std::string> known = {"timestamp", "partition", "offset", "topic", "timestamp-type", "headers", "leader-epoch"};
    if (!known.count(*c.metadata) || *c.metadata == "headers" || *c.metadata == "leader-epoch" || *c.metadata == "timestamp-type")
      throw InputError(c.location, "metadata key '" + *c.metadata + "' is not supported; use 'timestamp', 'partition', 'offset' or 'topic'");
  }
  expr::CompiledExprPtr watermark;
  if (s.watermark) {
    size_t i = column_index(b.schema, s.watermark->column, s.watermark->location, "WATERMARK column");
    // Flink: DefaultSchemaResolver.validateTimeColumn (watermarks are epoch milliseconds).
    if (!b.schema[i].type.is_timestamp() || b.schema[i].type.precision > 3)
      throw InputError(s.watermark->location, "Invalid data type of time field for watermark definition. The field must be of type "
                                              "TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the "
                                              "time field type is " + b.schema[i].type.to_string());
    b.schema.columns[i].type = b.schema[i].type.with_time_attr(TimeAttr::Rowtime);
    b.rowtime = i;
    watermark = compile(s.watermark->expression, b.schema);
    if (!watermark->type().is_timestamp())
      throw InputError(s.watermark->expression.location, "the WATERMARK expression must return a timestamp, but returns " +
                                                             watermark->type().to_string());
  }
  b.topics = table_topics(check_source_connector(s), s.name, s.options);
  check_json_format_options(s.name, s.connector, s.options, s.location);
  if (!s.format.empty() && s.format != "json")
    throw InputError(s.location, "format '" + s.format + "' is not supported; Ananas reads 'json'");
  if (s.idle_timeout) b.idle_timeout_ms = s.idle_timeout->millis;
  else if (auto d = p.setting("idle_timeout")) b.idle_timeout_ms = parse_duration_millis(*d).value_or(0);
  return b;
}

}  // namespace

// Operators in the order dataflow::Topology runs them (each after its input;
// among ready operators, file order first).
static std::vector<const Operator*> topological(const Pipeline& p) {
  std::vector<dataflow::NodeDecl> decls;
  for (const auto& s : p.sources) decls.push_back({s.name, dataflow::NodeKind::Source, {}, 1});
  for (const auto& op : p.operators) decls.push_back({op.name, dataflow::NodeKind::Operator, op.inputs(), 1});
  dataflow::TopologyRules rules;
  rules.require_sink = false;
  rules.require_source = false;
  try {
    dataflow::Topology t(decls, rules);
    std::vector<const Operator*> order;
    for (size_t n : t.order())
      if (n >= p.sources.size()) order.push_back(&p.operators[n - p.sources.size()]);
    return order;
  } catch (const dataflow::TopologyError& e) {
    using K = dataflow::TopologyError::Kind;
    const bool bad_input = e.kind == K::UnknownInput || e.kind == K::SelfInput || e.kind == K::Cycle;
    if (!bad_input || e.node < p.sources.size() || e.node >= decls.size()) throw InputError(SourceLocation{}, e.what());
    const Operator* o = &p.operators[e.node - p.sources.size()];
    throw InputError(or_else(o->input_location, o->location),
                     "operator '" + o->name + "' reads '" + (e.input.empty() ? o->input : e.input) +
                         "', which is no source or operator of this pipeline (or a cycle)");
  }
}

BuiltPipeline build_pipeline(const Pipeline& p, RowErrorSink on_row_error) {
  BuiltPipeline b;
  b.model = &p;
  std::map<std::string, bool> updating;  // node -> emits updates
  for (const auto& s : p.sources) {
    b.sources.push_back(build_source(s, p));
    updating[s.name] = false;
  }
  // Decoders need the final BuiltSource (owned by b), so their factories are set afterwards.
  for (auto& bs : b.sources) {
    const Source& s = *bs.spec;
    const BuiltSource* src = &bs;
    bs.make_decoder = [src, &s]() {
      std::vector<expr::CompiledExprPtr> computed(s.columns.size());
      for (size_t i = 0; i < s.columns.size(); ++i)
        if (s.columns[i].expression) computed[i] = compile(*s.columns[i].expression, src->schema);
      expr::CompiledExprPtr wm = s.watermark ? compile(s.watermark->expression, src->schema) : nullptr;
      return std::make_unique<SourceRowDecoder>(*src, std::move(computed), std::move(wm));
    };
  }
  for (const Operator* op : topological(p)) {
    bool input_updating = updating[op->input];
    std::vector<Schema> more_inputs;
    for (const auto& in : op->more_inputs) {
      more_inputs.push_back(b.schema_of(in));
      input_updating = input_updating || updating[in];
    }
    BuiltOperator bo = build_operator(p, *op, b.schema_of(op->input), input_updating, on_row_error, std::move(more_inputs));
    updating[op->name] = bo.updating;
    b.operators.push_back(std::move(bo));
  }
  for (const auto& s : p.sinks) {
    BuiltSink bs;
    bs.spec = &s;
    bs.name = s.name;
    bs.input = s.input;
    if (!b.find_source(s.input) && !b.find_operator(s.input))
      throw InputError(or_else(s.input_location, s.location), "sink '" + s.name + "' reads '" + s.input + "', which is no source or operator");
    const Schema& input = b.schema_of(s.input);
    const connectors::ConnectorInfo& connector = check_sink_connector(s);
    check_json_format_options(s.name, s.connector, s.options, s.location);
    bs.value_json = json_encode_options(s.options, JsonRecordPart::Value);
    bs.key_json = json_encode_options(s.options, JsonRecordPart::Key);
    bs.upsert = connector.capabilities.changelog == connectors::ChangelogMode::Upsert;
    if (updating[s.input] && !bs.upsert)
      throw InputError(s.location, "Table sink '" + s.name + "' doesn't support consuming update changes which is produced by node " + s.input);
    if (connector.capabilities.keyed && s.primary_key.empty())
      throw InputError(s.location, "'" + s.connector + "' sink '" + s.name + "' needs a primary_key");
    if (s.columns.size() != input.size())
      throw InputError(s.location, "Column types of query result and sink for '" + s.name + "' do not match. Cause: Different number of columns. "
                                   "Query schema: " + input.to_string() + ", sink has " + std::to_string(s.columns.size()) + " columns");
    Schema sink_schema;
    for (size_t i = 0; i < s.columns.size(); ++i) {
      const Column& c = s.columns[i];
      Type t = parse_type(c.type, c.type_location.file, c.type_location);
      const Type& q = input[i].type;
      // Numbers widen as INSERT's implicit casts allow (INT into DOUBLE); the sink converts them.
      bool numeric = q.is_numeric() && t.is_numeric() && numeric_rank(q.id) <= numeric_rank(t.id);
      bool ok = q.same_shape(t) || q.id == TypeId::Null || numeric || (q.is_character() && t.is_character()) ||
                (q.is_timestamp() && t.id == q.id);
      if (!ok)
        throw InputError(or_else(c.type_location, c.location), "Column types of query result and sink for '" + s.name +
                                                                   "' do not match. Cause: Incompatible types for sink column '" + c.name +
                                                                   "' at position " + std::to_string(i) + ": query gives " + q.to_string() +
                                                                   ", sink declares " + t.to_string());
      if (auto why = json_unsupported_type(t)) throw InputError(or_else(c.type_location, c.location), *why);
      expr::CompiledExprPtr convert;
      // A timestamp into a column of lower precision is cut to it (the cast
      // Flink's DynamicSinkUtils.validateSchemaAndApplyImplicitCast inserts).
      if (numeric || (q.is_timestamp() && t.id == q.id && t.precision < q.precision)) {
        expr::CompiledExprPtr in = expr::column(i, q);
        convert = expr::detail::coerce(in, t);
        if (convert == in) convert = nullptr;  // the same physical value (INT into BIGINT)
      }
      sink_schema.columns.push_back({c.name, t});
      bs.value_columns.push_back({i, c.name, t, convert});
    }
    for (const auto& k : s.primary_key) {
      size_t i = column_index(sink_schema, k, s.location, "primary key column");
      bs.key_columns.push_back({i, k, sink_schema[i].type, bs.value_columns[i].convert});
    }
    bs.topic = table_topics(connector, s.name, s.options).front();
    b.sinks.push_back(std::move(bs));
  }
  compute_source_columns_needed(b);
  return b;
}

}  // namespace ananas::pipeline
