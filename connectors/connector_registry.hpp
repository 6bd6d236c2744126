#pragma once
// Connector factories by name ('kafka', 'upsert-kafka', 'datagen', 'print',
// 'file', 'blackhole', and whatever plugins add).
//
// A plugin is a shared library exporting
//   extern "C" void ananas_register_connectors(ananas::connectors::ConnectorRegistry&);
// The registration methods are inline so the plugin needs no host symbols.
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/connector.hpp"

namespace ananas::connectors {

using SourceFactory = std::function<std::unique_ptr<SourceConnector>(const Options&, const ConnectorContext&)>;
using SinkFactory = std::function<std::unique_ptr<SinkConnector>(const Options&, const ConnectorContext&)>;

// What a connector reads from the WITH clause, so a planner can reject keys
// no one uses. Keys starting with one of `option_prefixes` are passed through.
struct ConnectorInfo {
  std::string name;
  std::string description;
  std::vector<std::string> options;
  std::vector<std::string> option_prefixes;
};

class ConnectorRegistry {
 public:
  // A later registration of the same name replaces the earlier one, so a
  // plugin can override a built-in deliberately.
  void add_source(const ConnectorInfo& info, SourceFactory factory) {
    sources_[info.name] = Entry<SourceFactory>{info, std::move(factory)};
  }
  void add_sink(const ConnectorInfo& info, SinkFactory factory) {
    sinks_[info.name] = Entry<SinkFactory>{info, std::move(factory)};
  }

  bool has_source(const std::string& name) const { return sources_.count(name) != 0; }
  bool has_sink(const std::string& name) const { return sinks_.count(name) != 0; }
  const ConnectorInfo* source_info(const std::string& name) const { return info_of(sources_, name); }
  const ConnectorInfo* sink_info(const std::string& name) const { return info_of(sinks_, name); }

  // Throws OptionError on 'connector' with a did-you-mean when the name is unknown.
  std::unique_ptr<SourceConnector> create_source(const std::string& name, const Options& options,
                                                 const ConnectorContext& context) const;
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
  std::map<std::string, Entry<SourceFactory>> sources_;
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
