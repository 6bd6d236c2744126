#include "connectors/connector_registry.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "core/diagnostic.hpp"

namespace ananas::connectors {

namespace {

std::string unknown_connector_message(const std::string& kind, const std::string& name,
                                      const std::vector<std::string>& known) {
  std::string msg = "unknown " + kind + " connector '" + name + "'";
  std::string suggestion = closest_match(name, known);
  if (!suggestion.empty()) msg += " (did you mean '" + suggestion + "'?)";
  msg += "; known: ";
  for (size_t i = 0; i < known.size(); ++i) msg += (i ? ", " : "") + known[i];
  return msg;
}

// Options of the table's format, not of its connector: the pipeline layer
// checks them (pipelines/graph/json_format_options.hpp).
constexpr const char* kFormatOptionPrefixes[] = {"json.", "key.json.", "value.json."};

// Flink's FactoryUtil refuses a WITH clause with a key no factory reads
// ("Unsupported options found for 'kafka'"); so do we, so that a misspelt
// 'scan.startup-mode' or an option Ananas does not implement is an error at
// the option instead of being ignored. As in Flink, a table's options are
// checked against everything its connector reads in either role (a table
// declared with scan options may be written to: the tutorial's 01 does).
void check_known_options(const std::string& connector, const std::vector<const ConnectorInfo*>& roles, const Options& options) {
  std::vector<std::string> known, prefixes;
  for (const ConnectorInfo* info : roles) {
    for (const auto& o : info->options)
      if (std::find(known.begin(), known.end(), o) == known.end()) known.push_back(o);
    for (const auto& p : info->option_prefixes)
      if (std::find(prefixes.begin(), prefixes.end(), p) == prefixes.end()) prefixes.push_back(p);
  }
  auto starts = [](const std::string& key, const std::string& prefix) { return key.compare(0, prefix.size(), prefix) == 0; };
  for (const auto& option : options) {
    const std::string& key = option.first;  // not a structured binding: clang 14 cannot capture one in the lambdas below
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    if (std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return starts(key, p); })) continue;
    if (std::any_of(std::begin(kFormatOptionPrefixes), std::end(kFormatOptionPrefixes), [&](const char* p) { return starts(key, p); }))
      continue;
    std::string supported;
    for (const auto& o : known) supported += (supported.empty() ? "" : ", ") + o;
    for (const auto& p : prefixes) supported += (supported.empty() ? "" : ", ") + p + "*";
    std::string message = "Unsupported options found for '" + connector + "'";
    const std::string suggestion = closest_match(key, known);
    if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
    message += supported.empty() ? "; it takes no options" : "; supported: " + supported;
    throw OptionError(key, message);
  }
}

template <class M>
std::vector<std::string> keys_of(const M& map) {
  std::vector<std::string> out;
  for (const auto& [k, v] : map) out.push_back(k);
  return out;
}

}  // namespace

std::vector<const ConnectorInfo*> ConnectorRegistry::roles_of(const std::string& name) const {
  std::vector<const ConnectorInfo*> out;
  if (auto it = sources_.find(name); it != sources_.end()) out.push_back(&it->second.info);
  if (auto it = sinks_.find(name); it != sinks_.end()) out.push_back(&it->second.info);
  return out;
}

const ConnectorInfo& ConnectorRegistry::validate_source(const std::string& name, const Options& options) const {
  auto it = sources_.find(name);
  if (it == sources_.end()) {
    // A sink-only name used as a source deserves its own message, not a near miss.
    if (sinks_.count(name)) throw OptionError("connector", "connector '" + name + "' can only be used as a sink");
    throw OptionError("connector", unknown_connector_message("source", name, keys_of(sources_)));
  }
  check_known_options(name, roles_of(name), options);
  if (it->second.info.validate) it->second.info.validate(options);
  return it->second.info;
}

const ConnectorInfo& ConnectorRegistry::validate_sink(const std::string& name, const Options& options) const {
  auto it = sinks_.find(name);
  if (it == sinks_.end()) {
    if (sources_.count(name)) throw OptionError("connector", "connector '" + name + "' can only be used as a source");
    throw OptionError("connector", unknown_connector_message("sink", name, keys_of(sinks_)));
  }
  check_known_options(name, roles_of(name), options);
  if (it->second.info.validate) it->second.info.validate(options);
  return it->second.info;
}

std::unique_ptr<SourceConnector> ConnectorRegistry::open_source(const std::string& name, const Options& options,
                                                                const ConnectorContext& context,
                                                                const std::optional<PartitionOffsets>& start) const {
  validate_source(name, options);
  return sources_.at(name).factory(options, context, start);
}

std::unique_ptr<SinkConnector> ConnectorRegistry::create_sink(const std::string& name, const Options& options,
                                                              const ConnectorContext& context) const {
  validate_sink(name, options);
  return sinks_.at(name).factory(options, context);
}

void ConnectorRegistry::load_plugin(const std::string& path) {
  // RTLD_NODELETE keeps code alive even if someone dlcloses: factories and
  // vtables from the plugin live in this registry for the process lifetime.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) throw ConnectorError("cannot load connector plugin " + path + ": " + dlerror());
  dlerror();
  void* symbol = dlsym(handle, "ananas_register_connectors");
  if (const char* err = dlerror(); err || !symbol)
    throw ConnectorError("connector plugin " + path + " does not export ananas_register_connectors: " +
                         (err ? err : "symbol is null"));
  reinterpret_cast<ananas_register_connectors_fn>(symbol)(*this);
}

std::vector<std::string> ConnectorRegistry::load_plugins(const std::vector<std::string>& directories) {
  namespace fs = std::filesystem;
  std::vector<std::string> loaded;
  for (const std::string& dir : directories) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw ConnectorError("plugin.path entry '" + dir + "' is not a directory");
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.path().extension() == ".so" && entry.is_regular_file(ec)) files.push_back(entry.path().string());
    if (ec) throw ConnectorError("cannot list plugin directory '" + dir + "': " + ec.message());
    std::sort(files.begin(), files.end());  // deterministic override order
    for (const std::string& f : files) {
      load_plugin(f);
      loaded.push_back(f);
    }
  }
  return loaded;
}

ConnectorRegistry& default_registry() {
  static ConnectorRegistry registry = [] {
    ConnectorRegistry r;
    register_builtin_connectors(r);
    return r;
  }();
  return registry;
}

}  // namespace ananas::connectors
