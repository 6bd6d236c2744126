#include "pipelines/graph/table_connectors.hpp"

namespace ananas::pipeline {

connectors::Options connector_options(const Options& options) {
  connectors::Options out;
  for (const auto& o : options) out[o.key] = o.value;
  return out;
}

SourceLocation option_location(const Options& options, const std::string& key, const SourceLocation& fallback) {
  for (const auto& o : options)
    if (o.key == key) return o.location;
  return fallback;
}

std::string table_option_message(const std::string& table, const connectors::OptionError& e) {
  return "table '" + table + "': " + (e.key() == "connector" ? e.message() : std::string(e.what()));
}

namespace {

template <class Table, class Check>
const connectors::ConnectorInfo& check_table(const Table& t, Check&& check) {
  try {
    return check();
  } catch (const connectors::OptionError& e) {
    throw InputError(option_location(t.options, e.key(), t.location), table_option_message(t.name, e));
  }
}

}  // namespace

const connectors::ConnectorInfo& check_source_connector(const Source& s, const connectors::Options& options) {
  return check_table(s, [&]() -> const connectors::ConnectorInfo& {
    return connectors::default_registry().validate_source(s.connector, options);
  });
}

const connectors::ConnectorInfo& check_sink_connector(const Sink& s, const connectors::Options& options) {
  return check_table(s, [&]() -> const connectors::ConnectorInfo& {
    return connectors::default_registry().validate_sink(s.connector, options);
  });
}

std::vector<std::string> table_topics(const connectors::ConnectorInfo& info, const std::string& table,
                                      const Options& options) {
  std::vector<std::string> topics;
  if (info.topics) topics = info.topics(connector_options(options));
  if (topics.empty()) topics.push_back(table);
  return topics;
}

bool sink_writes_upserts(const std::string& connector) {
  const connectors::ConnectorInfo* info = connectors::default_registry().sink_info(connector);
  return info && info->capabilities.changelog == connectors::ChangelogMode::Upsert;
}

bool sink_is_keyed(const std::string& connector) {
  const connectors::ConnectorInfo* info = connectors::default_registry().sink_info(connector);
  return info && info->capabilities.keyed;
}

}  // namespace ananas::pipeline
