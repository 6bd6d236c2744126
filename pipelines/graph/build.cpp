#include <algorithm>
#include <map>
#include <set>

#include "core/expr/binder.hpp"
#include "core/expr/builders.hpp"
#include "core/json/json_encoder.hpp"
#include "core/timefmt.hpp"
#include "core/sql/printer.hpp"
#include "core/sql/type_parser.hpp"
#include "operators/calc.hpp"
#include "operators/group_aggregate.hpp"
#include "operators/unnest.hpp"
#include "operators/upsert_materializer.hpp"
#include "operators/window_aggregate.hpp"
#include "operators/window_assign.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/graph/match_recognize_config.hpp"
#include "pipelines/graph/source_rows.hpp"

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

std::vector<std::string> split_topics(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(';', start);
    std::string t = s.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!t.empty()) out.push_back(t);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

size_t column_index(const Schema& schema, const std::string& name, const SourceLocation& loc, const std::string& what) {
  if (auto i = schema.find(name)) return *i;
  std::string hint = closest_match(name, schema.names());
  throw InputError(loc, what + " '" + name + "' is not a column of the input " + schema.to_string() +
                            (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

expr::CompiledExprPtr compile(const Expr& e, const Schema& input) { return expr::compile_expression(e.text, input, e.location); }

ops::NamedExpr column_expr(const Schema& input, const std::string& name, const SourceLocation& loc, const std::string& what) {
  size_t i = column_index(input, name, loc, what);
  return {name, expr::column(i, input[i].type)};
}

ops::AggregateCall aggregate_call(const Aggregate& a, const Schema& input) {
  ops::AggregateCall call;
  call.name = a.name;
  call.distinct = a.distinct;
  std::string f = a.function;
  std::transform(f.begin(), f.end(), f.begin(), [](unsigned char c) { return std::toupper(c); });
  if (f == "COUNT") call.kind = a.args.empty() ? ops::AggregateKind::CountStar : ops::AggregateKind::Count;
  else if (f == "SUM") call.kind = ops::AggregateKind::Sum;
  else if (f == "MIN") call.kind = ops::AggregateKind::Min;
  else if (f == "MAX") call.kind = ops::AggregateKind::Max;
  else if (f == "AVG") call.kind = ops::AggregateKind::Avg;
  else if (f == "LISTAGG") call.kind = ops::AggregateKind::ListAgg;
  else {
    std::string hint = closest_match(f, {"COUNT", "SUM", "MIN", "MAX", "AVG", "LISTAGG"});
    throw InputError(a.location, "unknown aggregate function '" + a.function + "'" + (hint.empty() ? "" : " (did you mean " + hint + "?)"));
  }
  for (const auto& arg : a.args) call.args.push_back(compile(arg, input));
  if (a.filter) call.filter = compile(*a.filter, input);
  try {
    ops::aggregate_result_type(call);  // rejects e.g. SUM over a string
  } catch (const std::exception& e) {
    throw InputError(a.location, e.what());
  }
  return call;
}

ops::WindowSpec window_spec(const WindowSpec& w) {
  ops::WindowSpec s;
  s.size_ms = w.size.millis;
  s.offset_ms = w.offset ? w.offset->millis : 0;
  switch (w.kind) {
    case WindowKind::Tumble: s.kind = ops::WindowKind::Tumble; break;
    case WindowKind::Hop:
      s.kind = ops::WindowKind::Hop;
      if (!w.slide) throw InputError(w.location, "a hop window needs a 'slide'");
      s.step_ms = w.slide->millis;
      break;
    case WindowKind::Cumulate:
      s.kind = ops::WindowKind::Cumulate;
      if (!w.step) throw InputError(w.location, "a cumulate window needs a 'step'");
      s.step_ms = w.step->millis;
      break;
  }
  try {
    ops::validate_window_spec(s);
  } catch (const std::exception& e) {
    throw InputError(w.location, e.what());
  }
  return s;
}

size_t time_column(const Schema& input, const WindowSpec& w) {
  size_t i = column_index(input, w.time_column, w.location, "window time column");
  const Type& t = input[i].type;
  if (!t.is_timestamp() || t.time_attr != TimeAttr::Rowtime)
    throw InputError(w.location, "window time column '" + w.time_column + "' must be an event-time attribute (a WATERMARK column), but is " +
                                     t.to_string());
  return i;
}

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
    if (!b.schema[i].type.is_timestamp())
      throw InputError(s.watermark->location, "WATERMARK column '" + s.watermark->column + "' must be a TIMESTAMP(3) or TIMESTAMP_LTZ(3), but is " +
                                                  b.schema[i].type.to_string());
    b.schema.columns[i].type = b.schema[i].type.with_time_attr(TimeAttr::Rowtime);
    b.rowtime = i;
    watermark = compile(s.watermark->expression, b.schema);
    if (!watermark->type().is_timestamp())
      throw InputError(s.watermark->expression.location, "the WATERMARK expression must return a timestamp, but returns " +
                                                             watermark->type().to_string());
  }
  if (s.connector == "kafka" || s.connector == "upsert-kafka") {
    auto topic = option(s.options, "topic");
    if (!topic || split_topics(*topic).empty())
      throw InputError(s.location, "kafka source '" + s.name + "' needs a 'topic' option");
    b.topics = split_topics(*topic);
  } else {
    b.topics = {s.name};
  }
  if (!s.format.empty() && s.format != "json")
    throw InputError(s.location, "format '" + s.format + "' is not supported; Ananas reads 'json'");
  if (s.idle_timeout) b.idle_timeout_ms = s.idle_timeout->millis;
  else if (auto d = p.setting("idle_timeout")) b.idle_timeout_ms = parse_duration_millis(*d).value_or(0);
  return b;
}

}  // namespace

// Group aggregates emit -U rows only when something downstream needs them
// (Flink: FlinkChangelogModeInferenceProgram): a filter (HAVING) on the changelog, a materializer, or an
// upsert sink keyed differently from the group key.
static bool needs_update_before(const Pipeline& p, const std::string& node, size_t key_count) {
  for (const auto& op : p.operators) {
    if (op.input != node) continue;
    if (op.type() != OperatorType::Calc) return true;
    if (std::get<Calc>(op.body).where) return true;
    if (needs_update_before(p, op.name, key_count)) return true;
  }
  for (const auto& s : p.sinks) {
    if (s.input != node) continue;
    if (s.connector != "upsert-kafka" || s.primary_key.size() != key_count) return true;
  }
  return false;
}

static std::vector<const Operator*> topological(const Pipeline& p) {
  std::vector<const Operator*> order;
  std::set<std::string> done;
  for (const auto& s : p.sources) done.insert(s.name);
  std::vector<const Operator*> pending;
  for (const auto& op : p.operators) pending.push_back(&op);
  while (!pending.empty()) {
    auto ready = std::find_if(pending.begin(), pending.end(), [&](const Operator* o) { return done.count(o->input) > 0; });
    if (ready == pending.end()) {
      const Operator* o = pending.front();
      throw InputError(or_else(o->input_location, o->location),
                       "operator '" + o->name + "' reads '" + o->input + "', which is no source or operator of this pipeline (or a cycle)");
    }
    order.push_back(*ready);
    done.insert((*ready)->name);
    pending.erase(ready);
  }
  return order;
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
    BuiltOperator bo;
    bo.spec = op;
    bo.name = op->name;
    bo.input = op->input;
    bo.parallelism = op->parallelism.value_or(p.parallelism);
    const Schema input = b.schema_of(op->input);
    bool input_updating = updating[op->input];
    std::function<ops::OperatorPtr()> make;
    ops::RowErrorHandler row_errors;
    if (on_row_error)
      row_errors = [on_row_error, name = op->name](const ops::RowError& e) { on_row_error(name, e.message); };
    switch (op->type()) {
      case OperatorType::Unnest: {
        const auto& u = std::get<Unnest>(op->body);
        ops::UnnestConfig cfg{input, compile(u.array, input), u.columns, u.with_ordinality, row_errors};
        make = [cfg] { return std::make_unique<ops::UnnestOperator>(cfg); };
        bo.updating = input_updating;
        break;
      }
      case OperatorType::Calc: {
        const auto& c = std::get<Calc>(op->body);
        ops::CalcConfig cfg;
        cfg.input = input;
        cfg.on_row_error = row_errors;
        if (c.where) {
          cfg.filter = compile(*c.where, input);
          if (cfg.filter->type().id != TypeId::Boolean)
            throw InputError(c.where->location, "'where' must be a boolean condition, but is " + cfg.filter->type().to_string());
        }
        if (c.select) {
          cfg.projection.emplace();
          std::set<std::string> names;
          for (const auto& item : *c.select) {
            if (!names.insert(item.name).second) throw InputError(item.location, "select names column '" + item.name + "' twice");
            cfg.projection->push_back({item.name, compile(item.expr, input)});
          }
        }
        make = [cfg] { return std::make_unique<ops::CalcOperator>(cfg); };
        bo.updating = input_updating;
        break;
      }
      case OperatorType::GroupAggregate: {
        const auto& g = std::get<GroupAggregate>(op->body);
        ops::GroupAggregateConfig cfg;
        cfg.input = input;
        cfg.on_row_error = row_errors;
        for (const auto& k : g.keys) cfg.keys.push_back(column_expr(input, k, op->location, "group key"));
        for (const auto& a : g.aggregates) cfg.aggregates.push_back(aggregate_call(a, input));
        cfg.emit_update_before = needs_update_before(p, op->name, g.keys.size());
        for (const auto& k : g.keys) bo.key_columns.push_back(*input.find(k));
        make = [cfg] { return std::make_unique<ops::GroupAggregateOperator>(cfg); };
        bo.updating = true;
        break;
      }
      case OperatorType::WindowAggregate: {
        const auto& w = std::get<WindowAggregate>(op->body);
        if (input_updating)
          throw InputError(op->location, "window_aggregate '" + op->name + "' needs an append-only input, but '" + op->input +
                                             "' produces updates");
        ops::WindowAggregateConfig cfg;
        cfg.input = input;
        cfg.on_row_error = row_errors;
        cfg.time_column = time_column(input, w.window);
        cfg.window = window_spec(w.window);
        for (const auto& k : w.keys) cfg.keys.push_back(column_expr(input, k, op->location, "group key"));
        for (const auto& a : w.aggregates) cfg.aggregates.push_back(aggregate_call(a, input));
        for (const auto& k : w.keys) bo.key_columns.push_back(*input.find(k));
        make = [cfg] { return std::make_unique<ops::WindowAggregateOperator>(cfg); };
        break;
      }
      case OperatorType::Window: {
        const auto& w = std::get<Window>(op->body);
        if (input_updating)
          throw InputError(op->location, "window '" + op->name + "' needs an append-only input, but '" + op->input + "' produces updates");
        ops::WindowAssignConfig cfg{input, time_column(input, w.window), window_spec(w.window), row_errors};
        make = [cfg] { return std::make_unique<ops::WindowAssignOperator>(cfg); };
        break;
      }
      case OperatorType::UpsertMaterialize: {
        ops::UpsertMaterializerConfig cfg;
        cfg.input = input;
        if (op->key.empty()) throw InputError(op->location, "upsert_materialize '" + op->name + "' needs 'key' (the sink's primary key)");
        for (const auto& k : op->key) cfg.sink_key.push_back(column_index(input, k, op->location, "key column"));
        make = [cfg] { return std::make_unique<ops::UpsertMaterializerOperator>(cfg); };
        bo.key_columns = cfg.sink_key;
        bo.updating = true;
        break;
      }
      case OperatorType::MatchRecognize: {
        const auto& m = std::get<MatchRecognize>(op->body);
        if (input_updating)
          throw InputError(op->location, "StreamPhysicalMatch doesn't support consuming update changes which is produced by node " + op->input);
        ops::MatchRecognizeConfig cfg = match_recognize_config(m, input, op->location);
        cfg.on_row_error = row_errors;
        for (size_t k : cfg.partition_by) bo.key_columns.push_back(k);
        make = [cfg] { return std::make_unique<ops::MatchRecognizeOperator>(cfg); };
        break;
      }
    }
    // Building one instance validates the configuration and yields the output schema.
    try {
      bo.output = make()->output_schema();
    } catch (const InputError&) {
      throw;
    } catch (const std::exception& e) {
      throw InputError(op->location, std::string(to_string(op->type())) + " '" + op->name + "': " + e.what());
    }
    if (!op->key.empty() && op->type() != OperatorType::UpsertMaterialize) {
      bo.key_columns.clear();
      for (const auto& k : op->key) bo.key_columns.push_back(column_index(input, k, op->location, "key column"));
    }
    if (bo.parallelism > 1 && bo.key_columns.empty() &&
        (op->type() == OperatorType::GroupAggregate || op->type() == OperatorType::MatchRecognize))
      throw InputError(op->location, "operator '" + op->name + "' with parallelism > 1 needs a 'key' to partition by");
    bo.make = std::move(make);
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
    if (s.connector != "kafka" && s.connector != "upsert-kafka" && s.connector != "print" && s.connector != "blackhole" &&
        s.connector != "file") {
      std::string hint = closest_match(s.connector, {"kafka", "upsert-kafka", "print", "blackhole", "file"});
      throw InputError(s.location, "unknown sink connector '" + s.connector + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    bs.upsert = s.connector == "upsert-kafka";
    if (updating[s.input] && !bs.upsert)
      throw InputError(s.location, "Table sink '" + s.name + "' doesn't support consuming update changes which is produced by node " + s.input);
    if (bs.upsert && s.primary_key.empty()) throw InputError(s.location, "'upsert-kafka' sink '" + s.name + "' needs a primary_key");
    if (s.columns.size() != input.size())
      throw InputError(s.location, "Column types of query result and sink for '" + s.name + "' do not match. Cause: Different number of columns. "
                                   "Query schema: " + input.to_string() + ", sink has " + std::to_string(s.columns.size()) + " columns");
    Schema sink_schema;
    for (size_t i = 0; i < s.columns.size(); ++i) {
      const Column& c = s.columns[i];
      Type t = parse_type(c.type, c.type_location.file, c.type_location);
      const Type& q = input[i].type;
      bool ok = q.same_shape(t) || q.id == TypeId::Null ||
                (q.is_integer() && t.is_integer() && static_cast<int>(q.id) <= static_cast<int>(t.id)) ||
                (q.is_character() && t.is_character()) || (q.is_timestamp() && t.id == q.id);
      if (!ok)
        throw InputError(or_else(c.type_location, c.location), "Column types of query result and sink for '" + s.name +
                                                                   "' do not match. Cause: Incompatible types for sink column '" + c.name +
                                                                   "' at position " + std::to_string(i) + ": query gives " + q.to_string() +
                                                                   ", sink declares " + t.to_string());
      if (auto why = json_unsupported_type(t)) throw InputError(or_else(c.type_location, c.location), *why);
      sink_schema.columns.push_back({c.name, t});
      bs.value_columns.push_back({i, c.name, t});
    }
    for (const auto& k : s.primary_key) {
      size_t i = column_index(sink_schema, k, s.location, "primary key column");
      bs.key_columns.push_back({i, k, sink_schema[i].type});
    }
    if (s.connector == "kafka" || s.connector == "upsert-kafka") {
      auto topic = option(s.options, "topic");
      if (!topic || topic->empty() || topic->find(';') != std::string::npos)
        throw InputError(s.location, "kafka sink '" + s.name + "' needs exactly one 'topic'");
      bs.topic = *topic;
    } else {
      bs.topic = s.name;
    }
    b.sinks.push_back(std::move(bs));
  }
  return b;
}

}  // namespace ananas::pipeline
