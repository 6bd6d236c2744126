#include "core/sql/printer.hpp"

#include "core/sql/expr_parser.hpp"
#include "core/sql/keywords.hpp"

namespace ananas::sql {

namespace {

// Binding strength, as the parser applies it (higher binds tighter).
enum Precedence : int {
  kOr = 22,
  kAnd = 24,
  kNot = 26,
  kIs = 28,
  kComparison = 30,
  kPredicate = 32,
  kAdditive = 40,
  kMultiplicative = 60,
  kUnary = 80,
  kPrimary = 100,
};

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

// Words that, unquoted at the start of an expression, would parse as something other than a name.
bool special_in_expression(const std::string& name) {
  std::string u = upper(name);
  return u == "MAP" || u == "ROW" || u == "CURRENT_TIMESTAMP" || u == "CURRENT_DATE" || u == "CURRENT_TIME" ||
         u == "LOCALTIMESTAMP" || u == "LOCALTIME" || u == "RUNNING" || u == "FINAL";
}

int precedence(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Binary:
      switch (e.as<Binary>().op) {
        case BinaryOp::Or: return kOr;
        case BinaryOp::And: return kAnd;
        case BinaryOp::IsDistinctFrom:
        case BinaryOp::IsNotDistinctFrom: return kIs;
        case BinaryOp::Equal:
        case BinaryOp::NotEqual:
        case BinaryOp::Less:
        case BinaryOp::LessEqual:
        case BinaryOp::Greater:
        case BinaryOp::GreaterEqual: return kComparison;
        case BinaryOp::Add:
        case BinaryOp::Subtract: return kAdditive;
        case BinaryOp::Multiply:
        case BinaryOp::Divide:
        case BinaryOp::Modulo:
        case BinaryOp::Concat: return kMultiplicative;
      }
      return kPrimary;
    case ExprKind::Unary: return e.as<Unary>().op == UnaryOp::Not ? kNot : kUnary;
    case ExprKind::IsTest: return kIs;
    case ExprKind::InList:
    case ExprKind::Subquery:
    case ExprKind::Between:
    case ExprKind::Like: return kPredicate;
    default: return kPrimary;
  }
}

const char* binary_op_sql(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return "+";
    case BinaryOp::Subtract: return "-";
    case BinaryOp::Multiply: return "*";
    case BinaryOp::Divide: return "/";
    case BinaryOp::Modulo: return "%";
    case BinaryOp::Concat: return "||";
    case BinaryOp::Equal: return "=";
    case BinaryOp::NotEqual: return "<>";
    case BinaryOp::Less: return "<";
    case BinaryOp::LessEqual: return "<=";
    case BinaryOp::Greater: return ">";
    case BinaryOp::GreaterEqual: return ">=";
    case BinaryOp::IsDistinctFrom: return "IS DISTINCT FROM";
    case BinaryOp::IsNotDistinctFrom: return "IS NOT DISTINCT FROM";
    case BinaryOp::And: return "AND";
    case BinaryOp::Or: return "OR";
  }
  return "?";
}

class Printer {
 public:
  std::string out;

  void print(const Expr& e, int min_precedence) {
    bool parens = precedence(e) < min_precedence;
    if (parens) out += '(';
    print_bare(e);
    if (parens) out += ')';
  }

 private:
  void list(const std::vector<ExprPtr>& items) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ", ";
      print(*items[i], 0);
    }
  }

  void name_chain(const std::vector<std::string>& parts) {
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i) out += '.';
      out += identifier_sql(parts[i]);
    }
  }

  void interval(const Literal& l) {
    out += "INTERVAL ";
    if (l.negative) out += '-';
    out += string_literal_sql(l.text) + " " + time_unit_name(l.interval.start);
    const auto& q = l.interval;
    if (q.end) {
      if (q.start_precision) out += "(" + std::to_string(*q.start_precision) + ")";
      out += std::string(" TO ") + time_unit_name(*q.end);
      if (q.fractional_precision) out += "(" + std::to_string(*q.fractional_precision) + ")";
    } else if (q.start_precision) {
      out += "(" + std::to_string(*q.start_precision);
      if (q.fractional_precision) out += ", " + std::to_string(*q.fractional_precision);
      out += ")";
    }
  }

  void literal(const Literal& l) {
    switch (l.literal_kind) {
      case LiteralKind::Null: out += "NULL"; return;
      case LiteralKind::Boolean: out += l.bool_value ? "TRUE" : "FALSE"; return;
      case LiteralKind::Integer:
      case LiteralKind::Decimal:
      case LiteralKind::Approximate: out += l.text; return;
      case LiteralKind::String: out += string_literal_sql(l.text); return;
      case LiteralKind::Interval: interval(l); return;
      case LiteralKind::Timestamp: out += "TIMESTAMP " + string_literal_sql(l.text); return;
      case LiteralKind::Date: out += "DATE " + string_literal_sql(l.text); return;
      case LiteralKind::Time: out += "TIME " + string_literal_sql(l.text); return;
    }
  }

  static bool is_symbol(const ExprPtr& e) { return e && e->kind == ExprKind::Symbol; }

  // The keyword syntax of EXTRACT, POSITION, TRIM, FLOOR/CEIL ... TO; false if `c` is an ordinary call.
  bool special_call(const Call& c, const std::string& u) {
    if (u == "EXTRACT" && c.args.size() == 2 && is_symbol(c.args[0])) {
      out += c.name + "(" + c.args[0]->as<Symbol>().name + " FROM ";
      print(*c.args[1], 0);
      out += ")";
      return true;
    }
    if (u == "POSITION" && c.args.size() == 2) {
      out += c.name + "(";
      print(*c.args[0], kAdditive);
      out += " IN ";
      print(*c.args[1], 0);
      out += ")";
      return true;
    }
    if (u == "TRIM" && c.args.size() == 3 && is_symbol(c.args[0])) {
      out += c.name + "(" + c.args[0]->as<Symbol>().name + " ";
      print(*c.args[1], 0);
      out += " FROM ";
      print(*c.args[2], 0);
      out += ")";
      return true;
    }
    if ((u == "FLOOR" || u == "CEIL" || u == "CEILING") && c.args.size() == 2 && is_symbol(c.args[1])) {
      out += c.name + "(";
      print(*c.args[0], 0);
      out += " TO " + c.args[1]->as<Symbol>().name + ")";
      return true;
    }
    return false;
  }

  // An ordinary call whose name the parser would read with keyword syntax
  // (EXTRACT(x), ROW(...) as a function) keeps its meaning only when quoted.
  static bool needs_quoted_name(const Call& c, const std::string& u) {
    if (!is_plain_identifier(c.name)) return true;
    if (!c.qualifier.empty()) return false;
    if (u == "TRY_CAST" || u == "ROW" || u == "EXTRACT" || u == "POSITION") return true;
    if (u == "TRIM") return c.args.size() != 1;
    if (u == "TIMESTAMPADD" || u == "TIMESTAMPDIFF") return c.args.empty() || !is_symbol(c.args[0]);
    return false;
  }

  void call(const Call& c) {
    if (c.semantics == NavSemantics::Running) out += "RUNNING ";
    if (c.semantics == NavSemantics::Final) out += "FINAL ";
    for (const auto& q : c.qualifier) out += identifier_sql(q) + ".";
    std::string u = upper(c.name);
    if (c.no_parens) {
      out += c.name;
      return;
    }
    if (c.qualifier.empty() && special_call(c, u)) return;
    out += needs_quoted_name(c, u) ? quoted(c.name) : c.name;
    out += "(";
    if (c.star_arg) {
      out += "*";
    } else {
      if (c.distinct) out += "DISTINCT ";
      list(c.args);
    }
    out += ")";
    if (c.filter) {
      out += " FILTER (WHERE ";
      print(*c.filter, 0);
      out += ")";
    }
  }

  static std::string quoted(const std::string& name) {
    std::string s = "`";
    for (char ch : name) {
      if (ch == '`') s += '`';
      s += ch;
    }
    return s + "`";
  }

  void print_bare(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Literal: literal(e.as<Literal>()); return;
      case ExprKind::Identifier: name_chain(e.as<Identifier>().parts); return;
      case ExprKind::Star:
        for (const auto& q : e.as<Star>().qualifier) out += identifier_sql(q) + ".";
        out += "*";
        return;
      case ExprKind::Unary: {
        const auto& u = e.as<Unary>();
        if (u.op == UnaryOp::Not) {
          out += "NOT ";
          print(*u.operand, kNot);
          return;
        }
        out += u.op == UnaryOp::Negate ? "-" : "+";
        size_t at = out.size();
        print(*u.operand, kUnary);
        // `- -x` must not become the comment `--x`.
        if (at < out.size() && (out[at] == '-' || out[at] == '+')) out.insert(at, " ");
        return;
      }
      case ExprKind::Binary: {
        const auto& b = e.as<Binary>();
        int p = precedence(e);
        print(*b.left, p);
        out += std::string(" ") + binary_op_sql(b.op) + " ";
        print(*b.right, p == kIs ? kComparison : p + 1);
        return;
      }
      case ExprKind::IsTest: {
        const auto& t = e.as<IsTest>();
        print(*t.operand, kIs);
        out += t.negated ? " IS NOT " : " IS ";
        out += t.test == IsTestKind::Null ? "NULL" : t.test == IsTestKind::True ? "TRUE" : t.test == IsTestKind::False ? "FALSE" : "UNKNOWN";
        return;
      }
      case ExprKind::InList: {
        const auto& in = e.as<InList>();
        print(*in.operand, kPredicate);
        out += in.negated ? " NOT IN (" : " IN (";
        list(in.list);
        out += ")";
        return;
      }
      case ExprKind::Subquery: {  // the query itself is not printed: subqueries never reach a pipeline's expressions
        const auto& q = e.as<SubqueryExpr>();
        if (q.exists) {
          out += "EXISTS (...)";
          return;
        }
        print(*q.operand, kPredicate);
        out += q.negated ? " NOT IN (...)" : " IN (...)";
        return;
      }
      case ExprKind::Between: {
        const auto& b = e.as<Between>();
        print(*b.operand, kPredicate);
        out += b.negated ? " NOT BETWEEN " : " BETWEEN ";
        if (b.symmetric) out += "SYMMETRIC ";
        print(*b.low, kAdditive);
        out += " AND ";
        print(*b.high, kAdditive);
        return;
      }
      case ExprKind::Like: {
        const auto& l = e.as<Like>();
        print(*l.operand, kPredicate);
        out += l.negated ? " NOT " : " ";
        out += l.similar ? "SIMILAR TO " : "LIKE ";
        print(*l.pattern, kAdditive);
        if (l.escape) {
          out += " ESCAPE ";
          print(*l.escape, kAdditive);
        }
        return;
      }
      case ExprKind::Case: {
        const auto& c = e.as<Case>();
        out += "CASE";
        if (c.operand) {
          out += " ";
          print(*c.operand, 0);
        }
        for (const auto& w : c.whens) {
          out += " WHEN ";
          print(*w.when, 0);
          out += " THEN ";
          print(*w.then, 0);
        }
        if (c.else_result) {
          out += " ELSE ";
          print(*c.else_result, 0);
        }
        out += " END";
        return;
      }
      case ExprKind::Cast: {
        const auto& c = e.as<Cast>();
        out += c.try_cast ? "TRY_CAST(" : "CAST(";
        print(*c.operand, 0);
        out += " AS " + c.target.to_sql() + ")";
        return;
      }
      case ExprKind::Call: call(e.as<Call>()); return;
      case ExprKind::ArrayCtor:
        out += "ARRAY[";
        list(e.as<ArrayCtor>().elements);
        out += "]";
        return;
      case ExprKind::MapCtor:
        out += "MAP[";
        list(e.as<MapCtor>().elements);
        out += "]";
        return;
      case ExprKind::RowCtor:
        out += "ROW(";
        list(e.as<RowCtor>().elements);
        out += ")";
        return;
      case ExprKind::Subscript: {
        const auto& s = e.as<Subscript>();
        print(*s.base, kPrimary);
        out += "[";
        print(*s.index, 0);
        out += "]";
        return;
      }
      case ExprKind::FieldAccess: {
        const auto& f = e.as<FieldAccess>();
        bool wrap = f.base->kind == ExprKind::Identifier || precedence(*f.base) < kPrimary;
        if (wrap) out += "(";
        print(*f.base, 0);
        if (wrap) out += ")";
        out += "." + identifier_sql(f.field);
        return;
      }
      case ExprKind::Symbol: out += e.as<Symbol>().name; return;
    }
  }
};

}  // namespace

std::string identifier_sql(const std::string& name) {
  if (is_plain_identifier(name) && !special_in_expression(name)) return name;
  std::string s = "`";
  for (char ch : name) {
    if (ch == '`') s += '`';
    s += ch;
  }
  return s + "`";
}

std::string string_literal_sql(const std::string& text) {
  std::string s = "'";
  for (char ch : text) {
    if (ch == '\'') s += '\'';
    s += ch;
  }
  return s + "'";
}

std::string to_sql(const Expr& e) {
  Printer p;
  p.print(e, 0);
  return p.out;
}

}  // namespace ananas::sql
