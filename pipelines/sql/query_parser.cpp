#include "pipelines/sql/query_parser.hpp"

#include <algorithm>

#include "core/schema.hpp"
#include "core/sql/expr_parser.hpp"
#include "core/sql/keywords.hpp"
#include "pipelines/sql/match_recognize_parser.hpp"
#include "pipelines/sql/window_tvf_parser.hpp"

namespace ananas::sql {

bool at_query_start(const TokenCursor& c) {
  const Token& t = c.peek();
  return t.is_word("SELECT") || t.is_word("WITH") || t.is_word("VALUES") || t.is_op("(");
}

void reject_misspelt_keyword_before(const TokenCursor& c) {
  const Token& prev = c.previous();
  if (prev.kind != TokenKind::Word || prev.text.size() < 3 || is_reserved(prev.upper)) return;
  static const std::vector<std::string> clause_words = {
      "SELECT", "FROM",  "WHERE",  "GROUP", "HAVING", "ORDER", "LIMIT", "UNION",           "JOIN",
      "CROSS",  "INNER", "LEFT",   "ON",    "AS",     "WITH",  "UNNEST", "MATCH_RECOGNIZE", "TABLE",
      "INSERT", "INTO",  "CREATE", "WINDOW", "BY",    "ALL",   "DISTINCT", "LATERAL"};
  std::string hint = closest_match(prev.upper, clause_words);
  if (hint.empty() || hint[0] != prev.upper[0]) return;
  throw InputError(prev.loc, "'" + prev.text + "' is not a keyword (did you mean " + hint + "?)");
}

namespace {

class QueryParser {
 public:
  explicit QueryParser(TokenCursor& c) : c_(c) {}

  QueryPtr query() {
    TokenCursor::DepthGuard guard(c_, c_.peek());
    auto q = std::make_unique<Query>();
    q->loc = c_.peek().loc;
    if (c_.accept_word("WITH")) ctes(*q);
    q->body = set_expression();
    if (c_.peek().is_word("ORDER")) {
      c_.next();
      c_.expect_word("BY", "after ORDER");
      q->order_by = parse_order_items(c_);
    }
    if (c_.accept_word("LIMIT")) q->limit = parse_expr(c_);
    if (c_.accept_word("OFFSET")) {
      q->offset = parse_expr(c_);
      if (!c_.accept_word("ROWS")) c_.accept_word("ROW");
    }
    if (c_.peek().is_word("FETCH")) {
      c_.next();
      if (!c_.accept_word("FIRST")) c_.expect_word("NEXT", "after FETCH (FETCH FIRST n ROWS ONLY)");
      q->limit = parse_expr(c_);
      if (!c_.accept_word("ROWS")) c_.expect_word("ROW", "in FETCH FIRST n ROWS ONLY");
      c_.expect_word("ONLY", "in FETCH FIRST n ROWS ONLY");
    }
    return q;
  }

 private:
  TokenCursor& c_;

  void ctes(Query& q) {
    do {
      CommonTableExpr cte;
      const Token& name = c_.expect_name("a name for the WITH query");
      cte.name = name.text;
      cte.loc = name.loc;
      for (const auto& other : q.ctes)
        if (other.name == name.text)
          c_.fail_at(name, "WITH query '" + name.text + "' is defined twice (first at " + short_location(other.loc) + ")");
      if (c_.peek().is_op("(")) cte.columns = name_list("a column name");
      c_.expect_word("AS", "after the WITH query name '" + name.text + "'");
      const Token& open = c_.expect_op("(", "before the WITH query '" + name.text + "'");
      if (!at_query_start(c_)) fail_query_expected();
      cte.query = query();
      c_.expect_close(open);
      q.ctes.push_back(std::move(cte));
    } while (c_.accept_op(","));
  }

  std::vector<std::string> name_list(const char* what) {
    const Token& open = c_.expect_op("(");
    std::vector<std::string> names;
    do {
      names.push_back(c_.expect_name(what).text);
    } while (c_.accept_op(","));
    c_.expect_close(open);
    return names;
  }

  [[noreturn]] void fail_query_expected() {
    const Token& t = c_.peek();
    if (t.kind == TokenKind::Word && !is_reserved(t.upper)) {
      std::string hint = closest_match(t.upper, {"SELECT", "WITH", "VALUES"});
      if (!hint.empty()) c_.fail_at(t, "expected a query, found '" + t.text + "' (did you mean " + hint + "?)");
    }
    c_.fail_expected("a query (SELECT ...)");
  }

  // UNION and EXCEPT chains, left to right, of INTERSECT chains: INTERSECT
  // binds tighter, as in standard SQL and Calcite (a UNION b INTERSECT c is
  // a UNION (b INTERSECT c)).
  QueryNodePtr set_expression(bool intersections = false) {
    QueryNodePtr left = intersections ? query_term() : set_expression(true);
    TokenCursor::ChainDepth chain(c_);
    while (true) {
      const Token& t = c_.peek();
      SetOp op;
      if (t.is_word("UNION") && !intersections) op = SetOp::Union;
      else if (t.is_word("INTERSECT") && intersections) op = SetOp::Intersect;
      else if ((t.is_word("EXCEPT") || t.is_word("MINUS")) && !intersections) op = SetOp::Except;
      else return left;
      chain.link(c_.next());
      if (c_.accept_word("ALL")) op = op == SetOp::Union ? SetOp::UnionAll : op == SetOp::Intersect ? SetOp::IntersectAll : SetOp::ExceptAll;
      else c_.accept_word("DISTINCT");
      auto s = std::make_unique<SetOperation>(left->loc);
      s->op = op;
      s->left = std::move(left);
      s->right = intersections ? query_term() : set_expression(true);
      left = std::move(s);
    }
  }

  QueryNodePtr query_term() {
    const Token& t = c_.peek();
    if (t.is_word("SELECT")) return select();
    if (t.is_op("(")) {
      const Token& open = c_.next();
      if (!at_query_start(c_)) fail_query_expected();
      auto nested = std::make_unique<NestedQuery>(open.loc);
      nested->query = query();
      c_.expect_close(open);
      return nested;
    }
    if (t.is_word("VALUES")) c_.fail_at(t, "VALUES queries are not supported by Ananas (read from a table instead)");
    fail_query_expected();
  }

  QueryNodePtr select() {
    const Token& kw = c_.next();
    auto s = std::make_unique<Select>(kw.loc);
    if (c_.accept_word("DISTINCT")) s->distinct = true;
    else c_.accept_word("ALL");
    do {
      if (s->items.size() == kMaxColumns)
        c_.fail_at(c_.peek(), "too many items in the select list: at most " + std::to_string(kMaxColumns));
      s->items.push_back(select_item());
    } while (c_.accept_op(","));
    if (c_.accept_word("FROM")) s->from = from_clause();
    if (c_.accept_word("WHERE")) s->where = parse_expr(c_);
    if (c_.peek().is_word("GROUP")) {
      s->group_by_loc = c_.next().loc;
      c_.expect_word("BY", "after GROUP");
      group_by(*s);
    }
    if (c_.accept_word("HAVING")) s->having = parse_expr(c_);
    if (c_.accept_word("WINDOW")) {
      do {
        const Token& name = c_.expect_name("a window name after WINDOW");
        c_.expect_word("AS", "after the window name");
        if (!c_.peek().is_op("(")) c_.fail_expected("'(' and the window's definition");
        s->windows.push_back(NamedWindow{name.text, name.loc, parse_window_spec(c_, name.loc)});
      } while (c_.accept_op(","));
    }
    return s;
  }

  // [AS] alias, where an implicit alias is any unreserved word.
  bool alias(std::optional<std::string>& out, SourceLocation& loc) {
    if (c_.accept_word("AS")) {
      const Token& a = c_.expect_name("an alias after AS");
      out = a.text;
      loc = a.loc;
      return true;
    }
    if (!c_.at_name()) return false;
    const Token& a = c_.next();
    out = a.text;
    loc = a.loc;
    return true;
  }

  // GROUP BY's elements: expressions, GROUPING SETS (...), ROLLUP (...) and
  // CUBE (...) (Flink docs, Queries > Group Aggregation > GROUPING SETS). Each
  // element is a list of alternative sets; the grouping sets are their
  // cartesian product, as Calcite expands them. A plain GROUP BY keeps
  // grouping_sets empty.
  using ExprSet = std::vector<ExprPtr>;
  static constexpr size_t kMaxGroupingSets = 4096;

  ExprSet clone_set(const ExprSet& set) {
    ExprSet out;
    for (const auto& e : set) out.push_back(clone(*e));
    return out;
  }

  // `( e, ... )`, `()` or a single expression.
  ExprSet parenthesized_set() {
    ExprSet set;
    if (!c_.peek().is_op("(")) {
      set.push_back(parse_expr(c_));
      return set;
    }
    const Token& open = c_.next();
    if (c_.peek().is_op(")")) {
      c_.next();
      return set;
    }
    do {
      set.push_back(parse_expr(c_));
    } while (c_.accept_op(","));
    c_.expect_close(open);
    return set;
  }

  std::vector<ExprSet> grouping_element(bool& sets_written) {
    const Token& t = c_.peek();
    const bool rollup = t.is_word("ROLLUP") && c_.peek(1).is_op("(");
    const bool cube = t.is_word("CUBE") && c_.peek(1).is_op("(");
    std::vector<ExprSet> out;
    if (t.is_word("GROUPING") && c_.peek(1).is_word("SETS")) {
      sets_written = true;
      c_.next();
      c_.next();
      const Token& open = c_.expect_op("(", "after GROUPING SETS");
      do {
        const Token& inner = c_.peek();
        if ((inner.is_word("ROLLUP") || inner.is_word("CUBE") || inner.is_word("GROUPING")) && c_.peek(1).is_op("("))
          c_.fail_at(inner, inner.text + " inside GROUPING SETS is not supported by Ananas; list the sets");
        out.push_back(parenthesized_set());
      } while (c_.accept_op(","));
      c_.expect_close(open);
      return out;
    }
    if (rollup || cube) {
      sets_written = true;
      const Token& word = c_.next();
      ExprSet columns = parenthesized_set();
      if (columns.empty()) c_.fail_at(word, word.text + " needs at least one expression");
      if (columns.size() > 12) c_.fail_at(word, word.text + " of more than 12 expressions is not supported by Ananas");
      if (rollup) {
        // ROLLUP(a, b): (a, b), (a), ().
        for (size_t n = columns.size() + 1; n-- > 0;) {
          ExprSet set;
          for (size_t i = 0; i < n; ++i) set.push_back(clone(*columns[i]));
          out.push_back(std::move(set));
        }
      } else {
        // CUBE(a, b): every subset (the planner orders the sets as Calcite does).
        for (size_t mask = (size_t{1} << columns.size()); mask-- > 0;) {
          ExprSet set;
          for (size_t i = 0; i < columns.size(); ++i)
            if (mask & (size_t{1} << (columns.size() - 1 - i))) set.push_back(clone(*columns[i]));
          out.push_back(std::move(set));
        }
      }
      return out;
    }
    ExprSet one;
    one.push_back(parse_expr(c_));
    out.push_back(std::move(one));
    return out;
  }

  void group_by(Select& s) {
    bool sets_written = false;
    std::vector<ExprSet> sets(1);  // the product so far: one empty set
    do {
      const Token& at = c_.peek();
      std::vector<ExprSet> alternatives = grouping_element(sets_written);
      if (sets.size() * alternatives.size() > kMaxGroupingSets)
        c_.fail_at(at, "more than " + std::to_string(kMaxGroupingSets) + " grouping sets");
      std::vector<ExprSet> product;
      for (const auto& left : sets)
        for (const auto& right : alternatives) {
          ExprSet set = clone_set(left);
          for (const auto& e : right) set.push_back(clone(*e));
          product.push_back(std::move(set));
        }
      sets = std::move(product);
    } while (c_.accept_op(","));
    // Every grouping expression once, in order of first appearance; sets as indexes into them.
    for (const auto& set : sets) {
      std::vector<size_t> indexes;
      for (const auto& e : set) {
        size_t i = 0;
        while (i < s.group_by.size() && !equal(*s.group_by[i], *e)) ++i;
        if (i == s.group_by.size()) s.group_by.push_back(clone(*e));
        if (std::find(indexes.begin(), indexes.end(), i) == indexes.end()) indexes.push_back(i);
      }
      s.grouping_sets.push_back(std::move(indexes));
    }
    if (!sets_written) s.grouping_sets.clear();
  }

  SelectItem select_item() {
    SelectItem item;
    const Token& t = c_.peek();
    if (t.is_op("*")) {
      c_.next();
      item.expr = std::make_unique<Star>(t.loc);
      return item;
    }
    if (t.is_word("FROM") || t.kind == TokenKind::End) c_.fail_expected("a column or expression to select");
    item.expr = parse_expr(c_);
    if (item.expr->kind != ExprKind::Star) alias(item.alias, item.alias_loc);
    return item;
  }

  FromItemPtr from_clause() {
    FromItemPtr left = from_primary();
    TokenCursor::ChainDepth chain(c_);
    while (true) {
      const Token& t = c_.peek();
      auto join = std::make_unique<Join>(left->loc);
      if (t.is_op(",")) {
        c_.next();
        join->join = JoinKind::Comma;
      } else if (t.is_word("CROSS")) {
        c_.next();
        c_.expect_word("JOIN", "after CROSS");
        join->join = JoinKind::Cross;
      } else if (t.is_word("JOIN") || t.is_word("INNER")) {
        if (c_.accept_word("INNER")) c_.expect_word("JOIN", "after INNER");
        else c_.next();
        join->join = JoinKind::Inner;
      } else if (t.is_word("LEFT") || t.is_word("RIGHT") || t.is_word("FULL")) {
        c_.next();
        c_.accept_word("OUTER");
        c_.expect_word("JOIN", "after " + t.upper);
        join->join = t.is_word("LEFT") ? JoinKind::Left : t.is_word("RIGHT") ? JoinKind::Right : JoinKind::Full;
      } else if (t.is_word("NATURAL")) {
        c_.fail_at(t, "NATURAL JOIN is not supported by Ananas");
      } else {
        return left;
      }
      chain.link(t);
      join->left = std::move(left);
      join->right = from_primary();
      if (join->join != JoinKind::Comma && join->join != JoinKind::Cross) {
        if (c_.accept_word("ON")) join->on = parse_expr(c_);
        else if (c_.peek().is_word("USING")) {
          c_.next();
          const Token& open = c_.expect_op("(");
          do {
            const Token& name = c_.expect_name("a column name");
            join->using_columns.push_back(name.text);
            join->using_locs.push_back(name.loc);
          } while (c_.accept_op(","));
          c_.expect_close(open);
        } else {
          c_.fail_expected("ON <condition> after the joined table");
        }
      }
      left = std::move(join);
    }
  }

  FromItemPtr from_primary() {
    TokenCursor::DepthGuard guard(c_, c_.peek());
    const Token& t = c_.peek();
    FromItemPtr item;
    if (t.is_word("TABLE") && c_.peek(1).is_op("(")) {
      item = parse_table_function(c_);
    } else if (t.is_word("LATERAL")) {
      c_.next();
      if (!c_.peek().is_word("TABLE")) c_.fail_expected("TABLE(function(...)) after LATERAL");
      item = parse_table_function(c_);
    } else if (t.is_word("UNNEST")) {
      item = unnest();
    } else if (t.is_op("(")) {
      const Token& open = c_.next();
      if (!at_query_start(c_))
        c_.fail_expected("a query in parentheses (SELECT ...); parenthesised joins are not supported");
      auto sub = std::make_unique<SubqueryRef>(open.loc);
      sub->query = query();
      c_.expect_close(open);
      item = std::move(sub);
    } else {
      auto table = std::make_unique<TableRef>(t.loc);
      table->name.push_back(c_.expect_name("a table name").text);
      while (c_.accept_op(".")) table->name.push_back(c_.expect_name("a name after '.'").text);
      if (c_.accept_word("FOR")) {  // a versioned table as of a time: a temporal join's right side
        c_.expect_word("SYSTEM_TIME", "after FOR");
        c_.expect_word("AS", "after FOR SYSTEM_TIME");
        c_.expect_word("OF", "after FOR SYSTEM_TIME AS");
        table->as_of = parse_expr(c_);
      }
      item = std::move(table);
    }
    if (c_.peek().is_word("MATCH_RECOGNIZE")) item = parse_match_recognize(c_, std::move(item));
    if (alias(item->alias, item->alias_loc) && c_.peek().is_op("(")) item->column_aliases = name_list("a column alias");
    return item;
  }

  FromItemPtr unnest() {
    const Token& kw = c_.next();
    auto u = std::make_unique<Unnest>(kw.loc);
    const Token& open = c_.expect_op("(", "after UNNEST");
    do {
      u->args.push_back(parse_expr(c_));
    } while (c_.accept_op(","));
    c_.expect_close(open);
    if (c_.accept_word("WITH")) {
      c_.expect_word("ORDINALITY", "after UNNEST(...) WITH");
      u->with_ordinality = true;
    }
    return u;
  }
};

}  // namespace

std::vector<OrderItem> parse_order_items(TokenCursor& c) {
  std::vector<OrderItem> items;
  do {
    OrderItem item;
    item.expr = parse_expr(c);
    if (c.accept_word("ASC")) {
      item.direction_written = true;
    } else if (c.accept_word("DESC")) {
      item.direction_written = true;
      item.descending = true;
    }
    if (c.accept_word("NULLS")) {
      if (c.accept_word("FIRST")) item.nulls = NullsOrder::First;
      else if (c.accept_word("LAST")) item.nulls = NullsOrder::Last;
      else c.fail_expected("FIRST or LAST after NULLS");
    }
    items.push_back(std::move(item));
  } while (c.accept_op(","));
  return items;
}

QueryPtr parse_query(TokenCursor& cursor) { return QueryParser(cursor).query(); }

}  // namespace ananas::sql
