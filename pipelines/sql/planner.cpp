#include "pipelines/sql/planner.hpp"

#include <algorithm>
#include <map>

#include "core/sql/printer.hpp"
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
  };
  auto it = known.find(s.key);
  if (it == known.end()) {
    warnings.push_back({s.key_loc, "SET '" + s.key + "' has no effect in Ananas and is ignored"});
    return;
  }
  settings.push_back({it->second, s.value, s.value_loc});
}

bool updating_key_fits(const Relation& rel, const std::vector<std::string>& sink_pk) {
  // R5.9: no materializer when the input's upsert key is contained in the sink's primary key.
  if (rel.upsert_key.empty()) return false;
  return std::all_of(rel.upsert_key.begin(), rel.upsert_key.end(),
                     [&](const std::string& k) { return std::find(sink_pk.begin(), sink_pk.end(), k) != sink_pk.end(); });
}

void plan_insert(const sql::Insert& ins, const Catalog& catalog, Pipeline& p, Warnings& warnings) {
  const sql::CreateTable& target = catalog.get(ins.target, ins.target_loc);
  QueryPlanner qp(p, catalog, warnings);
  Relation rel = qp.plan_query(*ins.query);
  if (rel.window) rel = qp.materialize_window(std::move(rel));

  Sink sink = table_to_sink(target);
  std::vector<const sql::ColumnDef*> targets = physical_columns(target);
  if (!ins.columns.empty()) {
    std::vector<const sql::ColumnDef*> listed;
    for (size_t i = 0; i < ins.columns.size(); ++i) {
      auto it = std::find_if(targets.begin(), targets.end(), [&](const sql::ColumnDef* d) { return d->name == ins.columns[i]; });
      if (it == targets.end())
        throw InputError(ins.column_locs[i], "column '" + ins.columns[i] + "' is not a physical column of table '" + sink.name + "'");
      listed.push_back(*it);
    }
    if (listed.size() != targets.size())
      throw InputError(ins.target_loc, "INSERT with a partial column list is not supported yet: list every column of '" + sink.name + "'");
    targets = listed;
  }
  if (rel.columns.size() != targets.size()) {
    std::string query_schema = rel.schema().to_string();
    throw InputError(ins.target_loc, "Column types of query result and sink for '" + sink.name +
                                         "' do not match. Cause: Different number of columns (query has " +
                                         std::to_string(rel.columns.size()) + ", sink has " + std::to_string(targets.size()) +
                                         "). Query schema: " + query_schema);
  }
  // INSERT maps by position (R3.1): a calc renames query columns to sink columns.
  Calc mapping;
  mapping.select.emplace();
  bool identity = true;
  std::map<std::string, std::string> renamed;  // query column -> sink column
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string& from = rel.columns[i].name;
    const std::string& to = targets[i]->name;
    if (rel.columns[i].sql_name != to)
      warnings.push_back({ins.target_loc, "query column '" + rel.columns[i].sql_name + "' is written to sink column '" + to +
                                              "' of '" + sink.name + "' (INSERT maps columns by position, as Flink does)"});
    if (from != to) identity = false;
    renamed[from] = to;
    mapping.select->push_back({to, Expr{sql::identifier_sql(from), ins.loc}, ins.loc});
  }
  std::string input = rel.node;
  if (!identity) input = qp.add_operator("to_" + sink.name, input, std::move(mapping), ins.loc).name;
  std::vector<std::string> upsert_key;
  for (const auto& k : rel.upsert_key) upsert_key.push_back(renamed[k]);
  rel.upsert_key = upsert_key;

  // Changelog checks (R5.8–R5.12).
  if (rel.changelog == Changelog::Updating) {
    if (sink.connector != "upsert-kafka")
      throw InputError(ins.target_loc, "Table sink '" + sink.name + "' doesn't support consuming update changes which is produced by node " +
                                           rel.node + " (use an 'upsert-kafka' table with a PRIMARY KEY, or a window aggregation)");
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
  std::vector<const sql::Insert*> inserts;
  for (const auto& s : statements) {
    switch (s->kind) {
      case sql::StatementKind::CreateTable: catalog.add(s->as<sql::CreateTable>(), set.warnings); break;
      case sql::StatementKind::Set: apply_set(s->as<sql::SetStatement>(), settings, set.warnings); break;
      case sql::StatementKind::Insert: inserts.push_back(&s->as<sql::Insert>()); break;
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
    p.location = inserts[i]->loc;
    p.settings = settings;
    plan_insert(*inserts[i], catalog, p, set.warnings);
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
