#pragma once
// Flink SQL scripts -> statement ASTs: CREATE TABLE, INSERT INTO, SET, queries,
// statement sets (their INSERTs, as if written on their own),
// separated by ';' (the last ';' optional). Syntax only: names are resolved by
// the planner. Errors are InputError("file:line:col: message").
#include <string>
#include <string_view>
#include <vector>

#include "core/sql/ast.hpp"

namespace ananas::sql {

// `base` is where `text` starts inside `file` (line 0 = the text is the whole
// file), so SQL embedded in JSON or YAML reports file positions.
std::vector<StatementPtr> parse_statements(std::string_view text, const std::string& file = "",
                                           SourceLocation base = {});

}  // namespace ananas::sql
