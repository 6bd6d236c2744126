// Window SEMI and ANTI joins (Flink docs, Queries > Window JOIN > SEMI, ANTI):
// a SELECT over a windowed relation L whose WHERE holds one
//   L.x [NOT] IN (SELECT e FROM R WHERE L.window_start = R.window_start AND L.window_end = R.window_end ...)
//   [NOT] EXISTS (SELECT ... FROM R WHERE L.window_start = R.window_start AND L.window_end = R.window_end ...)
// with R windowed too, as Flink decorrelates it into a semi / anti join:
//  - the subquery's WHERE (its names resolved in R first, then in L, as SQL
//    scopes them) is the join condition; `x IN (SELECT e ...)` adds x = e;
//    `x NOT IN (SELECT e ...)` adds `x = e OR x IS NULL OR e IS NULL` (NOT
//    IN is not true when either side is NULL, so such a pair counts as a match);
//  - the window equalities and the other equalities of a column of each side
//    become the window join's window and keys, as for the other window joins
//    (join_planner.cpp), and its type is semi or anti: each window's left rows
//    with (without) a match come out once, as inserts, when the window fires;
//  - the other conditions of the outer WHERE filter the left rows after it.
// Any other subquery in an expression is refused where it is compiled.
#include <algorithm>
#include <functional>

#include "core/sql/printer.hpp"
#include "pipelines/operator_kinds/calc/calc.hpp"
#include "pipelines/operator_kinds/join/join.hpp"
#include "pipelines/sql/aggregate_calls.hpp"
#include "pipelines/sql/ast_walk.hpp"
#include "pipelines/sql/planner_helpers.hpp"
#include "pipelines/sql/query_planner.hpp"

namespace ananas::pipeline::planner {

namespace {

Type plain(const Type& t) { return t.with_nullable(true).with_time_attr(TimeAttr::None); }

sql::ExprPtr binary(sql::BinaryOp op, sql::ExprPtr l, sql::ExprPtr r, const SourceLocation& loc) {
  auto b = std::make_unique<sql::Binary>(loc);
  b->op = op;
  b->op_loc = loc;
  b->left = std::move(l);
  b->right = std::move(r);
  return b;
}

sql::ExprPtr is_null(sql::ExprPtr e, const SourceLocation& loc) {
  auto t = std::make_unique<sql::IsTest>(loc);
  t->test = sql::IsTestKind::Null;
  t->operand = std::move(e);
  return t;
}

// Rewrites column references to the unique names of `both`: a name resolves
// in the subquery's relation (`inner`, whose column i is both's column
// inner_at + i) first, then in the outer one (`outer`, both's first columns).
void rewrite_scoped(sql::Expr& e, const Relation& inner, size_t inner_at, const Relation& outer, const Relation& both) {
  if (e.kind == sql::ExprKind::Identifier) {
    auto& id = e.as<sql::Identifier>();
    size_t index = 0, used = 0;
    try {
      std::tie(index, used) = inner.resolve(id.parts, id.loc);
      index += inner_at;
    } catch (const InputError& in_inner) {
      try {
        std::tie(index, used) = outer.resolve(id.parts, id.loc);
      } catch (const InputError&) {
        throw in_inner;
      }
    }
    std::vector<std::string> parts{both.columns[index].name};
    parts.insert(parts.end(), id.parts.begin() + static_cast<long>(used), id.parts.end());
    std::vector<SourceLocation> locs{id.part_locs.empty() ? id.loc : id.part_locs[0]};
    for (size_t i = used; i < id.part_locs.size(); ++i) locs.push_back(id.part_locs[i]);
    id.parts = std::move(parts);
    id.part_locs = std::move(locs);
    return;
  }
  for_each_child(e, [&](sql::ExprPtr& child) { rewrite_scoped(*child, inner, inner_at, outer, both); });
}

}  // namespace

std::optional<Relation> QueryPlanner::plan_semi_anti(const sql::Select& s) {
  if (!s.from) return std::nullopt;
  std::vector<const sql::Expr*> parts;
  if (s.where) conjuncts(*s.where, parts);
  const sql::SubqueryExpr* sub = nullptr;
  const sql::Expr* sub_part = nullptr;
  bool anti = false;
  for (const sql::Expr* p : parts) {
    const sql::Expr* e = p;
    bool negated = false;
    if (e->kind == sql::ExprKind::Unary && e->as<sql::Unary>().op == sql::UnaryOp::Not &&
        e->as<sql::Unary>().operand->kind == sql::ExprKind::Subquery) {
      e = e->as<sql::Unary>().operand.get();
      negated = true;
    }
    if (e->kind != sql::ExprKind::Subquery) continue;
    if (sub) throw InputError(e->loc, "one [NOT] IN or [NOT] EXISTS subquery per WHERE is translated (as a window SEMI / ANTI join)");
    sub = &e->as<sql::SubqueryExpr>();
    sub_part = p;
    anti = negated != sub->negated;  // NOT (x NOT IN q) is x IN q
  }
  if (!sub) {
    // A subquery anywhere else (under an OR, in SELECT) has no translation.
    const sql::Expr* found = nullptr;
    std::function<void(const sql::Expr&)> find = [&](const sql::Expr& e) {
      if (!found && e.kind == sql::ExprKind::Subquery) found = &e;
      for_each_child(e, [&](const sql::Expr& c) { find(c); });
    };
    if (s.where) find(*s.where);
    if (s.having) find(*s.having);
    for (const auto& item : s.items) find(*item.expr);
    if (found)
      throw InputError(found->loc, "subqueries are not supported here (Ananas translates [NOT] EXISTS and [NOT] IN subqueries "
                                   "only as window SEMI / ANTI joins, each a condition of a WHERE joined with AND)");
    return std::nullopt;
  }
  const std::string form = sub->exists ? (anti ? "NOT EXISTS" : "EXISTS") : (anti ? "NOT IN" : "IN");
  auto refused = [&](const SourceLocation& at, const std::string& why) {
    return InputError(at, "a " + form + " subquery is translated only as a window " + (anti ? "ANTI" : "SEMI") +
                              " join (Flink docs, Queries > Window JOIN): " + why);
  };
  bool aggregating = !s.group_by.empty() || s.having;
  for (const auto& item : s.items) aggregating = aggregating || contains_aggregate(*item.expr);
  if (aggregating || s.distinct || contains_over(s)) throw refused(s.loc, "the SELECT around it must not aggregate");

  // 1. Both sides: windowed and insert-only.
  Relation left = plan_from(*s.from);
  if (left.window) left = materialize_window(std::move(left));
  const sql::Query& q = *sub->query;
  if (!q.ctes.empty() || q.body->kind != sql::QueryNodeKind::Select || !q.order_by.empty() || q.limit || q.offset)
    throw refused(q.loc, "the subquery must be one SELECT ... FROM ... WHERE");
  const sql::Select& inner = q.body->as<sql::Select>();
  if (!inner.from || !inner.group_by.empty() || inner.having || inner.distinct)
    throw refused(inner.loc, "the subquery must be one SELECT ... FROM ... WHERE, without GROUP BY or DISTINCT");
  if (!left.window_properties)
    throw refused(s.from->loc, "its FROM must be a window table-valued function (TUMBLE, HOP, CUMULATE), a window aggregation "
                               "or a window Top-N");
  Relation right = plan_from(*inner.from);
  if (right.window) right = materialize_window(std::move(right));
  if (!right.window_properties)
    throw refused(inner.from->loc, "the subquery's FROM must be a window table-valued function (TUMBLE, HOP, CUMULATE), a "
                                   "window aggregation or a window Top-N");
  // Flink's StreamExecWindowJoin (a window semi/anti join is one).
  if (left.window_properties->processing_time || right.window_properties->processing_time)
    throw InputError(s.from->loc, "Processing time Window Join is not supported yet.");
  for (const Relation* side : {&left, &right})
    if (side->changelog == Changelog::Updating)
      throw InputError(side == &left ? s.from->loc : inner.from->loc,
                       "a window join reads insert-only inputs, but this input is updated by node " + side->update_producer);

  // 2. The right side's columns under names the left side does not use (as a join's).
  Calc rename;
  rename.select.emplace();
  bool renamed = false;
  Relation both;
  both.columns = left.columns;
  const size_t left_width = left.columns.size();
  for (RelationColumn c : right.columns) {
    const std::string name = uniquified(both.columns, c.name);
    renamed = renamed || name != c.name;
    rename.select->push_back({name, Expr{sql::identifier_sql(c.name), sub->loc}, sub->loc});
    c.name = name;
    both.columns.push_back(std::move(c));
  }
  std::string right_node = right.node;
  if (renamed || right.node == left.node)
    right_node = right.node == left.node ? add_operator("join_right", right.node, std::move(rename), sub->loc).name
                                         : add_calc("join_right", right.node, std::move(rename), sub->loc);
  // Columns by their unique names, for the conditions rewritten to them.
  Relation by_name = both;
  for (auto& c : by_name.columns) {
    c.sql_name = c.name;
    c.qualifiers.clear();
  }

  // 3. The join condition: the subquery's WHERE, and the IN's comparison.
  std::vector<sql::ExprPtr> conditions;
  auto scoped = [&](const sql::Expr& e) {
    sql::ExprPtr copy = sql::clone(e);
    rewrite_scoped(*copy, right, left_width, left, both);
    return copy;
  };
  if (inner.where) {
    std::vector<const sql::Expr*> inner_parts;
    conjuncts(*inner.where, inner_parts);
    for (const sql::Expr* p : inner_parts) conditions.push_back(scoped(*p));
  }
  if (!sub->exists) {
    if (inner.items.size() != 1 || inner.items[0].expr->kind == sql::ExprKind::Star)
      throw refused(inner.loc, "IN (SELECT ...) selects exactly one column or expression");
    sql::ExprPtr x = rewrite_to_unique_names(*sub->operand, left);
    sql::ExprPtr e = scoped(*inner.items[0].expr);
    const SourceLocation at = sub->loc;
    if (!anti) {
      conditions.push_back(binary(sql::BinaryOp::Equal, std::move(x), std::move(e), at));
    } else {
      sql::ExprPtr equal = binary(sql::BinaryOp::Equal, sql::clone(*x), sql::clone(*e), at);
      sql::ExprPtr either_null = binary(sql::BinaryOp::Or, is_null(std::move(x), at), is_null(std::move(e), at), at);
      conditions.push_back(binary(sql::BinaryOp::Or, std::move(equal), std::move(either_null), at));
    }
  }

  // 4. Keys, window equalities and the rest, as for the other window joins.
  Join join;
  join.join_type = anti ? "anti" : "semi";
  const WindowProperties& lw = *left.window_properties;
  const WindowProperties& rw = *right.window_properties;
  const std::string rs = both.columns[left_width + *right.find_unique(rw.start)].name;
  const std::string re = both.columns[left_width + *right.find_unique(rw.end)].name;
  bool starts = false, ends = false;
  std::vector<std::string> residuals;
  auto column_of = [&](const sql::Expr& e) -> std::optional<size_t> {
    if (e.kind != sql::ExprKind::Identifier || e.as<sql::Identifier>().parts.size() != 1) return std::nullopt;
    return by_name.find_unique(e.as<sql::Identifier>().parts[0]);
  };
  for (const sql::ExprPtr& c : conditions) {
    std::optional<size_t> a, b;
    if (c->kind == sql::ExprKind::Binary && c->as<sql::Binary>().op == sql::BinaryOp::Equal) {
      a = column_of(*c->as<sql::Binary>().left);
      b = column_of(*c->as<sql::Binary>().right);
    }
    if (a && b && (*a < left_width) != (*b < left_width)) {
      const size_t l = std::min(*a, *b), r = std::max(*a, *b);
      const std::string &ln = both.columns[l].name, &rn = both.columns[r].name;
      if ((ln == lw.start && rn == rs) || (ln == lw.end && rn == re)) {
        starts = starts || ln == lw.start;
        ends = ends || ln == lw.end;
        continue;
      }
      if (plain(both.columns[l].type) == plain(both.columns[r].type)) {
        join.left_key.push_back(ln);
        join.right_key.push_back(rn);
        continue;
      }
    }
    residuals.push_back(model_expr(*c).text);
  }
  if (!starts || !ends) {
    std::string written;
    for (const sql::ExprPtr& c : conditions) written += (written.empty() ? "" : " AND ") + model_expr(*c).text;
    throw InputError(sub->loc, "Currently, window join requires JOIN ON condition must contain both window starts equality of "
                               "input tables and window ends equality of input tables. But the current JOIN ON condition is " +
                                   (written.empty() ? std::string("TRUE") : written) + ".");
  }
  if (lw.spec != rw.spec)
    throw InputError(sub->loc, "Currently, window join doesn't support different window table function of left and right "
                               "inputs. The left window table function is " + lw.spec + ". The right window table function is " +
                                   rw.spec + ".");
  join.window = Join::WindowBounds{lw.start, lw.end, rs, re, {}};
  std::string residual;
  for (const auto& text : residuals) residual += (residual.empty() ? "" : " AND ") + (residuals.size() > 1 ? "(" + text + ")" : text);
  if (!residual.empty()) join.condition = Expr{residual, sub->loc};
  Operator& op = add_operator("join", left.node, std::move(join), sub->loc);
  op.more_inputs = {right_node};
  op.input_location = sub->loc;

  // 5. The left rows that passed, then the outer SELECT over them with the rest of its WHERE.
  Relation out = left;
  out.node = op.name;
  out.changelog = Changelog::InsertOnly;
  out.upsert_key.clear();
  sql::Select outer(s.loc);
  for (const auto& item : s.items) outer.items.push_back({sql::clone(*item.expr), item.alias, item.alias_loc});
  for (const sql::Expr* p : parts) {
    if (p == sub_part) continue;
    outer.where = outer.where ? binary(sql::BinaryOp::And, std::move(outer.where), sql::clone(*p), p->loc) : sql::clone(*p);
  }
  return plan_projection(outer, std::move(out));
}

}  // namespace ananas::pipeline::planner
