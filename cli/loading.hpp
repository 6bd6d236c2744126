#pragma once
// Loading what the user names on the command line into built pipelines: the
// same path for validate, explain, replay, test and run, so "validate passes"
// means "run accepts it".
#include <memory>
#include <string>
#include <vector>

#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/model.hpp"

namespace ananas::cli {

struct LoadedPipelines {
  std::vector<pipeline::PipelineSet> sets;  // the models (the built pipelines point into them)
  std::vector<pipeline::BuiltPipeline> built;
  Warnings warnings;
};

// Reads, translates (SQL, application JSON) or loads (YAML), and builds every
// pipeline. Throws InputError for the first problem.
std::unique_ptr<LoadedPipelines> load_and_build(const std::vector<std::string>& paths,
                                                pipeline::RowErrorSink on_row_error = {});

// The one pipeline a command works on: `name` if given, else the only one.
const pipeline::BuiltPipeline& pick_pipeline(const LoadedPipelines& loaded, const std::string& name);

}  // namespace ananas::cli
