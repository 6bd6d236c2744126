// Sources and sinks: connector, format, WITH options, columns, keys.
#include "core/schema.hpp"
#include "core/sql/type_parser.hpp"
#include "pipelines/graph/table_connectors.hpp"
#include "pipelines/yaml/load_parts.hpp"

namespace ananas::pipeline::yaml {

namespace {

std::vector<std::string> column_names(const std::vector<Column>& columns) {
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  return names;
}

// A column name used by a key or watermark must be declared in `columns`.
void check_declared(const NodeReader& at, const std::string& what, const std::string& name,
                    const std::vector<Column>& columns) {
  const auto names = column_names(columns);
  for (const auto& n : names)
    if (n == name) return;
  std::string message = what + " '" + name + "' is not a declared column";
  const std::string best = closest_match(name, names);
  if (!best.empty()) message += " (did you mean '" + best + "'?)";
  at.fail(message);
}

Column read_column(const NodeReader& node) {
  MapReader m(node.source(), node.node(), node.path());
  m.allow_only({"name", "type", "metadata", "virtual", "expression"});
  Column c;
  c.location = m.location();
  c.name = m.require("name").as_identifier();
  if (auto type = m.optional("type")) {
    c.type = type->as_string();
    c.type_location = type->content_location();
    // Throws InputError located inside the type text.
    (void)parse_type(c.type, node.source().file(), c.type_location);
  }
  if (auto metadata = m.optional("metadata")) c.metadata = metadata->as_identifier();
  if (auto is_virtual = m.optional("virtual")) c.is_virtual = is_virtual->as_bool();
  if (auto expression = m.optional("expression")) c.expression = expression->as_expr();

  if (c.expression && m.has("type"))
    m.fail_at_key("type", "a computed column takes its type from 'expression'; remove 'type'");
  if (c.expression && (c.metadata || m.has("virtual")))
    m.fail("a computed column cannot also be a metadata column");
  if (!c.expression && !m.has("type")) m.fail("missing required key 'type' (or 'expression' for a computed column)");
  if (m.has("virtual") && !c.metadata) m.fail_at_key("virtual", "'virtual' applies to metadata columns only");
  return c;
}

std::vector<Column> read_columns(const MapReader& m) {
  const NodeReader list = m.require("columns");
  list.expect_list();
  if (list.node().size() == 0) list.fail("needs at least one column");
  if (list.node().size() > kMaxColumns)
    list.item(kMaxColumns).fail("too many columns: a table has at most " + std::to_string(kMaxColumns));
  std::vector<Column> columns;
  for (size_t i = 0; i < list.node().size(); ++i) {
    Column c = read_column(list.item(i, item_label(list.node()[i])));
    for (const auto& earlier : columns)
      if (earlier.name == c.name) list.item(i).fail("duplicate column '" + c.name + "'");
    columns.push_back(std::move(c));
  }
  return columns;
}

std::vector<std::string> read_primary_key(const MapReader& m, const std::vector<Column>& columns) {
  auto pk = m.optional("primary_key");
  if (!pk) return {};
  std::vector<std::string> key = pk->as_identifier_list();
  if (key.empty()) pk->fail("primary key needs at least one column");
  for (size_t i = 0; i < key.size(); ++i) check_declared(pk->item(i), "primary key column", key[i], columns);
  return key;
}

Options read_options(const MapReader& m) {
  auto options = m.optional("options");
  return options ? options->as_string_map() : Options{};
}

}  // namespace

Source read_source(const NodeReader& node) {
  MapReader m(node.source(), node.node(), node.path());
  m.allow_only({"name", "connector", "format", "key_format", "options", "columns", "watermark", "primary_key",
                "idle_timeout"});
  Source s;
  s.location = m.location();
  s.name = m.require("name").as_name();
  s.connector = m.require("connector").as_identifier();
  if (auto format = m.optional("format")) s.format = format->as_identifier();
  if (auto key_format = m.optional("key_format")) s.key_format = key_format->as_identifier();
  s.options = read_options(m);
  s.columns = read_columns(m);
  if (auto wm = m.optional("watermark")) {
    MapReader w(node.source(), wm->node(), wm->path());
    w.allow_only({"column", "expression"});
    Watermark watermark;
    watermark.location = w.location();
    const NodeReader column = w.require("column");
    watermark.column = column.as_identifier();
    check_declared(column, "watermark column", watermark.column, s.columns);
    watermark.expression = w.require("expression").as_expr();
    s.watermark = std::move(watermark);
  }
  s.primary_key = read_primary_key(m, s.columns);
  if (auto idle = m.optional("idle_timeout")) s.idle_timeout = idle->as_duration();
  return s;
}

Sink read_sink(const NodeReader& node) {
  MapReader m(node.source(), node.node(), node.path());
  m.allow_only({"name", "input", "connector", "format", "key_format", "options", "columns", "primary_key"});
  Sink s;
  s.location = m.location();
  s.name = m.require("name").as_name();
  const NodeReader input = m.require("input");
  s.input = input.as_name();
  s.input_location = input.location();
  s.connector = m.require("connector").as_identifier();
  if (auto format = m.optional("format")) s.format = format->as_identifier();
  if (auto key_format = m.optional("key_format")) s.key_format = key_format->as_identifier();
  s.options = read_options(m);
  s.columns = read_columns(m);
  for (const auto& c : s.columns) {
    if (c.expression) m.fail("sink column '" + c.name + "' cannot be computed");
  }
  s.primary_key = read_primary_key(m, s.columns);
  // A keyed sink (upsert-kafka) writes key = primary key columns in
  // key_format; without them there is nothing to write the record key from.
  if (sink_is_keyed(s.connector)) {
    if (s.primary_key.empty()) m.fail("connector '" + s.connector + "' requires 'primary_key'");
    if (!s.key_format) m.fail("connector '" + s.connector + "' requires 'key_format'");
  }
  return s;
}

std::string item_label(const YAML::Node& item) {
  if (!item.IsMap()) return "";
  // `item` is const: a lookup through a non-const node could insert the key.
  const YAML::Node name = item["name"];
  if (name && name.IsScalar()) return name.Scalar();
  return "";
}

}  // namespace ananas::pipeline::yaml
