#pragma once
// Loads pipeline YAML (docs/pipeline-yaml.md) into the model, with structural
// validation: YAML syntax, node kinds, required/unknown/duplicate keys, enum
// values, durations, parallelism, column types, node names, inputs, cycles.
// Every problem is an InputError `file:line:column: message`; things that are
// suspicious but runnable (an operator nobody reads) become warnings in the
// returned set. Expression semantics are checked later, by the binder, using
// the locations kept in the model.
#include <string>
#include <string_view>

#include "pipelines/model.hpp"

namespace ananas::pipeline {

// `text` holds one pipeline mapping or a `pipelines:` list; `file` names it in
// locations.
PipelineSet load_pipelines_yaml(std::string_view text, const std::string& file);

}  // namespace ananas::pipeline
