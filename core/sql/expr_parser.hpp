#pragma once
// Flink SQL scalar expressions -> AST (core/sql/ast.hpp). Operator precedence
// follows Calcite: OR < AND < NOT < IS < comparison < IN/LIKE/BETWEEN < + - <
// * / % || < unary - + < [] and field access.
#include <string>
#include <string_view>

#include "core/diagnostic.hpp"
#include "core/sql/ast.hpp"
#include "core/sql/token_cursor.hpp"

namespace ananas::sql {

// Parses one expression at the cursor and stops before the first token that
// cannot continue it.
ExprPtr parse_expr(TokenCursor& cursor);

// An OVER window's parenthesised definition, the cursor at '(' (OVER (...) and WINDOW w AS (...)).
std::shared_ptr<const OverSpec> parse_window_spec(TokenCursor& cursor, const SourceLocation& loc);

// Parses a whole text as one expression (e.g. a `filter:` in pipeline YAML);
// `base` is where the text starts in `file` so errors point into that file
// (line 0 = the text is the whole file). Throws InputError.
ExprPtr parse_expression(std::string_view text, const std::string& file = "", SourceLocation base = {});

// INTERVAL units, for the parsers that read time units (EXTRACT, TIMESTAMPADD, ...).
const char* time_unit_name(TimeUnit unit);

}  // namespace ananas::sql
