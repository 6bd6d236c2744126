#pragma once
// Loading connector plugins (plugin.path) into the connector registry: the
// same for `run` and `validate`, so a pipeline using a plugin's connector is
// checked exactly as the worker will run it.
#include <optional>
#include <string>
#include <vector>

namespace ananas::cli {

// Loads the plugins of every folder that exists and reports each one on
// stderr; a missing folder (the default /usr/lib/ananas/plugins on a machine
// without plugins) is noted when `note_missing_folders`, never fatal.
// Throws connectors::ConnectorError when a plugin cannot be loaded.
void load_connector_plugins(const std::vector<std::string>& folders, bool note_missing_folders);

// For the commands that check pipelines without running them (validate,
// translate): the plugins of the worker config `config_file` (--config), or of
// ANANAS_PLUGIN_PATH without one, so they know the connectors `run` will know.
void load_connector_plugins_of(const std::optional<std::string>& config_file);

}  // namespace ananas::cli
