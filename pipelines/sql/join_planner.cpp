// Regular joins between tables (Flink docs, Queries > Joins > Regular Joins):
// `FROM a [INNER | LEFT | RIGHT | FULL] JOIN b ON ...`, planned as Flink's
// StreamExecJoin is:
//  - the ON condition's conjuncts that equate a column of each side are the
//    join key (Flink's equi-join keys); what is left of it is checked on each
//    joined pair (Flink's non-equi condition); with no such equality the
//    join is refused, as Flink only runs equi-joins in streaming here;
//  - the output is the left columns then the right ones; a right column
//    whose name the left side has already is renamed with a digit, as
//    Calcite uniquifies it (id, id0);
//  - time attributes become plain timestamps (a regular join's output is
//    not ordered in time, Flink docs);
//  - an outer join, or a join fed updates, produces an updating changelog.
#include <algorithm>

#include "core/sql/printer.hpp"
#include "pipelines/operator_kinds/calc/calc.hpp"
#include "pipelines/operator_kinds/join/join.hpp"
#include "pipelines/sql/planner_helpers.hpp"
#include "pipelines/sql/query_planner.hpp"

namespace ananas::pipeline::planner {

namespace {

// Calcite's uniquifier: name, name0, name1, ...
std::string uniquified(const std::vector<RelationColumn>& taken, const std::string& name) {
  auto used = [&](const std::string& n) {
    return std::any_of(taken.begin(), taken.end(), [&](const RelationColumn& c) { return c.name == n; });
  };
  if (!used(name)) return name;
  for (int i = 0;; ++i)
    if (!used(name + std::to_string(i))) return name + std::to_string(i);
}

const char* flink_join_type(sql::JoinKind k) {
  switch (k) {
    case sql::JoinKind::Left: return "LeftOuterJoin";
    case sql::JoinKind::Right: return "RightOuterJoin";
    case sql::JoinKind::Full: return "FullOuterJoin";
    default: return "InnerJoin";
  }
}

Type plain(const Type& t) { return t.with_nullable(true).with_time_attr(TimeAttr::None); }

}  // namespace

Relation QueryPlanner::plan_regular_join(const sql::Join& j) {
  if (!j.using_columns.empty()) throw InputError(j.loc, "JOIN ... USING (...) is not supported yet; write ON left.c = right.c");
  if (!j.on)
    throw InputError(j.loc, "a join between tables needs ON with an equality between a column of each side "
                            "(Ananas runs equi-joins; a cross join of two streams would keep every pair)");
  Relation left = plan_from(*j.left);
  if (left.window) left = materialize_window(std::move(left));
  Relation right = plan_from(*j.right);
  if (right.window) right = materialize_window(std::move(right));

  // The right side's columns under names the left side does not use.
  Calc rename;
  rename.select.emplace();
  bool renamed = false;
  std::vector<RelationColumn> taken = left.columns;
  const size_t left_width = left.columns.size();
  for (RelationColumn c : right.columns) {
    const std::string name = uniquified(taken, c.name);
    renamed = renamed || name != c.name;
    rename.select->push_back({name, Expr{sql::identifier_sql(c.name), j.loc}, j.loc});
    c.name = name;
    taken.push_back(std::move(c));
  }
  std::string right_node = right.node;
  if (renamed || right.node == left.node) {
    // Not fused when the left side is the same node (a self-join): fusing would rename it.
    right_node = right.node == left.node ? add_operator("join_right", right.node, std::move(rename), j.loc).name
                                         : add_calc("join_right", right.node, std::move(rename), j.loc);
  }
  Relation both;
  both.columns = taken;

  // Equalities of a left column and a right column are keys; the rest is the condition.
  std::vector<const sql::Expr*> parts;
  conjuncts(*j.on, parts);
  Join join;
  join.join_type = j.join == sql::JoinKind::Left ? "left" : j.join == sql::JoinKind::Right ? "right" : j.join == sql::JoinKind::Full ? "full" : "inner";
  std::string residual, where;
  std::vector<std::string> residuals;
  auto side_column = [&](const sql::Expr& e) -> std::optional<size_t> {
    if (e.kind != sql::ExprKind::Identifier) return std::nullopt;
    const auto& id = e.as<sql::Identifier>();
    auto [index, used] = both.resolve(id.parts, id.loc);
    if (used != id.parts.size()) return std::nullopt;  // a ROW field, not a column
    return index;
  };
  for (const sql::Expr* part : parts) {
    std::optional<size_t> a, b;
    if (part->kind == sql::ExprKind::Binary && part->as<sql::Binary>().op == sql::BinaryOp::Equal) {
      a = side_column(*part->as<sql::Binary>().left);
      b = side_column(*part->as<sql::Binary>().right);
    }
    if (a && b && (*a < left_width) != (*b < left_width)) {
      const size_t l = std::min(*a, *b), r = std::max(*a, *b);
      if (plain(both.columns[l].type) != plain(both.columns[r].type))
        throw InputError(part->loc, "join keys " + both.columns[l].sql_name + " (" + both.columns[l].type.to_string() + ") and " +
                                        both.columns[r].sql_name + " (" + both.columns[r].type.to_string() +
                                        ") have different types: CAST one side in a subquery so that both have one type");
      join.left_key.push_back(both.columns[l].name);
      join.right_key.push_back(both.columns[r].name);
      where += (where.empty() ? "" : ", ") + std::string("=(") + both.columns[l].name + ", " + both.columns[r].name + ")";
      continue;
    }
    residuals.push_back(model_expr(*rewrite_to_unique_names(*part, both)).text);
  }
  for (const auto& text : residuals) residual += (residual.empty() ? "" : " AND ") + (residuals.size() > 1 ? "(" + text + ")" : text);
  if (join.left_key.empty())
    throw InputError(j.on->loc, "a join between tables needs an equality between a column of each side in ON "
                                "(Ananas runs equi-joins: the rows are matched by key)");
  if (!residual.empty()) join.condition = Expr{residual, j.on->loc};

  Operator& op = add_operator("join", left.node, std::move(join), j.loc);
  op.more_inputs = {right_node};
  op.input_location = j.loc;
  Relation out;
  out.node = op.name;
  const bool left_outer = j.join == sql::JoinKind::Left || j.join == sql::JoinKind::Full;
  const bool right_outer = j.join == sql::JoinKind::Right || j.join == sql::JoinKind::Full;
  std::string select;
  for (size_t i = 0; i < both.columns.size(); ++i) {
    RelationColumn c = both.columns[i];
    const bool padded = i < left_width ? right_outer : left_outer;
    c.type = c.type.with_time_attr(TimeAttr::None).with_nullable(c.type.nullable || padded);
    select += (select.empty() ? "" : ", ") + c.name;
    out.columns.push_back(std::move(c));
  }
  const bool updating = left_outer || right_outer || left.changelog == Changelog::Updating ||
                        right.changelog == Changelog::Updating;
  out.changelog = updating ? Changelog::Updating : Changelog::InsertOnly;
  out.update_producer = std::string("Join(joinType=[") + flink_join_type(j.join) + "], where=[" +
                        (residual.empty() ? where : "AND(" + where + ", " + residual + ")") + "], select=[" + select + "])";
  return out;
}

}  // namespace ananas::pipeline::planner
