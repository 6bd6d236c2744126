#pragma once
// Internal: typing of SQL literals for the binder.
#include "core/expr/compiled_expr.hpp"
#include "core/sql/ast.hpp"

namespace ananas::expr {

// `negated`: the literal is the operand of a unary minus, folded so that
// -2147483648 is an INT like in Calcite. Throws InputError for malformed text.
CompiledExprPtr bind_literal(const sql::Literal& literal, bool negated = false);

}  // namespace ananas::expr
