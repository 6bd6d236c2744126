#pragma once
// Whether an updating operator must emit -U rows: only when something
// downstream needs them (as Flink's FlinkChangelogModeInferenceProgram decides):
// an operator whose kind needs them, or a sink that is not an upsert sink keyed
// by `key_count` columns (the operator's upsert key); an operator that does not
// need them passes the question on to its consumers.
#include <cstddef>
#include <string>

#include "pipelines/model.hpp"

namespace ananas::pipeline {

bool consumers_need_update_before(const Pipeline& p, const std::string& node, size_t key_count);

}  // namespace ananas::pipeline
