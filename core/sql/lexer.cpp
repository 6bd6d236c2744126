#include "core/sql/lexer.hpp"

#include <cstdint>
#include <cstdio>

namespace ananas::sql {

SourceLocation locate(const TextOrigin& origin, int line, int column) {
  int base_line = origin.line > 0 ? origin.line : 1;
  int base_column = origin.column > 0 ? origin.column : 1;
  if (line == 1) return SourceLocation{origin.file, base_line, base_column + column - 1};
  return SourceLocation{origin.file, base_line + line - 1, column};
}

std::string Token::describe() const {
  switch (kind) {
    case TokenKind::End: return "end of input";
    case TokenKind::String: {
      // Long strings are shortened so the message stays readable; cut on a
      // code-point boundary so the message is still valid UTF-8.
      std::string shown = text;
      if (shown.size() > 40) {
        size_t cut = 40;
        while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
        shown = shown.substr(0, cut) + "...";
      }
      return "string '" + shown + "'";
    }
    case TokenKind::QuotedIdentifier: return "`" + text + "`";
    default: return "'" + text + "'";
  }
}

namespace {

bool is_ascii_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

std::string to_upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

std::string code_point_name(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

class Lexer {
 public:
  Lexer(std::string_view text, const TextOrigin& origin) : text_(text), origin_(origin) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    // A UTF-8 byte order mark (editors on Windows add one) is not part of the SQL.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    // "Unexpected end of input" points just after the last token, on the line
    // where the text stopped, not after trailing blank lines or comments.
    SourceLocation after_last_token;
    while (true) {
      skip_space_and_comments();
      if (pos_ >= text_.size()) break;
      tokens.push_back(next_token(tokens.empty() ? nullptr : &tokens.back()));
      after_last_token = here();
    }
    Token end;
    end.kind = TokenKind::End;
    end.loc = tokens.empty() ? here() : after_last_token;
    end.offset = text_.size();
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  std::string_view text_;
  const TextOrigin& origin_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;

  SourceLocation here() const { return locate(origin_, line_, column_); }
  [[noreturn]] void fail(const SourceLocation& loc, const std::string& message) const { throw InputError(loc, message); }

  unsigned char peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? static_cast<unsigned char>(text_[pos_ + ahead]) : 0;
  }
  bool at_end(size_t ahead = 0) const { return pos_ + ahead >= text_.size(); }

  // Decodes the code point at pos_ (validating UTF-8) and returns its byte length.
  size_t code_point_length(uint32_t* cp_out = nullptr) const {
    unsigned char c = peek();
    if (c == 0 && !at_end()) fail(here(), "NUL byte in the input (is this a binary file?)");
    if (c < 0x80) {
      if (cp_out) *cp_out = c;
      return 1;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else invalid_utf8(c);
    for (size_t i = 1; i < len; ++i) {
      if (at_end(i)) invalid_utf8(c);
      unsigned char cc = peek(i);
      if ((cc & 0xC0) != 0x80) invalid_utf8(c);
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) invalid_utf8(c);
    if (cp_out) *cp_out = cp;
    return len;
  }

  [[noreturn]] void invalid_utf8(unsigned char c) const {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned>(c));
    fail(here(), std::string("invalid UTF-8 byte ") + buf + " (the input must be UTF-8 text)");
  }

  // Advances over one code point, keeping line/column in step.
  void advance() {
    if (peek() == '\n') {
      ++pos_;
      ++line_;
      column_ = 1;
      return;
    }
    pos_ += code_point_length();
    ++column_;
  }

  void skip_space_and_comments() {
    while (!at_end()) {
      unsigned char c = peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        advance();
      } else if (c == '-' && peek(1) == '-') {
        while (!at_end() && peek() != '\n') advance();
      } else if (c == '/' && peek(1) == '*') {
        SourceLocation start = here();
        advance();
        advance();
        while (!(peek() == '*' && peek(1) == '/')) {
          if (at_end()) fail(start, "unterminated comment: '/*' has no closing '*/'");
          advance();
        }
        advance();
        advance();
      } else {
        return;
      }
    }
  }

  Token start_token(TokenKind kind) const {
    Token t;
    t.kind = kind;
    t.loc = here();
    t.offset = pos_;
    return t;
  }
  void finish(Token& t) const { t.length = pos_ - t.offset; }

  // Names and numbers are quoted whole in error messages: one of megabytes
  // would make every message about it megabytes long. Strings may be long
  // (describe() shortens them).
  void check_length(const Token& t, const char* what) const {
    if (t.length > kMaxTokenLength)
      fail(t.loc, std::string(what) + " longer than " + std::to_string(kMaxTokenLength) + " characters");
  }

  Token next_token(const Token* previous) {
    unsigned char c = peek();
    if (is_ascii_letter(c) || c == '_' || c >= 0x80) return word(c);
    if (is_digit(c)) return number();
    if (c == '.' && is_digit(peek(1)) && !follows_name(previous)) return number();
    if (c == '\'') return quoted('\'', TokenKind::String, "string", "'");
    if (c == '`') return quoted('`', TokenKind::QuotedIdentifier, "quoted identifier", "`");
    return operator_token();
  }

  // After a name, `.5` is a field access followed by a number only in nonsense
  // input; after a name `.` always means qualification.
  static bool follows_name(const Token* previous) {
    if (!previous) return false;
    return previous->kind == TokenKind::Word || previous->kind == TokenKind::QuotedIdentifier ||
           previous->is_op(")") || previous->is_op("]");
  }

  Token word(unsigned char first) {
    if (first >= 0x80) reject_confusable();
    Token t = start_token(TokenKind::Word);
    while (!at_end()) {
      unsigned char c = peek();
      if (is_ascii_letter(c) || is_digit(c) || c == '_' || c == '$') {
        advance();
      } else if (c >= 0x80) {
        reject_confusable();
        advance();
      } else {
        break;
      }
    }
    finish(t);
    check_length(t, "a name");
    t.text = std::string(text_.substr(t.offset, t.length));
    t.upper = to_upper_ascii(t.text);
    return t;
  }

  // Letters outside ASCII may appear in names, but typographic quotes and
  // invisible spaces pasted from documents are almost always mistakes.
  void reject_confusable() const {
    uint32_t cp = 0;
    code_point_length(&cp);
    std::string shown(text_.substr(pos_, code_point_length()));
    if (cp == 0x2018 || cp == 0x2019)
      fail(here(), "unexpected character '" + shown + "' (typographic quote; strings use straight quotes ')");
    if (cp == 0x201C || cp == 0x201D)
      fail(here(), "unexpected character '" + shown + "' (typographic quote; quote identifiers with backticks `)");
    if (cp == 0x00A0 || cp == 0x200B || cp == 0xFEFF || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x3000)
      fail(here(), "unexpected invisible character " + code_point_name(cp) + " (a non-breaking or zero-width space?)");
  }

  Token number() {
    Token t = start_token(TokenKind::Integer);
    while (is_digit(peek())) advance();
    if (peek() == '.') {
      t.kind = TokenKind::Decimal;
      advance();
      while (is_digit(peek())) advance();
    }
    if ((peek() == 'e' || peek() == 'E') &&
        (is_digit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && is_digit(peek(2))))) {
      t.kind = TokenKind::Approximate;
      advance();
      if (peek() == '+' || peek() == '-') advance();
      while (is_digit(peek())) advance();
    }
    finish(t);
    check_length(t, "a number");
    t.text = std::string(text_.substr(t.offset, t.length));
    return t;
  }

  Token quoted(char quote, TokenKind kind, const char* what, const char* quote_text) {
    Token t = start_token(kind);
    advance();
    while (true) {
      if (at_end())
        fail(t.loc, std::string("unterminated ") + what + ": " + quote_text + " opened here has no closing " + quote_text);
      if (peek() == static_cast<unsigned char>(quote)) {
        if (peek(1) == static_cast<unsigned char>(quote)) {
          t.text += quote;
          advance();
          advance();
          continue;
        }
        advance();
        break;
      }
      size_t start = pos_;
      advance();
      t.text.append(text_.substr(start, pos_ - start));
    }
    finish(t);
    if (kind == TokenKind::QuotedIdentifier && t.text.empty()) fail(t.loc, "empty quoted identifier ``");
    if (kind == TokenKind::QuotedIdentifier) check_length(t, "a quoted identifier");
    return t;
  }

  Token operator_token() {
    static constexpr std::string_view kTwoChar[] = {"<>", "!=", "<=", ">=", "||", "=>"};
    // `^` and `$` only occur as MATCH_RECOGNIZE pattern anchors.
    static constexpr std::string_view kOneChar = "=<>+-*/%(),.;[]{}?|^$";
    Token t = start_token(TokenKind::Operator);
    std::string_view rest = text_.substr(pos_);
    for (std::string_view op : kTwoChar) {
      if (rest.substr(0, 2) == op) {
        advance();
        advance();
        finish(t);
        t.text = std::string(op);
        return t;
      }
    }
    unsigned char c = peek();
    if (c != 0 && kOneChar.find(static_cast<char>(c)) != std::string_view::npos) {
      advance();
      finish(t);
      t.text = std::string(1, static_cast<char>(c));
      return t;
    }
    if (c == 0) fail(here(), "NUL byte in the input (is this a binary file?)");
    if (c == '"')
      fail(here(), "unexpected character '\"' (strings use single quotes '...', identifiers backticks `...`)");
    if (c < 0x20 || c == 0x7F) fail(here(), "unexpected control character " + code_point_name(c));
    fail(here(), std::string("unexpected character '") + static_cast<char>(c) + "'");
  }
};

}  // namespace

std::vector<Token> tokenize(std::string_view text, const TextOrigin& origin) { return Lexer(text, origin).run(); }

}  // namespace ananas::sql
