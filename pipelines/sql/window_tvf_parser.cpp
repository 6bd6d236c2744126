#include "pipelines/sql/window_tvf_parser.hpp"

#include "core/sql/expr_parser.hpp"
#include "pipelines/sql/query_parser.hpp"

namespace ananas::sql {

namespace {

// The interval arguments after DATA and TIMECOL, in positional order.
std::vector<std::string> interval_parameters(WindowKind kind) {
  switch (kind) {
    case WindowKind::Tumble: return {"SIZE", "OFFSET"};
    case WindowKind::Hop: return {"SLIDE", "SIZE", "OFFSET"};
    case WindowKind::Cumulate: return {"STEP", "SIZE", "OFFSET"};
    case WindowKind::Session: return {"GAP"};
  }
  return {};
}

std::string usage(WindowKind kind) {
  switch (kind) {
    case WindowKind::Tumble: return "TUMBLE(TABLE t, DESCRIPTOR(time_col), size [, offset])";
    case WindowKind::Hop: return "HOP(TABLE t, DESCRIPTOR(time_col), slide, size [, offset])";
    case WindowKind::Cumulate: return "CUMULATE(TABLE t, DESCRIPTOR(time_col), step, size [, offset])";
    case WindowKind::Session: return "SESSION(TABLE t [PARTITION BY key], DESCRIPTOR(time_col), gap)";
  }
  return "";
}

class WindowTvfParser {
 public:
  WindowTvfParser(TokenCursor& c, WindowTvf& w) : c_(c), w_(w) {}

  void arguments() {
    bool named = c_.peek().kind == TokenKind::Word && c_.peek(1).is_op("=>");
    w_.named_arguments = named;
    if (named) named_arguments();
    else positional_arguments();
    if (w_.table.empty() && !w_.input_query) fail_missing("the input table (DATA => TABLE t)");
    if (w_.time_column.empty()) fail_missing("the time column (TIMECOL => DESCRIPTOR(col))");
    if (w_.window == WindowKind::Session && !w_.gap) fail_missing("the session gap (GAP => INTERVAL ...)");
    if (w_.window != WindowKind::Session && !w_.size) fail_missing("the window size (SIZE => INTERVAL ...)");
    if (w_.window == WindowKind::Hop && !w_.slide) fail_missing("the slide (SLIDE => INTERVAL ...)");
    if (w_.window == WindowKind::Cumulate && !w_.step) fail_missing("the step (STEP => INTERVAL ...)");
  }

 private:
  TokenCursor& c_;
  WindowTvf& w_;

  [[noreturn]] void fail_missing(const std::string& what) {
    c_.fail_at(c_.peek(), w_.function_name + " is missing " + what + "; usage: " + usage(w_.window));
  }

  void data_argument() {
    const Token& t = c_.peek();
    w_.table_loc = t.loc;
    if (t.is_word("TABLE")) {
      c_.next();
      w_.table.push_back(c_.expect_name("a table name after TABLE").text);
      while (c_.accept_op(".")) w_.table.push_back(c_.expect_name("a name after '.'").text);
      table_clauses();
      return;
    }
    if (t.is_op("(") && at_query_start_after_paren()) {
      const Token& open = c_.next();
      w_.input_query = parse_query(c_);
      c_.expect_close(open);
      table_clauses();
      return;
    }
    c_.fail_expected("TABLE <name> as the first argument of " + w_.function_name);
  }

  // PARTITION BY k | (k1, k2) and ORDER BY after TABLE t (Flink: only SESSION partitions its input).
  void table_clauses() {
    if (c_.peek().is_word("PARTITION") && c_.peek(1).is_word("BY")) {
      const Token& kw = c_.next();
      c_.next();
      if (w_.window != WindowKind::Session)
        c_.fail_at(kw, "PARTITION BY on the table argument is only supported by SESSION windows, not " + w_.function_name);
      if (c_.peek().is_op("(")) {
        const Token& open = c_.next();
        do partition_column(); while (c_.accept_op(","));
        c_.expect_close(open);
      } else {
        partition_column();
      }
    }
    if (c_.peek().is_word("ORDER") && c_.peek(1).is_word("BY"))
      c_.fail_at(c_.peek(), w_.window == WindowKind::Session ? "Session window TVF doesn't support order by clause."
                                                             : "ORDER BY on the table argument is not supported by " + w_.function_name);
  }

  void partition_column() {
    const Token& first = c_.expect_name("a column name in PARTITION BY");
    std::vector<std::string> name{first.text};
    while (c_.accept_op(".")) name.push_back(c_.expect_name("a name after '.'").text);
    w_.partition_by.push_back(std::move(name));
    w_.partition_by_locs.push_back(first.loc);
  }

  bool at_query_start_after_paren() const { return c_.peek(1).is_word("SELECT") || c_.peek(1).is_word("WITH"); }

  void descriptor_argument() {
    const Token& kw = c_.peek();
    if (!kw.is_word("DESCRIPTOR")) c_.fail_expected("DESCRIPTOR(<time column>) as the time column of " + w_.function_name);
    c_.next();
    const Token& open = c_.expect_op("(", "after DESCRIPTOR");
    const Token& col = c_.expect_name("a time column name in DESCRIPTOR(...)");
    w_.time_column.push_back(col.text);
    w_.time_column_loc = col.loc;
    if (c_.peek().is_op(","))
      c_.fail_at(c_.peek(), "DESCRIPTOR of a window function takes exactly one time column");
    c_.expect_close(open);
  }

  ExprPtr& slot(const std::string& parameter) {
    if (parameter == "SIZE") return w_.size;
    if (parameter == "SLIDE") return w_.slide;
    if (parameter == "STEP") return w_.step;
    if (parameter == "GAP") return w_.gap;
    return w_.offset;
  }

  void positional_arguments() {
    data_argument();
    c_.expect_op(",", "after the table argument of " + w_.function_name);
    descriptor_argument();
    for (const std::string& parameter : interval_parameters(w_.window)) {
      if (!c_.accept_op(",")) break;
      slot(parameter) = parse_expr(c_);
    }
    if (c_.peek().is_op(","))
      c_.fail_at(c_.peek(), "too many arguments for " + w_.function_name + "; usage: " + usage(w_.window));
  }

  void named_arguments() {
    std::vector<std::string> allowed = {"DATA", "TIMECOL"};
    for (auto& p : interval_parameters(w_.window)) allowed.push_back(p);
    std::vector<std::pair<std::string, SourceLocation>> seen;
    do {
      const Token& name = c_.peek();
      if (name.kind != TokenKind::Word || !c_.peek(1).is_op("=>"))
        c_.fail_expected("a named argument (NAME => value); positional and named arguments cannot be mixed");
      bool known = false;
      for (const auto& a : allowed) known = known || a == name.upper;
      if (!known) {
        std::string hint = closest_match(name.upper, allowed);
        c_.fail_at(name, "unknown argument '" + name.text + "' for " + w_.function_name +
                             (hint.empty() ? "" : " (did you mean " + hint + "?)"));
      }
      for (const auto& [n, loc] : seen)
        if (n == name.upper) c_.fail_at(name, "argument " + n + " is given twice (first at " + short_location(loc) + ")");
      seen.emplace_back(name.upper, name.loc);
      c_.next();
      c_.next();
      if (name.upper == "DATA") data_argument();
      else if (name.upper == "TIMECOL") descriptor_argument();
      else slot(name.upper) = parse_expr(c_);
    } while (c_.accept_op(","));
  }
};

}  // namespace

FromItemPtr parse_table_function(TokenCursor& c) {
  const Token& table_kw = c.next();
  const Token& outer_open = c.expect_op("(", "after TABLE");
  const Token& fn = c.peek();
  std::optional<WindowKind> kind;
  if (fn.is_word("TUMBLE")) kind = WindowKind::Tumble;
  else if (fn.is_word("HOP")) kind = WindowKind::Hop;
  else if (fn.is_word("CUMULATE")) kind = WindowKind::Cumulate;
  else if (fn.is_word("SESSION")) kind = WindowKind::Session;
  if (!kind) {
    auto lateral = std::make_unique<LateralTable>(table_kw.loc);
    lateral->call = parse_expr(c);
    if (lateral->call->kind != ExprKind::Call)
      throw InputError(lateral->call->loc, "expected a table function call inside TABLE(...)");
    c.expect_close(outer_open);
    return lateral;
  }
  c.next();
  auto w = std::make_unique<WindowTvf>(table_kw.loc);
  w->window = *kind;
  w->function_name = fn.text;
  const Token& open = c.expect_op("(", "after " + fn.text);
  WindowTvfParser(c, *w).arguments();
  c.expect_close(open);
  c.expect_close(outer_open);
  return w;
}

}  // namespace ananas::sql
