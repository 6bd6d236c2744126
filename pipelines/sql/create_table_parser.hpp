#pragma once
// CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name (columns, WATERMARK, PRIMARY KEY)
// [COMMENT '...'] [PARTITIONED BY (...)] WITH ('key' = 'value', ...).
#include "core/sql/ast.hpp"
#include "core/sql/token_cursor.hpp"

namespace ananas::sql {

// Called with the cursor on CREATE.
StatementPtr parse_create_table(TokenCursor& cursor);

}  // namespace ananas::sql
