#pragma once
// TABLE(...) in FROM: the window TVFs TUMBLE / HOP / CUMULATE (positional or
// named arguments) and other table functions (kept as a call).
#include "core/sql/ast.hpp"
#include "core/sql/token_cursor.hpp"

namespace ananas::sql {

// Called with the cursor on TABLE (followed by '(').
FromItemPtr parse_table_function(TokenCursor& cursor);

}  // namespace ananas::sql
