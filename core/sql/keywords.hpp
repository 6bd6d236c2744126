#pragma once
// Keyword knowledge shared by the parsers and the printer.
#include <string>
#include <string_view>
#include <vector>

namespace ananas::sql {

// Words that can never be a plain (unquoted) name: the clause keywords that let
// the parser tell `count(*) nr_orders` (an alias) from `... FROM t` (a clause).
// Names spelled like one of them must be quoted with backticks.
bool is_reserved(std::string_view upper_word);

// Keywords that start a statement, for "'SELEC' is not a statement (did you mean SELECT?)".
const std::vector<std::string>& statement_keywords();

// Every keyword the grammar knows, for "did you mean" on a misspelt keyword.
const std::vector<std::string>& all_keywords();

// True if `name` can be written without backticks and reads back as the same name.
bool is_plain_identifier(std::string_view name);

// `name` with backticks if it needs them (`` inside doubled).
std::string quote_identifier_if_needed(std::string_view name);

}  // namespace ananas::sql
