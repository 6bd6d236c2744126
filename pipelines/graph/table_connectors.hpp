#pragma once
// A pipeline's tables seen through their connectors: the one place where a
// source or sink table meets the connector registry
// (connectors/connector_registry.hpp). The builder, the YAML loader, the SQL
// planner and the worker ask here what a connector can do and let it check
// its own options, so no layer knows a connector by name.
#include <string>
#include <vector>

#include "connectors/connector_registry.hpp"
#include "core/diagnostic.hpp"
#include "pipelines/model.hpp"

namespace ananas::pipeline {

// A table's WITH clause as the connectors take it (format keys excluded, as in the model).
connectors::Options connector_options(const Options& options);

// Where `key` is written in the table, else `fallback` (the table).
SourceLocation option_location(const Options& options, const std::string& key, const SourceLocation& fallback);

// The connector's own validation of a source (sink) table, with `options`
// as they will be opened. Throws InputError "table 'NAME': ..." at the
// offending option (at the table when the option is missing or is the
// connector name). Returns the connector's description.
const connectors::ConnectorInfo& check_source_connector(const Source& s, const connectors::Options& options);
const connectors::ConnectorInfo& check_sink_connector(const Sink& s, const connectors::Options& options);
inline const connectors::ConnectorInfo& check_source_connector(const Source& s) {
  return check_source_connector(s, connector_options(s.options));
}
inline const connectors::ConnectorInfo& check_sink_connector(const Sink& s) {
  return check_sink_connector(s, connector_options(s.options));
}

// The topics a table's records carry: the connector's answer (Kafka: the
// `topic` option), else the table name. Call after the check above.
std::vector<std::string> table_topics(const connectors::ConnectorInfo& info, const std::string& table,
                                      const Options& options);

// "table 'NAME': " + the error: its reason alone when it is about the
// connector name itself (unknown, or used in the wrong role).
std::string table_option_message(const std::string& table, const connectors::OptionError& e);

// The sink connector named `connector` writes an upsert changelog (and so
// accepts updating input); false for an unknown name, which the sink check reports.
bool sink_writes_upserts(const std::string& connector);
// The sink connector keys its records by the PRIMARY KEY (needs one, and a key format).
bool sink_is_keyed(const std::string& connector);

}  // namespace ananas::pipeline
