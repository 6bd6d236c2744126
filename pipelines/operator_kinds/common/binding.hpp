#pragma once
// Binding model text to a schema, shared by the graph builder and the operator
// kinds: a column looked up by name, an expression compiled.
#include <string>

#include "core/expr/compiled_expr.hpp"
#include "core/schema.hpp"
#include "operators/named_expr.hpp"
#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

// The index of column `name` of `schema`; otherwise an InputError at `loc`
// naming it `what` ("group key", "window time column", ...) with a "did you mean".
size_t column_index(const Schema& schema, const std::string& name, const SourceLocation& loc, const std::string& what);

// `e` compiled against `input`; errors point into its text.
expr::CompiledExprPtr compile(const Expr& e, const Schema& input);

// A reference to input column `name`, under its own name.
ops::NamedExpr column_expr(const Schema& input, const std::string& name, const SourceLocation& loc, const std::string& what);

}  // namespace ananas::pipeline
