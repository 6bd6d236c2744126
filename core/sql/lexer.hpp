#pragma once
// Splits SQL text into tokens with 1-based line:column locations. Columns count
// Unicode code points, so an error after '🍍' points at the right character.
// Lexical errors (unterminated string/comment/backtick, stray characters,
// invalid UTF-8, NUL bytes) throw InputError at the offending character.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"

namespace ananas::sql {

// The longest name (plain or quoted) or number the lexer takes, in bytes.
inline constexpr size_t kMaxTokenLength = 1024;

enum class TokenKind {
  Word,              // identifier or keyword, as written (keywords are matched case-insensitively)
  QuotedIdentifier,  // `name`, text = the name with `` unescaped
  String,            // 'text', text = the value with '' unescaped
  Integer,           // 42
  Decimal,           // 100.0, .5, 1.
  Approximate,       // 1e2, 1.5E-3
  Operator,          // = <> != < <= > >= + - * / % || ( ) , . ; [ ] { } ? | => ^ $
  End,               // end of input (location = just after the last token)
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;    // see TokenKind
  std::string upper;   // Word only: text in ASCII upper case, for keyword matching
  SourceLocation loc;  // of the first character
  size_t offset = 0;   // byte offset of the first character in the input
  size_t length = 0;   // bytes of source the token covers (quotes included)

  bool is_word(std::string_view upper_keyword) const { return kind == TokenKind::Word && upper == upper_keyword; }
  bool is_op(std::string_view op) const { return kind == TokenKind::Operator && text == op; }
  // How the token reads in an error message: 'FROM', 'orders', a string, "end of input".
  std::string describe() const;
};

// Where `text` starts inside its file, so locations are reported in file terms
// (an expression embedded in YAML starts at the YAML scalar's line:column).
// line 0 means "the text is the whole file" (1:1).
struct TextOrigin {
  std::string file;
  int line = 1;
  int column = 1;
};

// Converts a line:column inside the text to a location in the file.
SourceLocation locate(const TextOrigin& origin, int line, int column);

// The tokens of `text`, always ending with one End token.
std::vector<Token> tokenize(std::string_view text, const TextOrigin& origin);

}  // namespace ananas::sql
