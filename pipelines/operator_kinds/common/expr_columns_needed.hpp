#pragma once
// The input columns a model expression reads, as flags over the input schema:
// what an operator kind answers when the graph builder asks which columns it
// needs (OperatorKind::input_columns_needed, projection push-down).
#include <vector>

#include "core/schema.hpp"
#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

// Sets the flag of every column of `input` that `e` reads. False when that
// cannot be said (an identifier that is no plain column, an expression the
// walker does not know, text that does not parse): the caller then needs
// every column.
bool mark_columns_read(const Schema& input, const Expr& e, std::vector<bool>& needed);

}  // namespace ananas::pipeline
