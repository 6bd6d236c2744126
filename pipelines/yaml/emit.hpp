#pragma once
// Writes the model as pipeline YAML: deterministic, fixed key order (as in
// docs/pipeline-yaml.md), flow style for one-line items (columns, select items,
// aggregates, key lists), block style elsewhere, strings quoted only when
// needed. load_pipelines_yaml(emit_pipelines_yaml(s)) == s.
#include <string>

#include "pipelines/model.hpp"

namespace ananas::pipeline {

// One pipeline as a top-level mapping.
std::string emit_pipeline_yaml(const Pipeline& p);
// One pipeline: a mapping; several: a `pipelines:` list.
std::string emit_pipelines_yaml(const PipelineSet& set);

}  // namespace ananas::pipeline
