#include "core/sql/token_cursor.hpp"

#include "core/sql/keywords.hpp"

namespace ananas::sql {

std::string short_location(const SourceLocation& loc) {
  return std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

TokenCursor::TokenCursor(std::string_view text, TextOrigin origin)
    : text_(text), origin_(std::move(origin)), tokens_(tokenize(text_, origin_)) {}

const Token& TokenCursor::peek(size_t ahead) const {
  size_t i = pos_ + ahead;
  return i < tokens_.size() ? tokens_[i] : tokens_.back();
}

const Token& TokenCursor::next() {
  const Token& t = tokens_[pos_];
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return t;
}

bool TokenCursor::accept_word(std::string_view upper_keyword) {
  if (!peek().is_word(upper_keyword)) return false;
  next();
  return true;
}

bool TokenCursor::accept_op(std::string_view op) {
  if (!peek().is_op(op)) return false;
  next();
  return true;
}

bool TokenCursor::accept_words(std::initializer_list<std::string_view> upper_keywords) {
  size_t i = 0;
  for (std::string_view kw : upper_keywords)
    if (!peek(i++).is_word(kw)) return false;
  for (size_t k = 0; k < upper_keywords.size(); ++k) next();
  return true;
}

static std::string with_context(std::string what, std::string_view context) {
  if (!context.empty()) what += " " + std::string(context);
  return what;
}

const Token& TokenCursor::expect_word(std::string_view upper_keyword, std::string_view context) {
  if (!peek().is_word(upper_keyword)) fail_expected(with_context(std::string(upper_keyword), context));
  return next();
}

const Token& TokenCursor::expect_op(std::string_view op, std::string_view context) {
  if (!peek().is_op(op)) fail_expected(with_context("'" + std::string(op) + "'", context));
  return next();
}

const Token& TokenCursor::expect_close(const Token& open) {
  std::string close = open.text == "(" ? ")" : open.text == "[" ? "]" : open.text == "<" ? ">" : "}";
  if (!peek().is_op(close))
    fail_expected("'" + close + "' to close '" + open.text + "' opened at " + short_location(open.loc));
  return next();
}

bool TokenCursor::at_name() const {
  const Token& t = peek();
  return t.kind == TokenKind::QuotedIdentifier || (t.kind == TokenKind::Word && !is_reserved(t.upper));
}

const Token& TokenCursor::expect_name(std::string_view what) {
  const Token& t = peek();
  if (t.kind == TokenKind::Word && is_reserved(t.upper))
    fail_at(t, "expected " + std::string(what) + ", found the reserved keyword '" + t.text +
                   "' (quote it with backticks, `" + t.text + "`, to use it as a name)");
  if (!at_name()) fail_expected(what);
  return next();
}

void TokenCursor::fail_expected(std::string_view what) const {
  const Token& t = peek();
  if (t.kind == TokenKind::End)
    fail_at(t, "unexpected end of input: the " + subject_ + " is incomplete (expected " + std::string(what) + ")");
  fail_at(t, "expected " + std::string(what) + ", found " + t.describe());
}

void TokenCursor::fail_at(const Token& token, std::string message) const { throw InputError(token.loc, std::move(message)); }

std::string_view TokenCursor::source(size_t from, size_t to) const {
  if (from > text_.size()) from = text_.size();
  if (to < from) to = from;
  return std::string_view(text_).substr(from, to - from);
}

SourceLocation TokenCursor::location_of_offset(size_t offset) const {
  // Count lines and code points up to the offset (only used for captured text, not per token).
  int line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text_.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text_[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return locate(origin_, line, column);
}

TokenCursor::DepthGuard::DepthGuard(TokenCursor& cursor, const Token& at) : cursor_(cursor) {
  if (++cursor_.depth_ > kMaxNestingDepth) {
    --cursor_.depth_;
    throw InputError(at.loc, "nested too deeply (more than " + std::to_string(kMaxNestingDepth) +
                                 " levels of parentheses or sub-expressions)");
  }
  ++cursor_.tree_depth_;
}

void TokenCursor::ChainDepth::link(const Token& op) {
  if (cursor_.tree_depth_ + 1 > kMaxTreeDepth)
    throw InputError(op.loc, "too many operators in a chain (more than " + std::to_string(kMaxTreeDepth) +
                                 " levels, nesting included): split the expression, or use IN (...) for many "
                                 "alternatives");
  ++cursor_.tree_depth_;
  ++links_;
}

}  // namespace ananas::sql
