// ananas translate: Flink SQL (a .sql script or the tutorial's application
// JSON) -> pipeline YAML.
#include <fstream>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/report.hpp"
#include "pipelines/input_files.hpp"
#include "pipelines/sql/planner.hpp"
#include "pipelines/yaml/emit.hpp"

namespace ananas::cli {
namespace {

int run_translate(int argc, char** argv) {
  Args args("ananas translate [options] FILE...",
            "Translates Flink SQL into pipeline YAML. FILE is a .sql script (CREATE TABLE ...; INSERT INTO ...;),\n"
            "an application JSON ({\"sources\":[...],\"sinks\":[...],\"statement\":\"...\"}) or pipeline YAML\n"
            "(normalised). Each INSERT INTO becomes one pipeline. Warnings go to stderr.");
  args.option("output", "FILE", "write the YAML to FILE instead of stdout", "o")
      .option("name", "NAME", "pipeline name (default: the file name without extension)")
      .positionals("FILE...", "input files or folders", 1);
  if (!args.parse(argc, argv, std::cout)) return kExitOk;
  std::string yaml_out;
  try {
    std::vector<pipeline::InputFile> inputs = pipeline::read_inputs(args.rest());
    bool first = true;
    for (auto& in : inputs) {
      pipeline::PipelineSet set = pipeline::load_input(in);
      if (args.has("name"))
        for (size_t i = 0; i < set.pipelines.size(); ++i)
          set.pipelines[i].name = args.get("name") + (i ? "_" + std::to_string(i + 1) : "");
      print_warnings(set.warnings);
      if (!first) yaml_out += "---\n";
      yaml_out += pipeline::emit_pipelines_yaml(set);
      first = false;
    }
  } catch (const InputError& e) {
    std::cerr << e.what() << "\n";
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
