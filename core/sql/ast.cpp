#include "core/sql/ast.hpp"

namespace ananas::sql {

namespace {

bool equal_ptr(const ExprPtr& a, const ExprPtr& b) {
  if (!a || !b) return !a && !b;
  return equal(*a, *b);
}

bool equal_list(const std::vector<ExprPtr>& a, const std::vector<ExprPtr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!equal_ptr(a[i], b[i])) return false;
  return true;
}

ExprPtr clone_ptr(const ExprPtr& e) { return e ? clone(*e) : nullptr; }

std::vector<ExprPtr> clone_list(const std::vector<ExprPtr>& list) {
  std::vector<ExprPtr> out;
  out.reserve(list.size());
  for (const auto& e : list) out.push_back(clone_ptr(e));
  return out;
}

bool equal_bound(const FrameBound& a, const FrameBound& b) { return a.kind == b.kind && equal_ptr(a.offset, b.offset); }

}  // namespace

bool equal_over(const OverSpec* a, const OverSpec* b) {
  if (!a || !b) return !a && !b;
  if (a->reference != b->reference || !equal_list(a->partition_by, b->partition_by) ||
      a->order_by.size() != b->order_by.size() || a->has_frame != b->has_frame || a->unit != b->unit ||
      !equal_bound(a->lower, b->lower) || !equal_bound(a->upper, b->upper))
    return false;
  for (size_t i = 0; i < a->order_by.size(); ++i) {
    const auto &x = a->order_by[i], &y = b->order_by[i];
    if (!equal_ptr(x.expr, y.expr) || x.descending != y.descending || x.nulls != y.nulls) return false;
  }
  return true;
}

bool equal(const Expr& a, const Expr& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ExprKind::Literal: {
      const auto &x = a.as<Literal>(), &y = b.as<Literal>();
      if (x.literal_kind != y.literal_kind) return false;
      if (x.literal_kind == LiteralKind::Boolean) return x.bool_value == y.bool_value;
      if (x.literal_kind == LiteralKind::Interval) {
        // Plural spelling (SECONDS) means the same as SECOND.
        IntervalQualifier qx = x.interval, qy = y.interval;
        qx.plural = qy.plural = false;
        if (qx != qy || x.negative != y.negative) return false;
      }
      return x.text == y.text;
    }
    case ExprKind::Identifier: return a.as<Identifier>().parts == b.as<Identifier>().parts;
    case ExprKind::Star: return a.as<Star>().qualifier == b.as<Star>().qualifier;
    case ExprKind::Unary: {
      const auto &x = a.as<Unary>(), &y = b.as<Unary>();
      return x.op == y.op && equal_ptr(x.operand, y.operand);
    }
    case ExprKind::Binary: {
      const auto &x = a.as<Binary>(), &y = b.as<Binary>();
      return x.op == y.op && equal_ptr(x.left, y.left) && equal_ptr(x.right, y.right);
    }
    case ExprKind::IsTest: {
      const auto &x = a.as<IsTest>(), &y = b.as<IsTest>();
      return x.test == y.test && x.negated == y.negated && equal_ptr(x.operand, y.operand);
    }
    case ExprKind::InList: {
      const auto &x = a.as<InList>(), &y = b.as<InList>();
      return x.negated == y.negated && equal_ptr(x.operand, y.operand) && equal_list(x.list, y.list);
    }
    case ExprKind::Subquery: {
      const auto &x = a.as<SubqueryExpr>(), &y = b.as<SubqueryExpr>();
      return x.exists == y.exists && x.negated == y.negated && equal_ptr(x.operand, y.operand) && x.query == y.query;
    }
    case ExprKind::Between: {
      const auto &x = a.as<Between>(), &y = b.as<Between>();
      return x.negated == y.negated && x.symmetric == y.symmetric && equal_ptr(x.operand, y.operand) &&
             equal_ptr(x.low, y.low) && equal_ptr(x.high, y.high);
    }
    case ExprKind::Like: {
      const auto &x = a.as<Like>(), &y = b.as<Like>();
      return x.negated == y.negated && x.similar == y.similar && equal_ptr(x.operand, y.operand) &&
             equal_ptr(x.pattern, y.pattern) && equal_ptr(x.escape, y.escape);
    }
    case ExprKind::Case: {
      const auto &x = a.as<Case>(), &y = b.as<Case>();
      if (!equal_ptr(x.operand, y.operand) || !equal_ptr(x.else_result, y.else_result)) return false;
      if (x.whens.size() != y.whens.size()) return false;
      for (size_t i = 0; i < x.whens.size(); ++i)
        if (!equal_ptr(x.whens[i].when, y.whens[i].when) || !equal_ptr(x.whens[i].then, y.whens[i].then)) return false;
      return true;
    }
    case ExprKind::Cast: {
      const auto &x = a.as<Cast>(), &y = b.as<Cast>();
      return x.try_cast == y.try_cast && x.target == y.target && equal_ptr(x.operand, y.operand);
    }
    case ExprKind::Call: {
      const auto &x = a.as<Call>(), &y = b.as<Call>();
      return x.name == y.name && x.qualifier == y.qualifier && x.distinct == y.distinct && x.star_arg == y.star_arg &&
             x.no_parens == y.no_parens && x.semantics == y.semantics && equal_ptr(x.filter, y.filter) &&
             equal_list(x.args, y.args) && equal_over(x.over.get(), y.over.get());
    }
    case ExprKind::ArrayCtor: return equal_list(a.as<ArrayCtor>().elements, b.as<ArrayCtor>().elements);
    case ExprKind::RowCtor: return equal_list(a.as<RowCtor>().elements, b.as<RowCtor>().elements);
    case ExprKind::MapCtor: return equal_list(a.as<MapCtor>().elements, b.as<MapCtor>().elements);
    case ExprKind::Subscript: {
      const auto &x = a.as<Subscript>(), &y = b.as<Subscript>();
      return equal_ptr(x.base, y.base) && equal_ptr(x.index, y.index);
    }
    case ExprKind::FieldAccess: {
      const auto &x = a.as<FieldAccess>(), &y = b.as<FieldAccess>();
      return x.field == y.field && equal_ptr(x.base, y.base);
    }
    case ExprKind::Symbol: return a.as<Symbol>().name == b.as<Symbol>().name;
  }
  return false;
}

ExprPtr clone(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Literal: {
      const auto& x = e.as<Literal>();
      auto c = std::make_unique<Literal>(x.loc);
      c->literal_kind = x.literal_kind;
      c->bool_value = x.bool_value;
      c->text = x.text;
      c->negative = x.negative;
      c->interval = x.interval;
      return c;
    }
    case ExprKind::Identifier: {
      const auto& x = e.as<Identifier>();
      auto c = std::make_unique<Identifier>(x.loc);
      c->parts = x.parts;
      c->part_locs = x.part_locs;
      return c;
    }
    case ExprKind::Star: {
      auto c = std::make_unique<Star>(e.loc);
      c->qualifier = e.as<Star>().qualifier;
      return c;
    }
    case ExprKind::Unary: {
      const auto& x = e.as<Unary>();
      auto c = std::make_unique<Unary>(x.loc);
      c->op = x.op;
      c->operand = clone_ptr(x.operand);
      return c;
    }
    case ExprKind::Binary: {
      const auto& x = e.as<Binary>();
      auto c = std::make_unique<Binary>(x.loc);
      c->op = x.op;
      c->op_loc = x.op_loc;
      c->left = clone_ptr(x.left);
      c->right = clone_ptr(x.right);
      return c;
    }
    case ExprKind::IsTest: {
      const auto& x = e.as<IsTest>();
      auto c = std::make_unique<IsTest>(x.loc);
      c->test = x.test;
      c->negated = x.negated;
      c->operand = clone_ptr(x.operand);
      return c;
    }
    case ExprKind::InList: {
      const auto& x = e.as<InList>();
      auto c = std::make_unique<InList>(x.loc);
      c->negated = x.negated;
      c->operand = clone_ptr(x.operand);
      c->list = clone_list(x.list);
      return c;
    }
    case ExprKind::Subquery: {
      const auto& x = e.as<SubqueryExpr>();
      auto c = std::make_unique<SubqueryExpr>(x.loc);
      c->exists = x.exists;
      c->negated = x.negated;
      c->operand = clone_ptr(x.operand);
      c->query = x.query;
      return c;
    }
    case ExprKind::Between: {
      const auto& x = e.as<Between>();
      auto c = std::make_unique<Between>(x.loc);
      c->negated = x.negated;
      c->symmetric = x.symmetric;
      c->operand = clone_ptr(x.operand);
      c->low = clone_ptr(x.low);
      c->high = clone_ptr(x.high);
      return c;
    }
    case ExprKind::Like: {
      const auto& x = e.as<Like>();
      auto c = std::make_unique<Like>(x.loc);
      c->negated = x.negated;
      c->similar = x.similar;
      c->operand = clone_ptr(x.operand);
      c->pattern = clone_ptr(x.pattern);
      c->escape = clone_ptr(x.escape);
      return c;
    }
    case ExprKind::Case: {
      const auto& x = e.as<Case>();
      auto c = std::make_unique<Case>(x.loc);
      c->operand = clone_ptr(x.operand);
      for (const auto& w : x.whens) c->whens.push_back(WhenClause{clone_ptr(w.when), clone_ptr(w.then)});
      c->else_result = clone_ptr(x.else_result);
      return c;
    }
    case ExprKind::Cast: {
      const auto& x = e.as<Cast>();
      auto c = std::make_unique<Cast>(x.loc);
      c->try_cast = x.try_cast;
      c->operand = clone_ptr(x.operand);
      c->target = x.target;
      c->type_loc = x.type_loc;
      return c;
    }
    case ExprKind::Call: {
      const auto& x = e.as<Call>();
      auto c = std::make_unique<Call>(x.loc);
      c->name = x.name;
      c->qualifier = x.qualifier;
      c->args = clone_list(x.args);
      c->distinct = x.distinct;
      c->star_arg = x.star_arg;
      c->no_parens = x.no_parens;
      c->filter = clone_ptr(x.filter);
      c->semantics = x.semantics;
      c->over = x.over;
      return c;
    }
    case ExprKind::ArrayCtor: {
      auto c = std::make_unique<ArrayCtor>(e.loc);
      c->elements = clone_list(e.as<ArrayCtor>().elements);
      return c;
    }
    case ExprKind::RowCtor: {
      auto c = std::make_unique<RowCtor>(e.loc);
      c->elements = clone_list(e.as<RowCtor>().elements);
      return c;
    }
    case ExprKind::MapCtor: {
      auto c = std::make_unique<MapCtor>(e.loc);
      c->elements = clone_list(e.as<MapCtor>().elements);
      return c;
    }
    case ExprKind::Subscript: {
      const auto& x = e.as<Subscript>();
      auto c = std::make_unique<Subscript>(x.loc);
      c->base = clone_ptr(x.base);
      c->index = clone_ptr(x.index);
      return c;
    }
    case ExprKind::FieldAccess: {
      const auto& x = e.as<FieldAccess>();
      auto c = std::make_unique<FieldAccess>(x.loc);
      c->base = clone_ptr(x.base);
      c->field = x.field;
      c->field_loc = x.field_loc;
      return c;
    }
    case ExprKind::Symbol: {
      auto c = std::make_unique<Symbol>(e.loc);
      c->name = e.as<Symbol>().name;
      return c;
    }
  }
  return nullptr;
}

}  // namespace ananas::sql
