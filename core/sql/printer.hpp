#pragma once
// Canonical SQL text for an expression: parse_expression(to_sql(e)) is equal()
// to e. Parentheses only where precedence needs them; string literals are kept
// byte-exact (emoji stay raw UTF-8); names that need it get backticks.
#include <string>

#include "core/sql/ast.hpp"

namespace ananas::sql {

std::string to_sql(const Expr& e);

// A name as it must be written in an expression (backticks when needed).
std::string identifier_sql(const std::string& name);

// 'text' with embedded quotes doubled.
std::string string_literal_sql(const std::string& text);

}  // namespace ananas::sql
