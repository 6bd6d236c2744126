#pragma once
// Flink SQL data types, as written in DDL and in pipeline YAML:
// INT, VARCHAR(10), DECIMAL(10, 2), TIMESTAMP(3) WITH LOCAL TIME ZONE,
// ARRAY<ROW<a INT, b STRING>>, INT ARRAY, MAP<STRING, INT>, ... NOT NULL.
// parse_type(t.to_sql()) == t and parse_type(t.to_string()) == t for every Type.
#include <string>
#include <string_view>

#include "core/diagnostic.hpp"
#include "core/sql/token_cursor.hpp"
#include "core/types.hpp"

namespace ananas::sql {

// Parses a type at the cursor (stops before anything that is not part of it).
Type parse_type(TokenCursor& cursor);

}  // namespace ananas::sql

namespace ananas {

// Parses a whole text as one type; `base` is where the text starts in `file`
// (line 0 = the text is the whole file). Throws InputError.
Type parse_type(std::string_view text, const std::string& file = "", SourceLocation base = {});

}  // namespace ananas

namespace ananas::sql {
using ::ananas::parse_type;  // the text form is reachable as sql::parse_type too
}  // namespace ananas::sql
