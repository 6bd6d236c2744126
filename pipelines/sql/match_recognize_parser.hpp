#pragma once
// MATCH_RECOGNIZE ( ... ) applied to a FROM item. PATTERN is kept as its exact
// source text; operators/match_recognize compiles it.
#include "core/sql/ast.hpp"
#include "core/sql/token_cursor.hpp"

namespace ananas::sql {

// Called with the cursor on MATCH_RECOGNIZE; `input` is the FROM item it applies to.
FromItemPtr parse_match_recognize(TokenCursor& cursor, FromItemPtr input);

}  // namespace ananas::sql
