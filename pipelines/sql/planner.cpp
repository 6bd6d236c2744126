#include "pipelines/sql/planner.hpp"

#include <algorithm>
#include <map>

#include "core/sql/printer.hpp"
#include "core/timefmt.hpp"
#include "pipelines/graph/table_connectors.hpp"
#include "pipelines/implicit_cast.hpp"
#include "pipelines/session_time_zone.hpp"
#include "pipelines/state_ttl.hpp"
#include "pipelines/sql/catalog.hpp"
#include "pipelines/sql/query_planner.hpp"
#include "pipelines/sql/statement_parser.hpp"
#include "pipelines/yaml/load.hpp"

namespace ananas::pipeline {

using namespace planner;

namespace {

// SET 'key' = 'value' statements that map onto pipeline settings.
void apply_set(const sql::SetStatement& s, std::vector<Option>& settings, Warnings& warnings) {
  static const std::map<std::string, std::string> known = {
      {"table.local-time-zone", "time_zone"},
      {"table.exec.source.idle-timeout", "idle_timeout"},
      {"execution.checkpointing.interval", "checkpoint_interval"},
      {"table.exec.state.ttl", "state_ttl"},
      {"table.optimizer.agg-phase-strategy", "agg_phase_strategy"},
  };
  auto it = known.find(s.key);
  if (it == known.end()) {
    warnings.push_back({s.key_loc, "SET '" + s.key + "' has no effect in Ananas and is ignored"});
    return;
  }
  std::string value = s.value;
  if (it->second == "time_zone") {
    if (value.empty()) throw InputError(s.value_loc, "SET '" + s.key + "' needs a time zone such as 'UTC' or 'Europe/Rome'");
    if (auto problem = time_zone_problem(value)) throw InputError(s.value_loc, "SET '" + s.key + "': " + *problem);
    if (auto w = time_zone_not_applied(value, s.value_loc)) warnings.push_back(std::move(*w));
  } else if (it->second == "agg_phase_strategy") {
    const auto strategy = agg_phase_strategy_from_string(value);
    if (!strategy) throw InputError(s.value_loc, "SET '" + s.key + "' = '" + s.value + "': expected AUTO, ONE_PHASE or TWO_PHASE");
    value = *strategy == AggPhaseStrategy::Auto ? "auto" : *strategy == AggPhaseStrategy::OnePhase ? "one_phase" : "two_phase";
  } else {
    // Flink reads a bare number as milliseconds; the pipeline YAML wants a unit.
    if (!value.empty() && std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); }))
      value += " ms";
    if (!parse_duration_millis(value))
      throw InputError(s.value_loc, "SET '" + s.key + "' = '" + s.value + "' is not a duration (write e.g. '5 s', '500 ms' or '1 min')");
  }
  for (auto& existing : settings)
    if (existing.key == it->second) {
      existing = {it->second, value, s.value_loc};  // a later SET overrides an earlier one
      return;
    }
  settings.push_back({it->second, value, s.value_loc});
}

bool updating_key_fits(const Relation& rel, const std::vector<std::string>& sink_pk) {
  // Flink: FlinkChangelogModeInferenceProgram.analyzeUpsertMaterializeStrategy: no materializer when the input's upsert key is contained in the sink's primary key.
  if (rel.upsert_key.empty()) return false;
  return std::all_of(rel.upsert_key.begin(), rel.upsert_key.end(),
                     [&](const std::string& k) { return std::find(sink_pk.begin(), sink_pk.end(), k) != sink_pk.end(); });
}

std::string query_schema_text(const Relation& rel) {
  std::string s;
  for (const auto& c : rel.columns)
    s += (s.empty() ? "" : ", ") + c.sql_name + ": " + (c.type.id == TypeId::Null ? std::string("<computed>") : c.type.to_string());
  return "[" + s + "]";
}

std::string sink_schema_text(const std::vector<const sql::ColumnDef*>& columns) {
  std::string s;
  for (const auto* d : columns) s += (s.empty() ? "" : ", ") + d->name + ": " + d->type.to_string();
  return "[" + s + "]";
}

// Flink names tables by their full path in its messages.
std::string flink_table_path(const std::string& name) { return "default_catalog.default_database." + name; }

[[noreturn]] void schema_mismatch(const sql::Insert& ins, const std::string& sink, const std::string& cause, const Relation& rel,
                                  const std::vector<const sql::ColumnDef*>& targets) {
  throw InputError(ins.target_loc, "Column types of query result and sink for '" + flink_table_path(sink) + "' do not match.\n" +
                                       "Cause: " + cause + "\n\nQuery schema: " + query_schema_text(rel) +
                                       "\nSink schema:  " + sink_schema_text(targets));
}

// The sink columns an INSERT writes, in query order: all physical columns, or
// those of the column list (Flink docs, Table API & SQL > SQL > INSERT Statement; the others are written as NULL).
std::vector<const sql::ColumnDef*> insert_targets(const sql::Insert& ins, const sql::CreateTable& target, const std::string& sink) {
  std::vector<const sql::ColumnDef*> physical = physical_columns(target);
  if (ins.columns.empty()) return physical;
  std::vector<std::string> names;
  for (const auto* d : physical) names.push_back(d->name);
  std::vector<const sql::ColumnDef*> listed;
  for (size_t i = 0; i < ins.columns.size(); ++i) {
    const SourceLocation& loc = i < ins.column_locs.size() ? ins.column_locs[i] : ins.target_loc;
    auto it = std::find_if(physical.begin(), physical.end(), [&](const sql::ColumnDef* d) { return d->name == ins.columns[i]; });
    if (it == physical.end()) {
      std::string hint = closest_match(ins.columns[i], names);
      throw InputError(loc, "Unknown target column '" + ins.columns[i] + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                ": table '" + sink + "' has no physical column of that name");
    }
    if (std::find(listed.begin(), listed.end(), *it) != listed.end())
      throw InputError(loc, "Target column '" + ins.columns[i] + "' is assigned more than once");
    listed.push_back(*it);
  }
  const auto& pk = target.primary_key ? target.primary_key->columns : std::vector<std::string>{};
  for (const auto* d : physical) {
    bool not_null = !d->type.nullable || std::find(pk.begin(), pk.end(), d->name) != pk.end();
    if (not_null && std::find(listed.begin(), listed.end(), d) == listed.end())
      throw InputError(ins.target_loc, "Column '" + d->name + "' has no default value and does not allow NULLs" +
                                           " (list it in INSERT INTO " + sink + " (...))");
  }
  return listed;
}

using Views = std::map<std::string, const sql::CommonTableExpr*>;

void plan_insert(const sql::Insert& ins, const Catalog& catalog, const Views& views, Pipeline& p, Warnings& warnings) {
  if (views.count(ins.target.back()) && !catalog.contains(ins.target.back()))
    throw InputError(ins.target_loc, "'" + ins.target.back() + "' is a view: INSERT INTO needs a table with a connector");
  const sql::CreateTable& target = catalog.get(ins.target, ins.target_loc);
  Sink sink = table_to_sink(target);
  std::vector<const sql::ColumnDef*> targets = insert_targets(ins, target, sink.name);
  QueryPlanner qp(p, catalog, warnings, views);
  Relation rel = qp.plan_query(*ins.query);
  if (rel.window) rel = qp.materialize_window(std::move(rel));

  // Flink: DynamicSinkUtils.validateSchemaAndApplyImplicitCast: same number of columns, and each query type implicitly castable to its sink column.
  if (rel.columns.size() != targets.size()) {
    if (!ins.columns.empty())
      throw InputError(ins.target_loc, "Number of INSERT target columns (" + std::to_string(targets.size()) +
                                           ") does not equal number of source items (" + std::to_string(rel.columns.size()) + ")");
    schema_mismatch(ins, sink.name, "Different number of columns.", rel, targets);
  }
  for (size_t i = 0; i < targets.size(); ++i)
    if (!insert_implicitly_castable(rel.columns[i].type, targets[i]->type))
      schema_mismatch(ins, sink.name, "Incompatible types for sink column '" + targets[i]->name + "' at position " + std::to_string(i) + ".",
                      rel, targets);

  // INSERT maps by position (Flink docs, Table API & SQL > SQL > INSERT Statement): a calc renames query columns to sink columns.
  std::map<std::string, std::string> renamed;  // sink column -> query column
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string& to = targets[i]->name;
    if (ins.columns.empty() && rel.columns[i].sql_name != to)
      warnings.push_back({ins.target_loc, "query column '" + rel.columns[i].sql_name + "' is written to sink column '" + to +
                                              "' of '" + sink.name + "' (INSERT maps columns by position, as Flink does)"});
    renamed[to] = rel.columns[i].name;
  }
  Calc mapping;
  mapping.select.emplace();
  bool identity = targets.size() == sink.columns.size();
  for (size_t i = 0; i < sink.columns.size(); ++i) {
    const Column& col = sink.columns[i];
    auto it = renamed.find(col.name);
    if (it == renamed.end()) {
      mapping.select->push_back({col.name, Expr{"CAST(NULL AS " + col.type + ")", ins.loc}, ins.loc});
      identity = false;
      continue;
    }
    if (i >= rel.columns.size() || rel.columns[i].name != col.name || it->second != col.name) identity = false;
    mapping.select->push_back({col.name, Expr{sql::identifier_sql(it->second), ins.loc}, ins.loc});
  }
  std::string input = rel.node;
  if (!identity) input = qp.add_calc("to_" + sink.name, input, std::move(mapping), ins.loc);
  std::vector<std::string> upsert_key;
  for (const auto& k : rel.upsert_key)
    for (const auto& [to, from] : renamed)
      if (from == k) upsert_key.push_back(to);
  rel.upsert_key = upsert_key.size() == rel.upsert_key.size() ? upsert_key : std::vector<std::string>{};

  // Changelog checks (Flink: FlinkChangelogModeInferenceProgram).
  if (rel.changelog == Changelog::Updating) {
    if (!sink_writes_upserts(sink.connector))
      throw InputError(ins.target_loc, "Table sink '" + flink_table_path(sink.name) +
                                           "' doesn't support consuming update changes which is produced by node " +
                                           rel.update_producer +
                                           " (write into an 'upsert-kafka' table with a PRIMARY KEY, or aggregate over a window)");
    if (!updating_key_fits(rel, sink.primary_key)) {
      Operator& m = qp.add_operator("upsert_materialize", input, UpsertMaterialize{}, ins.loc);
      m.key = sink.primary_key;
      input = m.name;
    }
  }
  sink.input = input;
  sink.input_location = ins.loc;
  sink.location = ins.loc;
  p.sinks.push_back(std::move(sink));
}

}  // namespace

PipelineSet translate_sql(const std::vector<SqlText>& texts, const std::string& name) {
  PipelineSet set;
  set.file = texts.empty() ? name : texts.front().origin;
  std::vector<sql::StatementPtr> statements;
  for (const auto& t : texts) {
    auto parsed = sql::parse_statements(t.text, t.origin);
    for (auto& s : parsed) statements.push_back(std::move(s));
  }
  Catalog catalog;
  Options settings;
  Views views;
  std::vector<std::pair<const sql::Insert*, Views>> inserts;  // each INSERT sees the views declared before it
  for (const auto& s : statements) {
    switch (s->kind) {
      case sql::StatementKind::CreateTable: {
        const auto& t = s->as<sql::CreateTable>();
        if (views.count(t.name.back()) && !t.if_not_exists)
          throw InputError(t.name_loc, "table or view '" + t.name.back() + "' is already defined (as a view)");
        catalog.add(t, set.warnings);
        break;
      }
      case sql::StatementKind::CreateView: {
        const auto& v = s->as<sql::CreateView>();
        // Flink: "Table or view ... already exists" (IF NOT EXISTS keeps the first).
        bool taken = views.count(v.view.name) || catalog.contains(v.view.name);
        if (taken && v.if_not_exists) break;
        if (taken) throw InputError(v.view.loc, "table or view '" + v.view.name + "' is already defined");
        views[v.view.name] = &v.view;
        break;
      }
      case sql::StatementKind::Set: apply_set(s->as<sql::SetStatement>(), settings, set.warnings); break;
      case sql::StatementKind::Insert: inserts.push_back({&s->as<sql::Insert>(), views}); break;
      case sql::StatementKind::Query:
        throw InputError(s->loc, "a SELECT on its own has nowhere to write: use INSERT INTO <sink table> SELECT ...");
    }
  }
  if (inserts.empty()) {
    SourceLocation where{texts.empty() ? name : texts.back().origin, 1, 1};
    throw InputError(where, "no INSERT INTO statement: a pipeline needs a query that writes into a sink table");
  }
  for (size_t i = 0; i < inserts.size(); ++i) {
    Pipeline p;
    p.name = i == 0 ? name : name + "_" + std::to_string(i + 1);
    p.location = inserts[i].first->loc;
    p.settings = settings;
    plan_insert(*inserts[i].first, catalog, inserts[i].second, p, set.warnings);
    if (auto w = state_ttl_not_applied(p)) set.warnings.push_back(std::move(*w));
    set.pipelines.push_back(std::move(p));
  }
  return set;
}

PipelineSet load_input(const InputFile& file) {
  switch (file.kind) {
    case InputKind::Yaml: return load_pipelines_yaml(file.text, file.path);
    case InputKind::Sql: return translate_sql({{file.path, file.text}}, pipeline_name_from_path(file.path));
    case InputKind::ApplicationJson:
      return translate_sql(application_json_sql(file.text, file.path), pipeline_name_from_path(file.path));
  }
  throw InputError({file.path}, "unsupported input");
}

}  // namespace ananas::pipeline
