#include "pipelines/sql/ast_walk.hpp"

namespace ananas::pipeline::planner {

void for_each_child(sql::Expr& e, const std::function<void(sql::ExprPtr&)>& fn) {
  using namespace sql;
  auto visit = [&](ExprPtr& p) {
    if (p) fn(p);
  };
  switch (e.kind) {
    case ExprKind::Unary: visit(e.as<Unary>().operand); break;
    case ExprKind::Binary:
      visit(e.as<Binary>().left);
      visit(e.as<Binary>().right);
      break;
    case ExprKind::IsTest: visit(e.as<IsTest>().operand); break;
    case ExprKind::InList:
      visit(e.as<InList>().operand);
      for (auto& x : e.as<InList>().list) visit(x);
      break;
    case ExprKind::Subquery: visit(e.as<SubqueryExpr>().operand); break;  // the query has scopes of its own
    case ExprKind::Between:
      visit(e.as<Between>().operand);
      visit(e.as<Between>().low);
      visit(e.as<Between>().high);
      break;
    case ExprKind::Like:
      visit(e.as<Like>().operand);
      visit(e.as<Like>().pattern);
      visit(e.as<Like>().escape);
      break;
    case ExprKind::Case: {
      auto& c = e.as<Case>();
      visit(c.operand);
      for (auto& w : c.whens) {
        visit(w.when);
        visit(w.then);
      }
      visit(c.else_result);
      break;
    }
    case ExprKind::Cast: visit(e.as<Cast>().operand); break;
    case ExprKind::Call:
      for (auto& a : e.as<Call>().args) visit(a);
      visit(e.as<Call>().filter);
      break;
    case ExprKind::ArrayCtor:
      for (auto& x : e.as<ArrayCtor>().elements) visit(x);
      break;
    case ExprKind::RowCtor:
      for (auto& x : e.as<RowCtor>().elements) visit(x);
      break;
    case ExprKind::MapCtor:
      for (auto& x : e.as<MapCtor>().elements) visit(x);
      break;
    case ExprKind::Subscript:
      visit(e.as<Subscript>().base);
      visit(e.as<Subscript>().index);
      break;
    case ExprKind::FieldAccess: visit(e.as<FieldAccess>().base); break;
    case ExprKind::Literal:
    case ExprKind::Identifier:
    case ExprKind::Star:
    case ExprKind::Symbol:
      break;
  }
}

void for_each_child(const sql::Expr& e, const std::function<void(const sql::Expr&)>& fn) {
  for_each_child(const_cast<sql::Expr&>(e), [&](sql::ExprPtr& p) { fn(*p); });
}

}  // namespace ananas::pipeline::planner
