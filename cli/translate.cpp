// ananas translate: Flink SQL (a .sql script or the tutorial's application
// JSON) -> pipeline YAML.
#include <fstream>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/connector_plugins.hpp"
#include "cli/report.hpp"
#include "connectors/connector.hpp"
#include "pipelines/input_files.hpp"
#include "pipelines/sql/planner.hpp"
#include "pipelines/yaml/emit.hpp"

namespace ananas::cli {
namespace {

const pipeline::Pipeline* find_pipeline(const pipeline::PipelineSet& set, const std::string& name) {
  for (const auto& p : set.pipelines)
    if (p.name == name) return &p;
  return nullptr;
}

int run_translate(int argc, char** argv) {
  Args args("ananas translate [options] FILE...",
            "Translates Flink SQL into pipeline YAML. FILE is a .sql script (CREATE TABLE ...; INSERT INTO ...;),\n"
            "an application JSON ({\"sources\":[...],\"sinks\":[...],\"statement\":\"...\"}) or pipeline YAML\n"
            "(normalised). Each INSERT INTO becomes one pipeline; several pipelines are written as one\n"
            "`pipelines:` list. Warnings go to stderr.");
  args.option("output", "FILE", "write the YAML to FILE instead of stdout", "o")
      .option("name", "NAME", "pipeline name (default: the file name without extension)")
      .option("config", "FILE", "worker config (as for `run`): connector plugins are loaded from its plugin.path", "c")
      .positionals("FILE...", "input files or folders", 1);
  if (!args.parse(argc, argv, std::cout)) return kExitOk;
  std::string yaml_out;
  try {
    load_connector_plugins_of(args.get_optional("config"));  // the catalog checks tables with their connectors
    std::vector<pipeline::InputFile> inputs = pipeline::read_inputs(args.rest());
    // Several inputs become one `pipelines:` list: a YAML file holds one document.
    pipeline::PipelineSet all;
    for (auto& in : inputs) {
      pipeline::PipelineSet set = pipeline::load_input(in);
      print_warnings(set.warnings);
      for (auto& p : set.pipelines) {
        if (const auto* clash = find_pipeline(all, p.name))
          throw InputError(p.location, "pipeline name '" + p.name + "' is also used by " + clash->location.to_string() +
                                           " (rename a file or translate them separately)");
        all.pipelines.push_back(std::move(p));
      }
    }
    if (args.has("name"))
      for (size_t i = 0; i < all.pipelines.size(); ++i)
        all.pipelines[i].name = args.get("name") + (i ? "_" + std::to_string(i + 1) : "");
    yaml_out = pipeline::emit_pipelines_yaml(all);
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitInvalid;
  } catch (const connectors::ConnectorError& e) {  // a plugin that cannot be loaded
    std::cerr << "ananas translate: " << e.what() << "\n";
    return kExitInvalid;
  }
  if (args.has("output")) {
    std::ofstream out(args.get("output"), std::ios::binary);
    if (!out) {
      std::cerr << args.get("output") << ": cannot write file\n";
      return kExitInvalid;
    }
    out << yaml_out;
  } else {
    std::cout << yaml_out;
  }
  return kExitOk;
}

}  // namespace
ANANAS_COMMAND(translate, "translate", "Flink SQL / application JSON -> pipeline YAML", run_translate);
}  // namespace ananas::cli
