#include "cli/loading.hpp"

#include <map>

#include "cli/args.hpp"
#include "pipelines/input_files.hpp"
#include "pipelines/sql/planner.hpp"

namespace ananas::cli {

std::unique_ptr<LoadedPipelines> load_and_build(const std::vector<std::string>& paths, pipeline::RowErrorSink on_row_error) {
  auto out = std::make_unique<LoadedPipelines>();
  for (const auto& in : pipeline::read_inputs(paths)) {
    out->sets.push_back(pipeline::load_input(in));
    for (const auto& w : out->sets.back().warnings) out->warnings.push_back(w);
  }
  // Sets are complete now, so pointers into them stay valid.
  std::map<std::string, SourceLocation> names;
  for (const auto& set : out->sets) {
    for (const auto& p : set.pipelines) {
      if (auto first = names.find(p.name); first != names.end()) throw pipeline::duplicate_pipeline(p, first->second);
      names.emplace(p.name, p.location);
      out->built.push_back(pipeline::build_pipeline(p, on_row_error));
    }
  }
  return out;
}

const pipeline::BuiltPipeline& pick_pipeline(const LoadedPipelines& loaded, const std::string& name) {
  if (name.empty()) {
    if (loaded.built.size() == 1) return loaded.built.front();
    std::string list;
    for (const auto& b : loaded.built) list += (list.empty() ? "" : ", ") + b.model->name;
    throw UsageError("the input holds " + std::to_string(loaded.built.size()) + " pipelines (" + list + "): choose one with --pipeline");
  }
  for (const auto& b : loaded.built)
    if (b.model->name == name) return b;
  std::vector<std::string> names;
  for (const auto& b : loaded.built) names.push_back(b.model->name);
  std::string hint = closest_match(name, names);
  throw UsageError("no pipeline named '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

}  // namespace ananas::cli
