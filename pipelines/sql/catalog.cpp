#include "pipelines/sql/catalog.hpp"

#include <algorithm>
#include <cctype>

#include "core/sql/printer.hpp"
#include "core/timefmt.hpp"
#include "pipelines/bootstrap_servers.hpp"
#include "pipelines/graph/json_format_options.hpp"
#include "pipelines/graph/table_connectors.hpp"

namespace ananas::pipeline::planner {

std::string table_name(const sql::CreateTable& t) { return t.name.empty() ? std::string() : t.name.back(); }

const sql::TableOption* find_option(const sql::CreateTable& t, const std::string& key) {
  for (const auto& o : t.options)
    if (o.key == key) return &o;
  return nullptr;
}

void Catalog::add(const sql::CreateTable& t, Warnings& warnings) {
  std::string name = table_name(t);
  if (tables_.count(name)) {
    if (t.if_not_exists) return;
    throw InputError(t.name_loc, "table '" + name + "' is already defined");
  }
  const sql::TableOption* connector = find_option(t, "connector");
  if (!connector) throw InputError(t.with_loc.line ? t.with_loc : t.name_loc, "table '" + name + "' has no 'connector' option");
  // Whether the table is read or written is known at its first use
  // (table_to_source/table_to_sink); here the name must be some connector's.
  const auto& registry = connectors::default_registry();
  const connectors::ConnectorInfo* info = registry.sink_info(connector->value);
  if (!info) info = registry.source_info(connector->value);
  if (!info) {
    std::string hint = closest_match(connector->value, registry.names());
    throw InputError(connector->value_loc, "unknown connector '" + connector->value + "'" +
                                               (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }
  if (t.primary_key && !t.primary_key->not_enforced) {
    warnings.push_back({t.primary_key->loc,
                        "PRIMARY KEY of table '" + name + "' is declared without NOT ENFORCED; Flink rejects this "
                        "(\"Flink doesn't support ENFORCED mode for PRIMARY KEY constraint. ENFORCED/NOT ENFORCED controls "
                        "if the constraint checks are performed on the incoming/outgoing data. Flink does not own the data "
                        "therefore the only supported mode is the NOT ENFORCED mode\"); Ananas treats it as NOT ENFORCED"});
  }
  if (const auto* bs = find_option(t, kBootstrapServersKey))
    if (auto w = unresolved_bootstrap_servers(name, bs->value, bs->value_loc)) warnings.push_back(std::move(*w));
  if (info->capabilities.keyed) {
    if (!t.primary_key)
      throw InputError(t.name_loc, "'" + connector->value + "' tables require to define a PRIMARY KEY constraint (table '" + name + "')");
    if (!find_option(t, "key.format"))
      throw InputError(t.with_loc.line ? t.with_loc : t.name_loc, "'" + connector->value + "' table '" + name + "' needs the 'key.format' option");
  }
  if (t.primary_key) {
    for (size_t i = 0; i < t.primary_key->columns.size(); ++i) {
      const auto& c = t.primary_key->columns[i];
      bool found = std::any_of(t.columns.begin(), t.columns.end(), [&](const sql::ColumnDef& d) {
        return d.name == c && d.kind == sql::ColumnKind::Physical;
      });
      if (!found) {
        std::vector<std::string> names;
        for (const auto& d : t.columns) names.push_back(d.name);
        std::string hint = closest_match(c, names);
        SourceLocation loc = i < t.primary_key->column_locs.size() ? t.primary_key->column_locs[i] : t.primary_key->loc;
        throw InputError(loc, "PRIMARY KEY column '" + c + "' is not a physical column of table '" + name + "'" +
                                  (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      }
    }
  }
  if (t.watermark) {
    bool found = std::any_of(t.columns.begin(), t.columns.end(),
                             [&](const sql::ColumnDef& d) { return d.name == t.watermark->column; });
    if (!found) {
      std::vector<std::string> names;
      for (const auto& d : t.columns) names.push_back(d.name);
      std::string hint = closest_match(t.watermark->column, names);
      throw InputError(t.watermark->column_loc, "WATERMARK column '" + t.watermark->column + "' is not a column of table '" +
                                                    name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
  }
  tables_[name] = &t;
}

const sql::CreateTable& Catalog::get(const std::vector<std::string>& name, const SourceLocation& loc) const {
  const std::string& n = name.back();
  if (auto it = tables_.find(n); it != tables_.end()) return *it->second;
  std::vector<std::string> names;
  for (const auto& [k, v] : tables_) names.push_back(k);
  std::string hint = closest_match(n, names);
  throw InputError(loc, "table '" + n + "' not found: declare it with CREATE TABLE first" +
                            (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

static void fill_options(const sql::CreateTable& t, std::string& connector, std::string& format,
                         std::optional<std::string>& key_format, Options& options) {
  for (const auto& o : t.options) {
    if (o.key == "connector") connector = o.value;
    else if (o.key == "value.format" || o.key == "format") format = o.value;
    else if (o.key == "key.format") key_format = o.value;
    else options.push_back({o.key, o.value, o.key_loc});
  }
}

static std::vector<std::string> primary_key_of(const sql::CreateTable& t) {
  return t.primary_key ? t.primary_key->columns : std::vector<std::string>{};
}

static Column column_of(const sql::ColumnDef& d) {
  Column c;
  c.name = d.name;
  c.location = d.loc;
  c.type_location = d.type_loc;
  if (d.kind == sql::ColumnKind::Computed) {
    c.expression = Expr{sql::to_sql(*d.computed), d.computed->loc};
  } else {
    c.type = d.type.to_sql();
    if (d.kind == sql::ColumnKind::Metadata) {
      c.metadata = d.metadata_key.value_or(d.name);
      c.is_virtual = d.is_virtual;
    }
  }
  return c;
}

// The connector's own check of the WITH clause for the role the table plays,
// located at the offending value (at the WITH clause for a missing option).
template <class Validate>
static void check_connector_options(const sql::CreateTable& t, const Options& options, Validate&& validate) {
  try {
    validate(connector_options(options));
  } catch (const connectors::OptionError& e) {
    SourceLocation loc = t.with_loc.line ? t.with_loc : t.name_loc;
    if (const auto* o = find_option(t, e.key())) loc = o->value_loc;
    throw InputError(loc, table_option_message(table_name(t), e));
  }
}

// Flink's table option 'scan.watermark.idle-timeout' (FLIP-296): this
// source's idle timeout, overriding SET 'table.exec.source.idle-timeout'.
// Taken out of the connector's options (it is the source's, not Kafka's).
static std::optional<Duration> take_idle_timeout(const sql::CreateTable& t, Options& options) {
  auto it = std::find_if(options.begin(), options.end(), [](const Option& o) { return o.key == "scan.watermark.idle-timeout"; });
  if (it == options.end()) return std::nullopt;
  std::string value = it->value;
  // Flink reads a bare number as milliseconds; the pipeline YAML wants a unit.
  if (!value.empty() && std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) value += " ms";
  const std::optional<int64_t> millis = parse_duration_millis(value);
  const SourceLocation value_loc = find_option(t, it->key)->value_loc;
  if (!millis)
    throw InputError(value_loc, "'scan.watermark.idle-timeout' = '" + it->value +
                                       "' is not a duration (write e.g. '5 s', '500 ms' or '1 min')");
  Duration d{value, *millis, value_loc};
  options.erase(it);
  return d;
}

Source table_to_source(const sql::CreateTable& t) {
  Source s;
  s.name = table_name(t);
  s.location = t.loc;
  fill_options(t, s.connector, s.format, s.key_format, s.options);
  s.idle_timeout = take_idle_timeout(t, s.options);
  check_connector_options(t, s.options, [&](const connectors::Options& o) {
    connectors::default_registry().validate_source(s.connector, o);
  });
  check_json_format_options(s.name, s.connector, s.options, t.loc);
  for (const auto& d : t.columns) s.columns.push_back(column_of(d));
  if (t.watermark) s.watermark = Watermark{t.watermark->column, Expr{sql::to_sql(*t.watermark->expr), t.watermark->expr->loc}, t.watermark->loc};
  s.primary_key = primary_key_of(t);
  return s;
}

Sink table_to_sink(const sql::CreateTable& t) {
  Sink s;
  s.name = table_name(t);
  s.location = t.loc;
  fill_options(t, s.connector, s.format, s.key_format, s.options);
  check_connector_options(t, s.options, [&](const connectors::Options& o) {
    connectors::default_registry().validate_sink(s.connector, o);
  });
  check_json_format_options(s.name, s.connector, s.options, t.loc);
  // A sink writes its physical columns; metadata and computed columns are not written.
  for (const auto* d : physical_columns(t)) s.columns.push_back(column_of(*d));
  s.primary_key = primary_key_of(t);
  return s;
}

std::vector<const sql::ColumnDef*> physical_columns(const sql::CreateTable& t) {
  std::vector<const sql::ColumnDef*> out;
  for (const auto& d : t.columns)
    if (d.kind == sql::ColumnKind::Physical) out.push_back(&d);
  return out;
}

static bool is_proctime_call(const sql::Expr& e) {
  if (e.kind != sql::ExprKind::Call) return false;
  std::string n = e.as<sql::Call>().name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::toupper(c); });
  return n == "PROCTIME";
}

Relation source_relation(const sql::CreateTable& t) {
  Relation r;
  r.node = table_name(t);
  for (const auto& d : t.columns) {
    RelationColumn c;
    c.name = d.name;
    c.sql_name = d.name;
    c.qualifiers = {table_name(t)};
    if (d.kind == sql::ColumnKind::Computed) {
      c.type = is_proctime_call(*d.computed)
                   ? Type::timestamp_ltz(3).with_nullable(false).with_time_attr(TimeAttr::Proctime)
                   : Type::null_type();  // derived by the binder when the pipeline is built
    } else {
      c.type = d.type;
    }
    if (t.watermark && t.watermark->column == d.name) c.type = c.type.with_time_attr(TimeAttr::Rowtime);
    r.columns.push_back(std::move(c));
  }
  return r;
}

}  // namespace ananas::pipeline::planner
