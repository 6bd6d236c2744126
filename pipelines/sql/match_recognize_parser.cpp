#include "pipelines/sql/match_recognize_parser.hpp"

#include "core/sql/expr_parser.hpp"
#include "pipelines/sql/query_parser.hpp"

namespace ananas::sql {

namespace {

class MatchRecognizeParser {
 public:
  MatchRecognizeParser(TokenCursor& c, MatchRecognize& m) : c_(c), m_(m) {}

  // Clauses in the order the SQL standard (and Calcite) requires.
  void body() {
    if (c_.accept_words({"PARTITION", "BY"})) {
      do {
        m_.partition_by.push_back(parse_expr(c_));
      } while (c_.accept_op(","));
    }
    if (c_.accept_words({"ORDER", "BY"})) m_.order_by = parse_order_items(c_);
    if (c_.accept_word("MEASURES")) measures();
    rows_per_match();
    after_match();
    pattern();
    if (c_.accept_word("WITHIN")) m_.within = parse_expr(c_);
    if (c_.accept_word("SUBSET")) subsets();
    if (!c_.peek().is_word("DEFINE")) c_.fail_expected("DEFINE (every MATCH_RECOGNIZE needs DEFINE after PATTERN)");
    c_.next();
    defines();
  }

 private:
  TokenCursor& c_;
  MatchRecognize& m_;

  void measures() {
    do {
      Measure m;
      m.expr = parse_expr(c_);
      c_.expect_word("AS", "and a name after the measure expression");
      const Token& alias = c_.expect_name("a measure name after AS");
      m.alias = alias.text;
      m.alias_loc = alias.loc;
      m_.measures.push_back(std::move(m));
    } while (c_.accept_op(","));
  }

  void rows_per_match() {
    const Token& t = c_.peek();
    if (c_.accept_words({"ONE", "ROW", "PER", "MATCH"})) {
      m_.rows_per_match = RowsPerMatch::OneRow;
      m_.rows_per_match_loc = t.loc;
    } else if (c_.accept_words({"ALL", "ROWS", "PER", "MATCH"})) {
      m_.rows_per_match = RowsPerMatch::AllRows;
      m_.rows_per_match_loc = t.loc;
      if (!c_.accept_words({"SHOW", "EMPTY", "MATCHES"}) && !c_.accept_words({"OMIT", "EMPTY", "MATCHES"}))
        c_.accept_words({"WITH", "UNMATCHED", "ROWS"});
    } else if (t.is_word("ONE") || t.is_word("ALL")) {
      c_.fail_at(t, "expected ONE ROW PER MATCH or ALL ROWS PER MATCH");
    }
  }

  void after_match() {
    const Token& t = c_.peek();
    if (!t.is_word("AFTER")) return;
    c_.next();
    c_.expect_word("MATCH", "in AFTER MATCH SKIP");
    c_.expect_word("SKIP", "in AFTER MATCH SKIP");
    m_.after_match.loc = t.loc;
    if (c_.accept_words({"PAST", "LAST", "ROW"})) {
      m_.after_match.kind = AfterMatchKind::PastLastRow;
      return;
    }
    c_.expect_word("TO", "or PAST LAST ROW after AFTER MATCH SKIP");
    if (c_.accept_words({"NEXT", "ROW"})) {
      m_.after_match.kind = AfterMatchKind::ToNextRow;
      return;
    }
    // `TO FIRST v` / `TO LAST v`, but `TO LAST` alone names a variable called LAST.
    if ((c_.peek().is_word("FIRST") || c_.peek().is_word("LAST")) && c_.peek(1).kind != TokenKind::Operator &&
        c_.peek(1).kind != TokenKind::End && !c_.peek(1).is_word("PATTERN")) {
      m_.after_match.kind = c_.next().is_word("FIRST") ? AfterMatchKind::ToFirst : AfterMatchKind::ToLast;
    } else {
      m_.after_match.kind = AfterMatchKind::ToVariable;
    }
    m_.after_match.variable = c_.expect_name("a pattern variable after AFTER MATCH SKIP TO").text;
  }

  // Keeps the exact text between PATTERN's parentheses; nested () and {} are balanced.
  void pattern() {
    c_.expect_word("PATTERN", "(every MATCH_RECOGNIZE needs a PATTERN)");
    const Token& open = c_.expect_op("(", "after PATTERN");
    std::vector<const Token*> stack = {&open};
    while (true) {
      const Token& t = c_.peek();
      if (t.kind == TokenKind::End)
        c_.fail_at(t, "unexpected end of input: the " + c_.subject() + " is incomplete (expected '" +
                          std::string(stack.back()->text == "(" ? ")" : "}") + "' to close '" + stack.back()->text +
                          "' opened at " + short_location(stack.back()->loc) + ")");
      if (t.is_op("(") || t.is_op("{")) {
        if (stack.size() >= static_cast<size_t>(kMaxNestingDepth)) c_.fail_at(t, "PATTERN is nested too deeply");
        stack.push_back(&t);
      } else if (t.is_op(")") || t.is_op("}")) {
        const Token& opener = *stack.back();
        if (opener.is_op("(") != t.is_op(")"))
          c_.fail_at(t, "'" + t.text + "' does not match '" + opener.text + "' opened at " + short_location(opener.loc));
        stack.pop_back();
        if (stack.empty()) break;
      }
      c_.next();
    }
    const Token& close = c_.next();
    m_.pattern_text = std::string(c_.source(open.offset + open.length, close.offset));
    m_.pattern_loc = c_.location_of_offset(open.offset + open.length);
    bool blank = m_.pattern_text.find_first_not_of(" \t\r\n") == std::string::npos;
    if (blank) c_.fail_at(close, "PATTERN is empty");
  }

  void subsets() {
    do {
      SubsetDef s;
      const Token& name = c_.expect_name("a subset name");
      s.name = name.text;
      s.loc = name.loc;
      c_.expect_op("=", "after the subset name");
      const Token& open = c_.expect_op("(", "before the subset's variables");
      do {
        s.variables.push_back(c_.expect_name("a pattern variable").text);
      } while (c_.accept_op(","));
      c_.expect_close(open);
      m_.subsets.push_back(std::move(s));
    } while (c_.accept_op(","));
  }

  void defines() {
    do {
      DefineClause d;
      const Token& var = c_.expect_name("a pattern variable to DEFINE");
      for (const auto& other : m_.defines)
        if (other.variable == var.text)
          c_.fail_at(var, "pattern variable '" + var.text + "' is defined twice (first at " + short_location(other.loc) + ")");
      d.variable = var.text;
      d.loc = var.loc;
      c_.expect_word("AS", "after the pattern variable in DEFINE");
      d.condition = parse_expr(c_);
      m_.defines.push_back(std::move(d));
    } while (c_.accept_op(","));
  }
};

}  // namespace

FromItemPtr parse_match_recognize(TokenCursor& c, FromItemPtr input) {
  const Token& kw = c.next();
  auto m = std::make_unique<MatchRecognize>(kw.loc);
  m->input = std::move(input);
  const Token& open = c.expect_op("(", "after MATCH_RECOGNIZE");
  MatchRecognizeParser(c, *m).body();
  c.expect_close(open);
  return m;
}

}  // namespace ananas::sql
