#pragma once
// A read position in a token list plus the error vocabulary every SQL parser
// shares, so all of them report problems the same way:
//   expected ')' to close '(' opened at 3:14, found 'FROM'
//   unexpected end of input: the statement is incomplete (expected an expression)
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/sql/lexer.hpp"

namespace ananas::sql {

// Deeper nesting than this is rejected with an error instead of overflowing the stack.
inline constexpr int kMaxNestingDepth = 250;
// A deeper syntax tree than this is rejected too. A chain of operators
// (`a OR b OR c ...`, `x + y + z ...`, `a[1][2]...`, joins, UNIONs) is parsed
// by a loop, not by recursion, but makes a tree as deep as the chain is long,
// and every later walk of the tree (checks, planning, evaluation, freeing it)
// recurses through it: 100,000 ORs overflowed the stack of the planner.
inline constexpr int kMaxTreeDepth = 1000;

struct Query;

class TokenCursor {
 public:
  TokenCursor(std::string_view text, TextOrigin origin);

  // Parses a query at the cursor, for subqueries inside expressions (EXISTS
  // (...), x IN (SELECT ...)): set by the statement parser, since the query
  // parser lives above core/sql. Unset, such subqueries are syntax errors.
  using QueryParserFn = std::shared_ptr<const Query> (*)(TokenCursor&);
  void set_query_parser(QueryParserFn parser) { query_parser_ = parser; }
  QueryParserFn query_parser() const { return query_parser_; }

  const Token& peek(size_t ahead = 0) const;
  const Token& next();
  // The last token consumed (the first token if none was).
  const Token& previous() const { return tokens_[pos_ > 0 ? pos_ - 1 : 0]; }
  bool at_end() const { return peek().kind == TokenKind::End; }
  size_t position() const { return pos_; }

  // Consume the token if it is that keyword / operator.
  bool accept_word(std::string_view upper_keyword);
  bool accept_op(std::string_view op);
  // Consume two or more keywords in a row, or none of them.
  bool accept_words(std::initializer_list<std::string_view> upper_keywords);

  // Consume the keyword / operator or fail with "expected X <context>, found Y".
  const Token& expect_word(std::string_view upper_keyword, std::string_view context = "");
  const Token& expect_op(std::string_view op, std::string_view context = "");
  // Consume the `)` / `]` / `>` matching `open`, or fail naming where it was opened.
  const Token& expect_close(const Token& open);

  // A name: an unreserved word or a backtick-quoted identifier. `what` says what
  // the name is for ("a column name") in the error.
  const Token& expect_name(std::string_view what);
  bool at_name() const;

  // What the text is, for "the <subject> is incomplete": "statement" (default),
  // "type" or "expression" when a YAML value is parsed on its own.
  void set_subject(std::string subject) { subject_ = std::move(subject); }
  const std::string& subject() const { return subject_; }

  // "expected <what>, found <token>" at the next token; at the end of input
  // "unexpected end of input: the statement is incomplete (expected <what>)".
  [[noreturn]] void fail_expected(std::string_view what) const;
  [[noreturn]] void fail_at(const Token& token, std::string message) const;

  // The exact source text between two byte offsets.
  std::string_view source(size_t from, size_t to) const;
  const TextOrigin& origin() const { return origin_; }
  // The location of a byte offset in the text (for text captured verbatim).
  SourceLocation location_of_offset(size_t offset) const;

  // Guards recursion: constructing one past kMaxNestingDepth fails at `at`.
  // Each level is also a level of the tree (kMaxTreeDepth).
  class DepthGuard {
   public:
    DepthGuard(TokenCursor& cursor, const Token& at);
    ~DepthGuard() {
      --cursor_.depth_;
      --cursor_.tree_depth_;
    }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    TokenCursor& cursor_;
  };

  // Counts the operators a parsing loop chains onto its left operand, each
  // one more level of the tree, until the loop's function returns; `link`
  // past kMaxTreeDepth (with the nesting around it) fails at the operator.
  class ChainDepth {
   public:
    explicit ChainDepth(TokenCursor& cursor) : cursor_(cursor) {}
    ~ChainDepth() { cursor_.tree_depth_ -= links_; }
    ChainDepth(const ChainDepth&) = delete;
    ChainDepth& operator=(const ChainDepth&) = delete;
    void link(const Token& op);

   private:
    TokenCursor& cursor_;
    int links_ = 0;
  };

 private:
  std::string text_;
  TextOrigin origin_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int tree_depth_ = 0;
  std::string subject_ = "statement";
  QueryParserFn query_parser_ = nullptr;
};

// "3:14" — a location inside the same file, for messages that point back.
std::string short_location(const SourceLocation& loc);

}  // namespace ananas::sql
