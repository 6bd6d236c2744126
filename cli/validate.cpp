// ananas validate: everything `run` would check, without running.
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/connector_plugins.hpp"
#include "cli/loading.hpp"
#include "cli/report.hpp"
#include "connectors/connector.hpp"

namespace ananas::cli {
namespace {

int run_validate(int argc, char** argv) {
  Args args("ananas validate [options] FILE|DIR...",
            "Checks pipeline YAML, Flink SQL scripts and application JSON: syntax, names, types,\n"
            "changelog rules and connector options (each connector's own checks, plugins' too: see --config).\n"
            "Errors are printed as file:line:column: message.\n"
            "Exit code 0 when everything is valid, 1 otherwise.");
  args.flag("quiet", "print nothing on success", "q")
      .option("config", "FILE", "worker config (as for `run`): connector plugins are loaded from its plugin.path", "c")
      .positionals("FILE|DIR...", "inputs", 1);
  if (!args.parse(argc, argv, std::cout)) return kExitOk;
  try {
    // The connectors `run` would have, so their own option checks run here too.
    load_connector_plugins_of(args.get_optional("config"));
    auto loaded = load_and_build(args.rest());
    print_warnings(loaded->warnings);
    if (!args.has("quiet"))
      for (const auto& b : loaded->built)
        std::cout << b.model->name << ": ok (" << b.sources.size() << " source(s), " << b.operators.size() << " operator(s), "
                  << b.sinks.size() << " sink(s))\n";
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitInvalid;
  } catch (const connectors::ConnectorError& e) {  // a plugin that cannot be loaded
    std::cerr << "ananas validate: " << e.what() << "\n";
    return kExitInvalid;
  }
  return kExitOk;
}

}  // namespace
ANANAS_COMMAND(validate, "validate", "check pipelines; file:line:column errors", run_validate);
}  // namespace ananas::cli
