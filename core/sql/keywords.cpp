#include "core/sql/keywords.hpp"

#include <algorithm>
#include <set>

namespace ananas::sql {

namespace {

const std::set<std::string, std::less<>>& reserved_set() {
  static const std::set<std::string, std::less<>> words = {
      "ALL",      "AND",     "ARRAY",     "AS",        "ASC",       "BETWEEN",  "BY",
      "CASE",     "CAST",    "CREATE",    "CROSS",     "DEFINE",    "DESC",     "DISTINCT",
      "ELSE",     "END",     "ESCAPE",    "EXCEPT",    "EXISTS",    "FALSE",    "FETCH",
      "FILTER",   "FROM",    "FULL",      "GROUP",     "HAVING",    "IN",       "INNER",
      "INSERT",   "INTERSECT", "INTERVAL", "INTO",     "IS",        "JOIN",     "LATERAL",
      "LEFT",     "LIKE",    "LIMIT",     "MATCH_RECOGNIZE", "MEASURES", "MINUS", "NATURAL",
      "NOT",      "NULL",    "OFFSET",    "ON",        "OR",        "ORDER",    "OUTER",
      "OVER",     "PARTITION", "PATTERN", "RIGHT",     "SELECT",    "SET",      "SIMILAR",
      "SUBSET",   "TABLE",   "THEN",      "TRUE",      "UNION",     "UNNEST",
      "USING",    "VALUES",  "WHEN",      "WHERE",     "WINDOW",    "WITH",     "WITHIN",
  };
  return words;
}

}  // namespace

bool is_reserved(std::string_view upper_word) { return reserved_set().count(upper_word) > 0; }

const std::vector<std::string>& statement_keywords() {
  static const std::vector<std::string> words = {"CREATE", "INSERT", "SELECT", "WITH", "SET", "VALUES"};
  return words;
}

const std::vector<std::string>& all_keywords() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> w(reserved_set().begin(), reserved_set().end());
    for (const char* extra : {"TEMPORARY", "IF", "PRIMARY", "KEY", "ENFORCED", "CONSTRAINT", "METADATA",
                              "VIRTUAL", "WATERMARK", "COMMENT", "PARTITIONED", "OVERWRITE", "DESCRIPTOR",
                              "TUMBLE", "HOP", "CUMULATE", "ORDINALITY", "ROWS", "ROW", "PER", "MATCH",
                              "SKIP", "PAST", "LAST", "FIRST", "NEXT", "TO", "NULLS", "TRY_CAST"})
      w.emplace_back(extra);
    return w;
  }();
  return words;
}

bool is_plain_identifier(std::string_view name) {
  if (name.empty()) return false;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!letter(name[0])) return false;
  std::string upper;
  for (char c : name) {
    if (!(letter(c) || (c >= '0' && c <= '9') || c == '$')) return false;
    upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return !is_reserved(upper);
}

std::string quote_identifier_if_needed(std::string_view name) {
  if (is_plain_identifier(name)) return std::string(name);
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

}  // namespace ananas::sql
