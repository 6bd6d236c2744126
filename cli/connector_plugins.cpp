#include "cli/connector_plugins.hpp"

#include <filesystem>
#include <iostream>

#include "connectors/connector_registry.hpp"
#include "cli/worker_config.hpp"

namespace ananas::cli {

void load_connector_plugins(const std::vector<std::string>& folders, bool note_missing_folders) {
  std::vector<std::string> existing;
  for (const auto& f : folders) {
    if (std::filesystem::is_directory(f)) existing.push_back(f);
    else if (note_missing_folders)
      std::cerr << "note: plugin.path folder '" << f << "' does not exist; no plugins loaded from it\n";
  }
  for (const auto& p : connectors::default_registry().load_plugins(existing))
    std::cerr << "loaded connector plugin " << p << "\n";
}

void load_connector_plugins_of(const std::optional<std::string>& config_file) {
  load_connector_plugins(load_worker_config(config_file, process_environment()).plugin_path, config_file.has_value());
}

}  // namespace ananas::cli
