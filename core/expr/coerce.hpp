#pragma once
// Implicit conversions the builders insert (INT -> DECIMAL, INT -> DOUBLE,
// DATE -> TIMESTAMP, CHAR -> VARCHAR ...). Conversions that do not change the
// physical value (INT -> BIGINT, CHAR(3) -> VARCHAR) return the operand itself,
// so widening costs nothing per row.
#include <string>

#include "core/expr/compiled_expr.hpp"
#include "core/types.hpp"
#include "core/value.hpp"

namespace ananas::expr::detail {

CompiledExprPtr coerce(CompiledExprPtr e, const Type& to);

// The text a CAST to STRING produces for a non-null value of type `t`
// (appended to `out`). Shared with functions that print values (CONCAT of
// non-strings, DATE_FORMAT's fallbacks).
void append_cast_text(std::string& out, const Value& v, const Type& t);

}  // namespace ananas::expr::detail
