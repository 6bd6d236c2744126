#pragma once
// Connectors by name ('kafka', 'upsert-kafka', 'datagen', 'print', 'file',
// 'blackhole', and whatever plugins add): what each can do, how it checks its
// options, and how it opens. Every layer asks here; none compares names.
//
// A plugin is a shared library exporting
//   extern "C" void ananas_register_connectors(ananas::connectors::ConnectorRegistry&);
// The registration methods are inline so the plugin needs no host symbols.
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/connector.hpp"

namespace ananas::connectors {

// Creates a source that starts where its options say (scan.startup.mode...).
using SourceFactory = std::function<std::unique_ptr<SourceConnector>(const Options&, const ConnectorContext&)>;
// Creates a source at `start` when one is given: the next offset per partition
// a restarted pipeline must read (a checkpoint's position). Partitions `start`
// does not name begin as the options say.
using SourceOpener = std::function<std::unique_ptr<SourceConnector>(const Options&, const ConnectorContext&,
                                                                    const std::optional<PartitionOffsets>& start)>;
using SinkFactory = std::function<std::unique_ptr<SinkConnector>(const Options&, const ConnectorContext&)>;
// Checks a table's WITH clause without connecting to anything; throws
// OptionError naming the offending key. The same function runs in
// `ananas validate`, in the SQL catalog and when the worker opens the table.
using OptionValidator = std::function<void(const Options&)>;
// The topics a connector's records carry (for Kafka, the `topic` option).
using TopicsOf = std::function<std::vector<std::string>(const Options&)>;

// A connector's self-description, as Kafka Connect's ConfigDef and Redpanda
// Connect's component specs: name, options, capabilities and validation.
struct ConnectorInfo {
  std::string name;
  std::string description;
  // The WITH-clause keys it reads; keys starting with one of `option_prefixes` are passed through.
  std::vector<std::string> options;
  std::vector<std::string> option_prefixes;
  ConnectorCapabilities capabilities{};
  OptionValidator validate{};  // empty: any options are accepted until the connector opens
  TopicsOf topics{};           // empty: records carry the table name as their topic
};

class ConnectorRegistry {
 public:
  // A later registration of the same name replaces the earlier one, so a
  // plugin can override a built-in deliberately.
  void add_source(const ConnectorInfo& info, SourceOpener opener) {
    sources_[info.name] = Entry<SourceOpener>{info, std::move(opener)};
  }
  // A source that cannot start at a position: it starts as its options say
  // and is told the position through commit(), as a restart would.
  void add_source(const ConnectorInfo& info, SourceFactory factory) {
    add_source(info, SourceOpener([factory = std::move(factory)](const Options& o, const ConnectorContext& c,
                                                                 const std::optional<PartitionOffsets>& start) {
                 std::unique_ptr<SourceConnector> source = factory(o, c);
                 if (start) source->commit(*start);
                 return source;
               }));
  }
  void add_sink(const ConnectorInfo& info, SinkFactory factory) {
    sinks_[info.name] = Entry<SinkFactory>{info, std::move(factory)};
  }

  bool has_source(const std::string& name) const { return sources_.count(name) != 0; }
  bool has_sink(const std::string& name) const { return sinks_.count(name) != 0; }
  const ConnectorInfo* source_info(const std::string& name) const { return info_of(sources_, name); }
  const ConnectorInfo* sink_info(const std::string& name) const { return info_of(sinks_, name); }

  // The connector for a table used as a source (sink): its description, after
  // its own validation of `options`. Throws OptionError: on 'connector' with a
  // did-you-mean when the name is unknown in that role, else the connector's.
  const ConnectorInfo& validate_source(const std::string& name, const Options& options) const;
  const ConnectorInfo& validate_sink(const std::string& name, const Options& options) const;

  // Validates, then opens. The start position is honoured exactly by a
  // resumable source (capabilities.resumable), only recorded by the others.
  std::unique_ptr<SourceConnector> open_source(const std::string& name, const Options& options,
                                               const ConnectorContext& context,
                                               const std::optional<PartitionOffsets>& start) const;
  std::unique_ptr<SourceConnector> create_source(const std::string& name, const Options& options,
                                                 const ConnectorContext& context) const {
    return open_source(name, options, context, std::nullopt);
  }
  std::unique_ptr<SinkConnector> create_sink(const std::string& name, const Options& options,
                                             const ConnectorContext& context) const;

  // Every connector name, sources and sinks, sorted and unique.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& [n, e] : sources_) out.push_back(n);
    for (const auto& [n, e] : sinks_) out.push_back(n);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  // dlopens every *.so in each directory (in name order) and calls its
  // ananas_register_connectors. Throws ConnectorError naming the file and
  // dlerror() when a library cannot be loaded or lacks the entry point.
  // Returns the paths loaded. Libraries stay loaded for the process lifetime.
  std::vector<std::string> load_plugins(const std::vector<std::string>& directories);
  // Loads one plugin file (same errors).
  void load_plugin(const std::string& path);

 private:
  // The source and sink registrations of connector `name` (a table's options are checked against both).
  std::vector<const ConnectorInfo*> roles_of(const std::string& name) const;
  template <class F>
  struct Entry {
    ConnectorInfo info;
    F factory;
  };
  template <class M>
  static const ConnectorInfo* info_of(const M& map, const std::string& name) {
    auto it = map.find(name);
    return it == map.end() ? nullptr : &it->second.info;
  }
  std::map<std::string, Entry<SourceOpener>> sources_;
  std::map<std::string, Entry<SinkFactory>> sinks_;
};

// The built-in connectors: kafka (source and sink), upsert-kafka (sink; the
// same writer, keyed), datagen (source), print, file, blackhole (sinks).
void register_builtin_connectors(ConnectorRegistry& registry);

// A registry with the built-ins, created once.
ConnectorRegistry& default_registry();

}  // namespace ananas::connectors

// The entry point every plugin exports.
extern "C" {
using ananas_register_connectors_fn = void (*)(ananas::connectors::ConnectorRegistry&);
}
