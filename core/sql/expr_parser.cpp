#include "core/sql/expr_parser.hpp"

#include <array>
#include <optional>

#include "core/sql/keywords.hpp"
#include "core/sql/type_parser.hpp"

namespace ananas::sql {

namespace {

struct UnitName {
  const char* singular;
  const char* plural;
  TimeUnit unit;
};

constexpr std::array<UnitName, 11> kUnits = {{
    {"YEAR", "YEARS", TimeUnit::Year},
    {"QUARTER", "QUARTERS", TimeUnit::Quarter},
    {"MONTH", "MONTHS", TimeUnit::Month},
    {"WEEK", "WEEKS", TimeUnit::Week},
    {"DAY", "DAYS", TimeUnit::Day},
    {"HOUR", "HOURS", TimeUnit::Hour},
    {"MINUTE", "MINUTES", TimeUnit::Minute},
    {"SECOND", "SECONDS", TimeUnit::Second},
    {"MILLISECOND", "MILLISECONDS", TimeUnit::Millisecond},
    {"MICROSECOND", "MICROSECONDS", TimeUnit::Microsecond},
    {"NANOSECOND", "NANOSECONDS", TimeUnit::Nanosecond},
}};

bool is_interval_unit(TimeUnit u) {
  return u == TimeUnit::Year || u == TimeUnit::Month || u == TimeUnit::Day || u == TimeUnit::Hour ||
         u == TimeUnit::Minute || u == TimeUnit::Second;
}

// Functions Flink lets you call without parentheses.
bool is_niladic(const std::string& upper) {
  return upper == "CURRENT_TIMESTAMP" || upper == "CURRENT_DATE" || upper == "CURRENT_TIME" ||
         upper == "LOCALTIMESTAMP" || upper == "LOCALTIME";
}

class ExprParser {
 public:
  explicit ExprParser(TokenCursor& c) : c_(c) {}

  ExprPtr expr() {
    TokenCursor::DepthGuard guard(c_, c_.peek());
    return parse_or();
  }

 private:
  TokenCursor& c_;

  ExprPtr binary(BinaryOp op, const Token& op_token, ExprPtr left, ExprPtr right) {
    auto b = std::make_unique<Binary>(left->loc);
    b->op = op;
    b->op_loc = op_token.loc;
    b->left = std::move(left);
    b->right = std::move(right);
    return b;
  }

  ExprPtr parse_or() {
    ExprPtr left = parse_and();
    TokenCursor::ChainDepth chain(c_);
    while (c_.peek().is_word("OR")) {
      const Token& op = c_.next();
      chain.link(op);
      left = binary(BinaryOp::Or, op, std::move(left), parse_and());
    }
    return left;
  }

  ExprPtr parse_and() {
    ExprPtr left = parse_not();
    TokenCursor::ChainDepth chain(c_);
    while (c_.peek().is_word("AND")) {
      const Token& op = c_.next();
      chain.link(op);
      left = binary(BinaryOp::And, op, std::move(left), parse_not());
    }
    return left;
  }

  ExprPtr parse_not() {
    if (!c_.peek().is_word("NOT")) return parse_is();
    const Token& op = c_.next();
    TokenCursor::DepthGuard guard(c_, op);
    auto u = std::make_unique<Unary>(op.loc);
    u->op = UnaryOp::Not;
    u->operand = parse_not();
    return u;
  }

  ExprPtr parse_is() {
    ExprPtr left = parse_comparison();
    TokenCursor::ChainDepth chain(c_);
    while (c_.peek().is_word("IS")) {
      const Token& is = c_.next();
      chain.link(is);
      bool negated = c_.accept_word("NOT");
      if (c_.peek().is_word("DISTINCT")) {
        c_.next();
        c_.expect_word("FROM", "after IS DISTINCT");
        left = binary(negated ? BinaryOp::IsNotDistinctFrom : BinaryOp::IsDistinctFrom, is, std::move(left),
                      parse_comparison());
        continue;
      }
      auto t = std::make_unique<IsTest>(left->loc);
      t->negated = negated;
      const Token& what = c_.peek();
      if (what.is_word("NULL")) t->test = IsTestKind::Null;
      else if (what.is_word("TRUE")) t->test = IsTestKind::True;
      else if (what.is_word("FALSE")) t->test = IsTestKind::False;
      else if (what.is_word("UNKNOWN")) t->test = IsTestKind::Unknown;
      else c_.fail_expected(std::string("NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS") + (negated ? " NOT" : ""));
      c_.next();
      t->operand = std::move(left);
      left = std::move(t);
    }
    return left;
  }

  static std::optional<BinaryOp> comparison_op(const Token& t) {
    if (t.kind != TokenKind::Operator) return std::nullopt;
    if (t.text == "=") return BinaryOp::Equal;
    if (t.text == "<>" || t.text == "!=") return BinaryOp::NotEqual;
    if (t.text == "<") return BinaryOp::Less;
    if (t.text == "<=") return BinaryOp::LessEqual;
    if (t.text == ">") return BinaryOp::Greater;
    if (t.text == ">=") return BinaryOp::GreaterEqual;
    return std::nullopt;
  }

  ExprPtr parse_comparison() {
    ExprPtr left = parse_predicate();
    TokenCursor::ChainDepth chain(c_);
    while (auto op = comparison_op(c_.peek())) {
      const Token& t = c_.next();
      chain.link(t);
      left = binary(*op, t, std::move(left), parse_predicate());
    }
    return left;
  }

  // [NOT] IN / BETWEEN / LIKE / SIMILAR TO
  ExprPtr parse_predicate() {
    ExprPtr left = parse_additive();
    TokenCursor::ChainDepth chain(c_);
    while (true) {
      size_t k = c_.peek().is_word("NOT") ? 1 : 0;
      const Token& op = c_.peek(k);
      bool negated = k == 1;
      if (op.is_word("IN") || op.is_word("BETWEEN") || op.is_word("LIKE") || op.is_word("SIMILAR")) chain.link(op);
      if (op.is_word("IN")) {
        c_.next();
        if (negated) c_.next();
        left = in_list(std::move(left), negated);
      } else if (op.is_word("BETWEEN")) {
        c_.next();
        if (negated) c_.next();
        auto b = std::make_unique<Between>(left->loc);
        b->negated = negated;
        if (c_.accept_word("SYMMETRIC")) b->symmetric = true;
        else c_.accept_word("ASYMMETRIC");
        b->operand = std::move(left);
        b->low = parse_additive();
        c_.expect_word("AND", "between the bounds of BETWEEN");
        b->high = parse_additive();
        left = std::move(b);
      } else if (op.is_word("LIKE") || (op.is_word("SIMILAR") && c_.peek(k + 1).is_word("TO"))) {
        bool similar = op.is_word("SIMILAR");
        c_.next();
        if (negated) c_.next();
        if (similar) c_.next();
        auto l = std::make_unique<Like>(left->loc);
        l->negated = negated;
        l->similar = similar;
        l->operand = std::move(left);
        l->pattern = parse_additive();
        if (c_.accept_word("ESCAPE")) l->escape = parse_additive();
        left = std::move(l);
      } else {
        return left;
      }
    }
  }

  ExprPtr in_list(ExprPtr operand, bool negated) {
    const Token& open = c_.expect_op("(", "after IN");
    if (c_.peek().is_word("SELECT") || c_.peek().is_word("WITH")) {
      if (!c_.query_parser()) c_.fail_at(c_.peek(), "subqueries are not supported inside expressions (IN (SELECT ...))");
      auto sub = std::make_unique<SubqueryExpr>(operand->loc);
      sub->negated = negated;
      sub->operand = std::move(operand);
      sub->query = c_.query_parser()(c_);
      c_.expect_close(open);
      return sub;
    }
    auto in = std::make_unique<InList>(operand->loc);
    in->negated = negated;
    in->operand = std::move(operand);
    do {
      in->list.push_back(expr());
    } while (c_.accept_op(","));
    c_.expect_close(open);
    return in;
  }

  ExprPtr parse_additive() {
    ExprPtr left = parse_multiplicative();
    TokenCursor::ChainDepth chain(c_);
    while (c_.peek().is_op("+") || c_.peek().is_op("-")) {
      const Token& t = c_.next();
      chain.link(t);
      left = binary(t.text == "+" ? BinaryOp::Add : BinaryOp::Subtract, t, std::move(left), parse_multiplicative());
    }
    return left;
  }

  ExprPtr parse_multiplicative() {
    ExprPtr left = parse_unary();
    TokenCursor::ChainDepth chain(c_);
    while (true) {
      const Token& t = c_.peek();
      BinaryOp op;
      if (t.is_op("*")) op = BinaryOp::Multiply;
      else if (t.is_op("/")) op = BinaryOp::Divide;
      else if (t.is_op("%")) op = BinaryOp::Modulo;
      else if (t.is_op("||")) op = BinaryOp::Concat;
      else return left;
      c_.next();
      chain.link(t);
      left = binary(op, t, std::move(left), parse_unary());
    }
  }

  ExprPtr parse_unary() {
    const Token& t = c_.peek();
    if (!t.is_op("-") && !t.is_op("+")) return parse_postfix();
    c_.next();
    TokenCursor::DepthGuard guard(c_, t);
    auto u = std::make_unique<Unary>(t.loc);
    u->op = t.text == "-" ? UnaryOp::Negate : UnaryOp::Plus;
    u->operand = parse_unary();
    return u;
  }

  ExprPtr parse_postfix() {
    // `(a).b` is a field access on a parenthesised value; `a.b` is a name chain.
    bool parenthesized = c_.peek().is_op("(");
    ExprPtr e = parse_primary();
    TokenCursor::ChainDepth chain(c_);
    while (true) {
      if (c_.peek().is_op("[")) {
        const Token& open = c_.next();
        chain.link(open);
        auto s = std::make_unique<Subscript>(e->loc);
        s->base = std::move(e);
        s->index = expr();
        c_.expect_close(open);
        e = std::move(s);
      } else if (c_.peek().is_op(".") && (e->kind != ExprKind::Identifier || parenthesized)) {
        chain.link(c_.next());
        const Token& field = c_.expect_name("a field name after '.'");
        auto f = std::make_unique<FieldAccess>(e->loc);
        f->base = std::move(e);
        f->field = field.text;
        f->field_loc = field.loc;
        e = std::move(f);
      } else {
        return e;
      }
    }
  }

  std::unique_ptr<Literal> literal(const Token& t, LiteralKind kind) {
    auto l = std::make_unique<Literal>(t.loc);
    l->literal_kind = kind;
    l->text = t.text;
    return l;
  }

  ExprPtr parse_primary() {
    const Token& t = c_.peek();
    switch (t.kind) {
      case TokenKind::Integer: c_.next(); return literal(t, LiteralKind::Integer);
      case TokenKind::Decimal: c_.next(); return literal(t, LiteralKind::Decimal);
      case TokenKind::Approximate: c_.next(); return literal(t, LiteralKind::Approximate);
      case TokenKind::String: c_.next(); return literal(t, LiteralKind::String);
      case TokenKind::QuotedIdentifier: return name_or_call();
      case TokenKind::Operator:
        if (t.is_op("(")) return parenthesized();
        if (t.is_op("?")) c_.fail_at(t, "query parameters ('?') are not supported");
        c_.fail_expected("an expression");
      case TokenKind::End: c_.fail_expected("an expression");
      case TokenKind::Word: break;
    }
    const std::string& u = t.upper;
    if (u == "NULL") { c_.next(); return literal(t, LiteralKind::Null); }
    if (u == "TRUE" || u == "FALSE") {
      c_.next();
      auto l = literal(t, LiteralKind::Boolean);
      l->bool_value = u == "TRUE";
      return l;
    }
    if (u == "INTERVAL") return interval();
    if ((u == "TIMESTAMP" || u == "DATE" || u == "TIME") && c_.peek(1).kind == TokenKind::String) {
      c_.next();
      const Token& value = c_.next();
      auto l = literal(value, u == "TIMESTAMP" ? LiteralKind::Timestamp : u == "DATE" ? LiteralKind::Date : LiteralKind::Time);
      l->loc = t.loc;
      return l;
    }
    if (u == "CASE") return case_expr();
    if ((u == "CAST" || u == "TRY_CAST") && c_.peek(1).is_op("(")) return cast();
    if (u == "ARRAY" && c_.peek(1).is_op("[")) return constructor<ArrayCtor>("[");
    if (u == "MAP" && c_.peek(1).is_op("[")) return constructor<MapCtor>("[");
    if (u == "ROW" && c_.peek(1).is_op("(")) return constructor<RowCtor>("(");
    if (u == "EXISTS") {
      if (!c_.query_parser() || !c_.peek(1).is_op("(")) c_.fail_at(t, "subqueries are not supported inside expressions (EXISTS)");
      c_.next();
      const Token& open = c_.next();
      auto sub = std::make_unique<SubqueryExpr>(t.loc);
      sub->exists = true;
      sub->query = c_.query_parser()(c_);
      c_.expect_close(open);
      return sub;
    }
    if ((u == "RUNNING" || u == "FINAL") && c_.peek(1).kind == TokenKind::Word && c_.peek(2).is_op("(")) {
      c_.next();
      ExprPtr call = name_or_call();
      if (call->kind == ExprKind::Call) {
        call->as<Call>().semantics = u == "RUNNING" ? NavSemantics::Running : NavSemantics::Final;
        call->loc = t.loc;
      }
      return call;
    }
    if (is_niladic(u) && !c_.peek(1).is_op("(")) {
      c_.next();
      auto call = std::make_unique<Call>(t.loc);
      call->name = t.text;
      call->no_parens = true;
      return call;
    }
    if (c_.peek(1).is_op("(")) {
      if (u == "EXTRACT") return extract();
      if (u == "POSITION") return position();
      if (u == "SUBSTRING") return substring();
      if (u == "TRIM") return trim();
      if (u == "FLOOR" || u == "CEIL" || u == "CEILING") return floor_ceil();
      if (u == "TIMESTAMPADD" || u == "TIMESTAMPDIFF") return timestamp_arith();
    }
    if (is_reserved(u)) c_.fail_expected("an expression");
    return name_or_call();
  }

  ExprPtr parenthesized() {
    const Token& open = c_.next();
    if (c_.peek().is_word("SELECT") || c_.peek().is_word("WITH"))
      c_.fail_at(c_.peek(), "subqueries are not supported inside expressions");
    ExprPtr first = expr();
    if (c_.peek().is_op(",")) {  // (a, b) is a row constructor
      auto row = std::make_unique<RowCtor>(open.loc);
      row->elements.push_back(std::move(first));
      while (c_.accept_op(",")) row->elements.push_back(expr());
      c_.expect_close(open);
      return row;
    }
    c_.expect_close(open);
    return first;
  }

  // a, t.a, `quoted`.b, t.*, f(x), db.f(x)
  ExprPtr name_or_call() {
    const Token& first = c_.peek();
    auto id = std::make_unique<Identifier>(first.loc);
    const Token& n = c_.expect_name("a name");
    id->parts.push_back(n.text);
    id->part_locs.push_back(n.loc);
    while (c_.peek().is_op(".")) {
      if (c_.peek(1).is_op("*")) {
        c_.next();
        c_.next();
        auto star = std::make_unique<Star>(first.loc);
        star->qualifier = std::move(id->parts);
        return star;
      }
      c_.next();
      const Token& part = c_.expect_name("a name after '.'");
      id->parts.push_back(part.text);
      id->part_locs.push_back(part.loc);
    }
    if (!c_.peek().is_op("(")) return id;
    auto call = std::make_unique<Call>(first.loc);
    call->name = id->parts.back();
    id->parts.pop_back();
    call->qualifier = std::move(id->parts);
    call_arguments(*call);
    return call;
  }

  void call_arguments(Call& call) {
    const Token& open = c_.next();
    if (c_.peek().is_op("*") && c_.peek(1).is_op(")")) {
      c_.next();
      call.star_arg = true;
    } else if (!c_.peek().is_op(")")) {
      if (c_.accept_word("DISTINCT")) call.distinct = true;
      else c_.accept_word("ALL");
      do {
        call.args.push_back(expr());
      } while (c_.accept_op(","));
    }
    c_.expect_close(open);
    if (c_.peek().is_word("FILTER") && c_.peek(1).is_op("(")) {
      c_.next();
      const Token& fopen = c_.next();
      c_.expect_word("WHERE", "in FILTER (WHERE ...)");
      call.filter = expr();
      c_.expect_close(fopen);
    }
    if (c_.peek().is_word("OVER")) {
      const Token& over = c_.next();
      if (c_.peek().is_op("(")) {
        call.over = window_spec(over.loc);
      } else {
        auto spec = std::make_shared<OverSpec>();
        spec->loc = over.loc;
        const Token& name = c_.expect_name("a window name or '(' after OVER");
        spec->reference = name.text;
        spec->reference_loc = name.loc;
        call.over = std::move(spec);
      }
    }
    if (c_.peek().is_word("WITHIN") && c_.peek(1).is_word("GROUP"))
      c_.fail_at(c_.peek(), "WITHIN GROUP is not supported");
  }


 public:
  // ( [w] [PARTITION BY e, ...] [ORDER BY item, ...] [ROWS|RANGE frame] ), the cursor at '('.
  std::shared_ptr<const OverSpec> window_spec(const SourceLocation& loc) {
    const Token& open = c_.next();
    auto spec = std::make_shared<OverSpec>();
    spec->loc = loc;
    if (c_.at_name() && !c_.peek().is_word("PARTITION") && !c_.peek().is_word("ORDER") && !c_.peek().is_word("ROWS") &&
        !c_.peek().is_word("RANGE")) {
      const Token& name = c_.next();
      spec->reference = name.text;
      spec->reference_loc = name.loc;
    }
    if (c_.peek().is_word("PARTITION")) {
      c_.next();
      c_.expect_word("BY", "after PARTITION");
      do {
        spec->partition_by.push_back(expr());
      } while (c_.accept_op(","));
    }
    if (c_.peek().is_word("ORDER")) {
      spec->order_by_loc = c_.next().loc;
      c_.expect_word("BY", "after ORDER");
      do {
        OrderItem item;
        item.expr = expr();
        if (c_.accept_word("ASC")) {
          item.direction_written = true;
        } else if (c_.accept_word("DESC")) {
          item.direction_written = true;
          item.descending = true;
        }
        if (c_.accept_word("NULLS")) {
          if (c_.accept_word("FIRST")) item.nulls = NullsOrder::First;
          else if (c_.accept_word("LAST")) item.nulls = NullsOrder::Last;
          else c_.fail_expected("FIRST or LAST after NULLS");
        }
        spec->order_by.push_back(std::move(item));
      } while (c_.accept_op(","));
    }
    if (c_.peek().is_word("ROWS") || c_.peek().is_word("RANGE")) {
      const Token& unit = c_.next();
      spec->has_frame = true;
      spec->unit = unit.upper == "ROWS" ? FrameUnit::Rows : FrameUnit::Range;
      spec->frame_loc = unit.loc;
      if (c_.accept_word("BETWEEN")) {
        spec->lower = frame_bound();
        c_.expect_word("AND", "between the bounds of the frame");
        spec->upper = frame_bound();
      } else {
        spec->lower = frame_bound();
        spec->upper.loc = spec->lower.loc;
      }
    }
    c_.expect_close(open);
    return spec;
  }

 private:
  FrameBound frame_bound() {
    FrameBound b;
    b.loc = c_.peek().loc;
    if (c_.accept_word("UNBOUNDED")) {
      if (c_.accept_word("PRECEDING")) b.kind = FrameBoundKind::UnboundedPreceding;
      else if (c_.accept_word("FOLLOWING")) b.kind = FrameBoundKind::UnboundedFollowing;
      else c_.fail_expected("PRECEDING or FOLLOWING after UNBOUNDED");
      return b;
    }
    if (c_.peek().is_word("CURRENT")) {
      c_.next();
      c_.expect_word("ROW", "after CURRENT");
      b.kind = FrameBoundKind::CurrentRow;
      return b;
    }
    b.offset = expr();
    if (c_.accept_word("PRECEDING")) b.kind = FrameBoundKind::Preceding;
    else if (c_.accept_word("FOLLOWING")) b.kind = FrameBoundKind::Following;
    else c_.fail_expected("PRECEDING or FOLLOWING after the frame offset");
    return b;
  }

  std::optional<TimeUnit> unit_of(const Token& t, bool* plural = nullptr) {
    if (t.kind != TokenKind::Word) return std::nullopt;
    for (const auto& u : kUnits) {
      if (t.upper == u.singular || t.upper == u.plural) {
        if (plural) *plural = t.upper == u.plural;
        return u.unit;
      }
    }
    return std::nullopt;
  }

  [[noreturn]] void fail_unit(const char* which) {
    const Token& t = c_.peek();
    std::vector<std::string> names;
    for (const auto& u : kUnits) names.emplace_back(u.singular);
    std::string hint = t.kind == TokenKind::Word ? closest_match(t.upper, names) : "";
    if (!hint.empty()) c_.fail_at(t, "unknown time unit '" + t.text + "' (did you mean " + hint + "?)");
    c_.fail_expected(which);
  }

  std::optional<int> unit_precision() {
    if (!c_.peek().is_op("(")) return std::nullopt;
    const Token& open = c_.next();
    const Token& n = c_.peek();
    if (n.kind != TokenKind::Integer || n.text.size() > 2) c_.fail_expected("a precision (0 to 9)");
    c_.next();
    c_.expect_close(open);
    return std::stoi(n.text);
  }

  // INTERVAL [-]'5' SECOND, INTERVAL '1:30' MINUTE TO SECOND, interval '5' seconds
  ExprPtr interval() {
    const Token& kw = c_.next();
    bool negative = false;
    if (c_.peek().is_op("-") || c_.peek().is_op("+")) negative = c_.next().text == "-";
    const Token& value = c_.peek();
    if (value.kind != TokenKind::String) {
      if (value.kind == TokenKind::Integer || value.kind == TokenKind::Decimal)
        c_.fail_at(value, "expected the interval value as a quoted string (INTERVAL '" + value.text +
                              "' ...), found " + value.describe());
      c_.fail_expected("a quoted interval value after INTERVAL (INTERVAL '5' SECOND)");
    }
    c_.next();
    auto l = literal(value, LiteralKind::Interval);
    l->loc = kw.loc;
    l->negative = negative;
    auto start = unit_of(c_.peek(), &l->interval.plural);
    if (!start || !is_interval_unit(*start)) fail_unit("an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND)");
    c_.next();
    l->interval.start = *start;
    if (c_.peek().is_op("(")) {
      const Token& open = c_.next();
      l->interval.start_precision = small_int("a precision");
      if (c_.accept_op(",")) l->interval.fractional_precision = small_int("a fractional precision");
      c_.expect_close(open);
    }
    if (c_.accept_word("TO")) {
      bool end_plural = false;
      auto end = unit_of(c_.peek(), &end_plural);
      if (!end || !is_interval_unit(*end)) fail_unit("an interval unit after TO");
      bool ym_start = *start == TimeUnit::Year || *start == TimeUnit::Month;
      bool ym_end = *end == TimeUnit::Year || *end == TimeUnit::Month;
      if (ym_start != ym_end || static_cast<int>(*end) <= static_cast<int>(*start))
        c_.fail_at(c_.peek(), "invalid interval qualifier " + std::string(time_unit_name(*start)) + " TO " + c_.peek().text);
      c_.next();
      l->interval.end = *end;
      if (auto p = unit_precision()) l->interval.fractional_precision = p;
    }
    return l;
  }

  int small_int(const char* what) {
    const Token& n = c_.peek();
    if (n.kind != TokenKind::Integer || n.text.size() > 2) c_.fail_expected(what);
    c_.next();
    return std::stoi(n.text);
  }

  ExprPtr case_expr() {
    const Token& kw = c_.next();
    auto k = std::make_unique<Case>(kw.loc);
    if (!c_.peek().is_word("WHEN")) k->operand = expr();
    if (!c_.peek().is_word("WHEN")) c_.fail_expected("WHEN in CASE opened at " + short_location(kw.loc));
    while (c_.accept_word("WHEN")) {
      WhenClause w;
      w.when = expr();
      c_.expect_word("THEN", "after the WHEN condition");
      w.then = expr();
      k->whens.push_back(std::move(w));
    }
    if (c_.accept_word("ELSE")) k->else_result = expr();
    c_.expect_word("END", "to close CASE opened at " + short_location(kw.loc));
    return k;
  }

  ExprPtr cast() {
    const Token& kw = c_.next();
    const Token& open = c_.next();
    auto k = std::make_unique<Cast>(kw.loc);
    k->try_cast = kw.upper == "TRY_CAST";
    k->operand = expr();
    c_.expect_word("AS", "in " + kw.upper + "(value AS type)");
    k->type_loc = c_.peek().loc;
    k->target = parse_type(c_);
    c_.expect_close(open);
    return k;
  }

  template <class Node>
  ExprPtr constructor(const char* open_text) {
    const Token& kw = c_.next();
    const Token& open = c_.expect_op(open_text);
    auto node = std::make_unique<Node>(kw.loc);
    if (!c_.peek().is_op(open_text[0] == '[' ? "]" : ")")) {
      do {
        node->elements.push_back(expr());
      } while (c_.accept_op(","));
    }
    c_.expect_close(open);
    if constexpr (std::is_same_v<Node, MapCtor>) {
      if (node->elements.size() % 2 != 0)
        c_.fail_at(kw, "MAP[...] needs an even number of elements (key, value, key, value, ...)");
    }
    return node;
  }

  std::unique_ptr<Call> special_call(const Token& name) {
    auto call = std::make_unique<Call>(name.loc);
    call->name = name.text;
    return call;
  }

  ExprPtr symbol(const Token& t) {
    auto s = std::make_unique<Symbol>(t.loc);
    s->name = t.upper;
    return s;
  }

  // EXTRACT(DAY FROM x) -> EXTRACT(Symbol DAY, x)
  ExprPtr extract() {
    auto call = special_call(c_.next());
    const Token& open = c_.next();
    auto unit = unit_of(c_.peek());
    if (!unit) fail_unit("a time unit in EXTRACT(unit FROM value)");
    call->args.push_back(symbol(c_.next()));
    c_.expect_word("FROM", "in EXTRACT(unit FROM value)");
    call->args.push_back(expr());
    c_.expect_close(open);
    return call;
  }

  // POSITION(needle IN haystack): the needle stops before IN.
  ExprPtr position() {
    auto call = special_call(c_.next());
    const Token& open = c_.next();
    call->args.push_back(parse_additive());
    c_.expect_word("IN", "in POSITION(substring IN string)");
    call->args.push_back(expr());
    c_.expect_close(open);
    return call;
  }

  // SUBSTRING(s FROM a [FOR b]) is stored like SUBSTRING(s, a [, b]).
  ExprPtr substring() {
    auto call = special_call(c_.next());
    const Token& open = c_.next();
    call->args.push_back(expr());
    if (c_.accept_word("FROM")) {
      call->args.push_back(expr());
      if (c_.accept_word("FOR")) call->args.push_back(expr());
    } else {
      while (c_.accept_op(",")) call->args.push_back(expr());
    }
    c_.expect_close(open);
    return call;
  }

  // TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) -> TRIM(Symbol mode, chars, s); TRIM(s) stays one argument.
  ExprPtr trim() {
    auto call = special_call(c_.next());
    const Token& open = c_.next();
    const Token* mode = nullptr;
    if (c_.peek().is_word("BOTH") || c_.peek().is_word("LEADING") || c_.peek().is_word("TRAILING")) mode = &c_.next();
    ExprPtr chars;
    if (!c_.peek().is_word("FROM")) chars = expr();
    if (c_.peek().is_word("FROM")) {
      const Token& from = c_.next();
      if (mode) {
        call->args.push_back(symbol(*mode));
      } else {
        auto both = std::make_unique<Symbol>(from.loc);
        both->name = "BOTH";
        call->args.push_back(std::move(both));
      }
      if (!chars) {
        auto space = std::make_unique<Literal>(from.loc);
        space->literal_kind = LiteralKind::String;
        space->text = " ";
        chars = std::move(space);
      }
      call->args.push_back(std::move(chars));
      call->args.push_back(expr());
    } else {
      if (mode) c_.fail_expected("FROM in TRIM(" + mode->upper + " ... FROM string)");
      call->args.push_back(std::move(chars));
    }
    c_.expect_close(open);
    return call;
  }

  // FLOOR(x TO HOUR) -> FLOOR(x, Symbol HOUR); FLOOR(x) unchanged.
  ExprPtr floor_ceil() {
    auto call = special_call(c_.next());
    const Token& open = c_.next();
    call->args.push_back(expr());
    if (c_.accept_word("TO")) {
      if (!unit_of(c_.peek())) fail_unit("a time unit after TO");
      call->args.push_back(symbol(c_.next()));
    } else {
      while (c_.accept_op(",")) call->args.push_back(expr());
    }
    c_.expect_close(open);
    return call;
  }

  // TIMESTAMPADD(unit, n, ts) / TIMESTAMPDIFF(unit, a, b): the unit is a Symbol.
  ExprPtr timestamp_arith() {
    auto call = special_call(c_.next());
    const Token& open = c_.next();
    if (!unit_of(c_.peek())) fail_unit(("a time unit as the first argument of " + call->name).c_str());
    call->args.push_back(symbol(c_.next()));
    while (c_.accept_op(",")) call->args.push_back(expr());
    c_.expect_close(open);
    return call;
  }
};

}  // namespace

const char* time_unit_name(TimeUnit unit) {
  for (const auto& u : kUnits)
    if (u.unit == unit) return u.singular;
  return "SECOND";
}

std::shared_ptr<const OverSpec> parse_window_spec(TokenCursor& cursor, const SourceLocation& loc) {
  return ExprParser(cursor).window_spec(loc);
}

ExprPtr parse_expr(TokenCursor& cursor) { return ExprParser(cursor).expr(); }

ExprPtr parse_expression(std::string_view text, const std::string& file, SourceLocation base) {
  TextOrigin origin{file.empty() ? base.file : file, base.line > 0 ? base.line : 1, base.column > 0 ? base.column : 1};
  TokenCursor cursor(text, origin);
  cursor.set_subject("expression");
  if (cursor.at_end()) cursor.fail_at(cursor.peek(), "empty expression");
  ExprPtr e = parse_expr(cursor);
  if (!cursor.at_end())
    cursor.fail_at(cursor.peek(), "unexpected " + cursor.peek().describe() +
                                      " after the end of the expression (missing an operator or a comma?)");
  return e;
}

}  // namespace ananas::sql
