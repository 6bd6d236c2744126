#pragma once
// One operator of the graph, built: its kind (pipelines/operator_kinds/) checks
// and binds the model; what is common to every kind happens here.
#include "pipelines/graph/built_pipeline.hpp"

namespace ananas::pipeline {

// `op` over `input`, the schema its input node produces; `input_updating`:
// whether that node emits updates.
BuiltOperator build_operator(const Pipeline& p, const Operator& op, const Schema& input, bool input_updating,
                             const RowErrorSink& on_row_error);

}  // namespace ananas::pipeline
