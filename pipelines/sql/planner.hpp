#pragma once
// Flink SQL -> pipeline model: `ananas translate`. A script's CREATE TABLE
// statements declare sources and sinks; each INSERT INTO becomes one pipeline.
#include <string>
#include <vector>

#include "pipelines/input_files.hpp"
#include "pipelines/model.hpp"

namespace ananas::pipeline {

// `name` names the pipeline (a second INSERT gets name_2, ...). Throws
// InputError with the SQL location; leniencies are returned as warnings.
PipelineSet translate_sql(const std::vector<SqlText>& texts, const std::string& name);

// Any input file as pipelines: YAML is loaded, SQL and application JSON translated.
PipelineSet load_input(const InputFile& file);

}  // namespace ananas::pipeline
