#pragma once
// One operator of the graph, built: its kind (pipelines/operator_kinds/) checks
// and binds the model; what is common to every kind happens here.
#include "pipelines/graph/built_pipeline.hpp"

namespace ananas::pipeline {

// `op` over `input`, the schema its input node produces, and `more_inputs`,
// those of its further inputs (op.more_inputs); `input_updating`: whether any
// of them emits updates.
BuiltOperator build_operator(const Pipeline& p, const Operator& op, const Schema& input, bool input_updating,
                             const RowErrorSink& on_row_error, std::vector<Schema> more_inputs = {});

}  // namespace ananas::pipeline
