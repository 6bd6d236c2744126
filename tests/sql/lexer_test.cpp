// Tokens, their locations (code points, not bytes) and lexical errors.
#include <catch2/catch.hpp>

#include "core/sql/lexer.hpp"
#include "tests/sql/sql_test_helpers.hpp"

using namespace ananas;
using namespace ananas::sql;

namespace {
std::vector<Token> lex(const std::string& text) { return tokenize(text, TextOrigin{"t.sql", 1, 1}); }
}  // namespace

TEST_CASE("token kinds, text and keyword case") {
  auto t = lex("select `a``b`, 'it''s', 42, 100.0, 1e2, .5 FROM x -- comment\n/* block */ <> != <= >= || => ;");
  REQUIRE(t.size() == 22);
  CHECK(t[0].kind == TokenKind::Word);
  CHECK(t[0].text == "select");
  CHECK(t[0].is_word("SELECT"));
  CHECK(t[1].kind == TokenKind::QuotedIdentifier);
  CHECK(t[1].text == "a`b");
  CHECK(t[3].kind == TokenKind::String);
  CHECK(t[3].text == "it's");
  CHECK(t[5].kind == TokenKind::Integer);
  CHECK(t[7].kind == TokenKind::Decimal);
  CHECK(t[9].kind == TokenKind::Approximate);
  CHECK(t[11].kind == TokenKind::Decimal);
  CHECK(t[11].text == ".5");
  CHECK(t[12].is_word("FROM"));
  CHECK(t[14].is_op("<>"));
  CHECK(t[15].is_op("!="));
  CHECK(t[19].is_op("=>"));
  CHECK(t[20].loc == SourceLocation{"t.sql", 2, 31});
  CHECK(t[21].kind == TokenKind::End);
}

TEST_CASE("columns count code points, strings pass UTF-8 through unchanged") {
  auto t = lex("'🍍 pineapple' x\n  é y");
  CHECK(t[0].text == "\xF0\x9F\x8D\x8D pineapple");
  CHECK(t[1].loc == SourceLocation{"t.sql", 1, 15});
  CHECK(t[2].text == "\xC3\xA9");  // a letter outside ASCII is a name
  CHECK(t[3].loc == SourceLocation{"t.sql", 2, 5});
  CHECK(t[1].offset == 17);  // bytes, for slicing the source
}

TEST_CASE("a field access after a name is not a decimal") {
  auto t = lex("a.b t.5 (1).5");
  CHECK(t[1].is_op("."));
  CHECK(t[4].is_op("."));
  CHECK(t[5].kind == TokenKind::Integer);
}

TEST_CASE("lexical errors carry the location of the offending character") {
  struct Case {
    std::string text;
    int line, column;
    std::string phrase;
  };
  std::vector<Case> cases = {
      {"SELECT 'abc", 1, 8, "unterminated string"},
      {"SELECT `abc", 1, 8, "unterminated quoted identifier"},
      {"SELECT 1 /* never closed", 1, 10, "unterminated comment"},
      {"SELECT a # b", 1, 10, "unexpected character '#'"},
      {"SELECT '🍍' @", 1, 12, "unexpected character '@'"},
      {std::string("SELECT \xFF"), 1, 8, "invalid UTF-8 byte 0xFF"},
      {std::string("SELECT '\xC3'"), 1, 9, "invalid UTF-8"},
      {std::string("SELECT \xED\xA0\x80"), 1, 8, "invalid UTF-8"},
      {std::string("SELECT a\0b", 10), 1, 9, "NUL byte"},
      {"SELECT \"a\"", 1, 8, "strings use single quotes"},
      {"SELECT \xE2\x80\x98x\xE2\x80\x99", 1, 8, "typographic quote"},
      {"SELECT\n  a\x01", 2, 4, "control character U+0001"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto e = sql_test::input_error_of([&] { lex(c.text); });
    CHECK(e.location() == SourceLocation{"t.sql", c.line, c.column});
    CHECK_THAT(e.message(), Catch::Contains(c.phrase));
  }
}
