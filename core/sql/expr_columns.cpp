#include "core/sql/expr_columns.hpp"

namespace ananas::sql {

namespace {

// False when `e` holds something the walk cannot account for.
bool collect(const Expr* e, std::set<std::string>& out) {
  if (!e) return true;
  auto all = [&](const std::vector<ExprPtr>& list) {
    for (const auto& x : list)
      if (!collect(x.get(), out)) return false;
    return true;
  };
  switch (e->kind) {
    case ExprKind::Literal:
    case ExprKind::Symbol: return true;
    case ExprKind::Identifier: {
      const auto& id = e->as<Identifier>();
      if (id.parts.empty()) return false;
      out.insert(id.parts.front());
      return true;
    }
    case ExprKind::Star: return false;
    case ExprKind::Unary: return collect(e->as<Unary>().operand.get(), out);
    case ExprKind::Binary: return collect(e->as<Binary>().left.get(), out) && collect(e->as<Binary>().right.get(), out);
    case ExprKind::IsTest: return collect(e->as<IsTest>().operand.get(), out);
    case ExprKind::InList: return collect(e->as<InList>().operand.get(), out) && all(e->as<InList>().list);
    case ExprKind::Subquery: return false;  // its columns are the query's
    case ExprKind::Between: {
      const auto& b = e->as<Between>();
      return collect(b.operand.get(), out) && collect(b.low.get(), out) && collect(b.high.get(), out);
    }
    case ExprKind::Like: {
      const auto& l = e->as<Like>();
      return collect(l.operand.get(), out) && collect(l.pattern.get(), out) && collect(l.escape.get(), out);
    }
    case ExprKind::Case: {
      const auto& c = e->as<Case>();
      for (const auto& w : c.whens)
        if (!collect(w.when.get(), out) || !collect(w.then.get(), out)) return false;
      return collect(c.operand.get(), out) && collect(c.else_result.get(), out);
    }
    case ExprKind::Cast: return collect(e->as<Cast>().operand.get(), out);
    case ExprKind::Call: {
      const auto& c = e->as<Call>();
      if (c.over) return false;  // a window over other rows
      return all(c.args) && collect(c.filter.get(), out);
    }
    case ExprKind::ArrayCtor: return all(e->as<ArrayCtor>().elements);
    case ExprKind::RowCtor: return all(e->as<RowCtor>().elements);
    case ExprKind::MapCtor: return all(e->as<MapCtor>().elements);
    case ExprKind::Subscript:
      return collect(e->as<Subscript>().base.get(), out) && collect(e->as<Subscript>().index.get(), out);
    case ExprKind::FieldAccess: return collect(e->as<FieldAccess>().base.get(), out);
  }
  return false;
}

}  // namespace

std::optional<std::set<std::string>> columns_read(const Expr& e) {
  std::set<std::string> out;
  if (!collect(&e, out)) return std::nullopt;
  return out;
}

}  // namespace ananas::sql
