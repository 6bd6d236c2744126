#pragma once
// Queries: [WITH ...] SELECT ... FROM ... [UNION ALL ...] [ORDER BY] [LIMIT],
// including window TVFs, UNNEST, joins and MATCH_RECOGNIZE in FROM.
#include "core/sql/ast.hpp"
#include "core/sql/token_cursor.hpp"

namespace ananas::sql {

// True if the next token can start a query (SELECT, WITH, VALUES or '(').
bool at_query_start(const TokenCursor& cursor);

QueryPtr parse_query(TokenCursor& cursor);

// ORDER BY items (shared with MATCH_RECOGNIZE).
std::vector<OrderItem> parse_order_items(TokenCursor& cursor);

// If the last consumed token is a word that looks like a misspelt keyword
// (`FORM` for FROM, used as an implicit alias), fail saying so; otherwise return.
void reject_misspelt_keyword_before(const TokenCursor& cursor);

}  // namespace ananas::sql
