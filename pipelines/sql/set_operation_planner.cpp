// UNION ALL and UNION (Flink docs, Queries > Set Operations), planned as
// Calcite validates them and Flink runs them:
//  - every branch returns as many columns as the first ("Column count
//    mismatch in UNION ALL"); column i takes the least restrictive type of
//    the branches ("Type mismatch in column i of UNION ALL" when there is
//    none), and a branch whose type differs is cast, as Calcite's set-op type
//    coercion inserts a CAST;
//  - the names are the first branch's;
//  - one union_all node reads every branch (a chain a UNION ALL b UNION ALL c
//    is one node, as Flink's UnionMergeRule makes it one StreamExecUnion);
//  - UNION (DISTINCT) is UNION ALL and then the keys-only GroupAggregate of
//    SELECT DISTINCT, as Calcite's UnionToDistinctRule rewrites it;
//  - INTERSECT and EXCEPT (of two branches; INTERSECT binds tighter, see
//    query_parser.cpp) are Flink's ReplaceIntersectWithSemiJoinRule and
//    ReplaceMinusWithAntiJoinRule: a SEMI (ANTI) join of the left branch
//    with the right one on every column, NULL matching NULL (IS NOT DISTINCT
//    FROM), then the GroupAggregate of SELECT DISTINCT (none when the left
//    branch's rows are unique already: FlinkAggregateRemoveRule);
//  - INTERSECT ALL and EXCEPT ALL are Flink's RewriteIntersectAllRule and
//    RewriteMinusAllRule: both branches UNION ALL with marker columns, a
//    GroupAggregate by every column counting each side's rows
//    (COUNT(vcol_left_marker), COUNT(vcol_right_marker); or SUM(vcol_marker)
//    of +1 / -1), a Calc keeping rows that are in the result (both counts >= 1;
//    the sum > 0) with the number of copies (the smaller count; the sum), and
//    a replicate that writes each row that many times (Flink's ReplicateRows).
//    Every step passes the changelog on as Flink's do: an updated count
//    retracts its copies (-U) and writes the new ones (+U).
#include <algorithm>

#include "core/expr/builders.hpp"
#include "core/sql/printer.hpp"
#include "pipelines/operator_kinds/calc/calc.hpp"
#include "pipelines/operator_kinds/group_aggregate/group_aggregate.hpp"
#include "pipelines/operator_kinds/join/join.hpp"
#include "pipelines/operator_kinds/replicate/replicate.hpp"
#include "pipelines/operator_kinds/union_all/union_all.hpp"
#include "pipelines/sql/planner_helpers.hpp"
#include "pipelines/sql/query_planner.hpp"

namespace ananas::pipeline::planner {

namespace {

std::string set_op_name(sql::SetOp op) {
  switch (op) {
    case sql::SetOp::UnionAll: return "UNION ALL";
    case sql::SetOp::Union: return "UNION";
    case sql::SetOp::IntersectAll: return "INTERSECT ALL";
    case sql::SetOp::Intersect: return "INTERSECT";
    case sql::SetOp::ExceptAll: return "EXCEPT ALL";
    case sql::SetOp::Except: return "EXCEPT";
  }
  return "?";
}

// The operands of a chain of one set operation, left to right:
// (a UNION ALL b) UNION ALL c gives a, b, c.
void collect_branches(const sql::QueryNode& n, sql::SetOp op, std::vector<const sql::QueryNode*>& out) {
  if (n.kind == sql::QueryNodeKind::SetOperation && n.as<sql::SetOperation>().op == op) {
    const auto& s = n.as<sql::SetOperation>();
    collect_branches(*s.left, op, out);
    collect_branches(*s.right, op, out);
    return;
  }
  out.push_back(&n);
}

// A type with neither nullability nor time attribute: what a cast changes.
Type plain(const Type& t) { return t.with_nullable(true).with_time_attr(TimeAttr::None); }

}  // namespace

Relation QueryPlanner::plan_set_operation(const sql::SetOperation& s) {
  const std::string what = set_op_name(s.op);
  const bool union_op = s.op == sql::SetOp::UnionAll || s.op == sql::SetOp::Union;
  std::vector<const sql::QueryNode*> operands;
  if (union_op) collect_branches(s, s.op, operands);
  else operands = {s.left.get(), s.right.get()};  // (a INTERSECT b) INTERSECT c: two joins
  std::vector<Relation> branches;
  for (const sql::QueryNode* n : operands) {
    Relation r = plan_query_node(*n);
    if (r.window) r = materialize_window(std::move(r));
    if (!branches.empty() && r.columns.size() != branches.front().columns.size())
      throw InputError(n->loc, "Column count mismatch in " + what);
    branches.push_back(std::move(r));
  }

  // Column i's type: the least restrictive over the branches.
  const Relation& first = branches.front();
  std::vector<Type> types;
  for (size_t c = 0; c < first.columns.size(); ++c) {
    Type t = first.columns[c].type;
    for (size_t b = 1; b < branches.size(); ++b) {
      const Type& other = branches[b].columns[c].type;
      std::optional<Type> common = plain(t) == plain(other) ? std::optional<Type>(t) : expr::common_type(t, other);
      if (!common) throw InputError(operands[b]->loc, "Type mismatch in column " + std::to_string(c + 1) + " of " + what);
      Type merged = *common;
      merged = merged.with_nullable(t.nullable || other.nullable);
      // A time attribute survives only where every branch has the same one.
      merged = merged.with_time_attr(t.time_attr == other.time_attr ? t.time_attr : TimeAttr::None);
      t = merged;
    }
    types.push_back(t);
  }

  Changelog changelog = Changelog::InsertOnly;
  std::string update_producer;
  for (const Relation& r : branches)
    if (r.changelog == Changelog::Updating) {
      changelog = Changelog::Updating;
      if (update_producer.empty()) update_producer = r.update_producer;
    }
  Relation out;
  for (size_t c = 0; c < first.columns.size(); ++c) {
    RelationColumn col = first.columns[c];
    col.qualifiers.clear();
    col.type = types[c];
    out.columns.push_back(std::move(col));
  }
  out.changelog = changelog;
  out.update_producer = update_producer;

  // Each branch as the set operation reads it: under `names`, in the common
  // types, with `extra` columns (name, expression) appended. A branch already
  // in that shape is read as it is, unless an earlier branch is the same node
  // (a node is read once per union or join).
  std::vector<std::string> inputs;
  auto branch_input = [&](size_t b, const std::vector<std::string>& names,
                          const std::vector<std::pair<std::string, std::string>>& extra) {
    const Relation& r = branches[b];
    const SourceLocation& loc = operands[b]->loc;
    Calc project;
    project.select.emplace();
    const bool read_already = std::find(inputs.begin(), inputs.end(), r.node) != inputs.end();
    bool identity = !read_already && extra.empty();
    for (size_t c = 0; c < r.columns.size(); ++c) {
      const std::string column = sql::identifier_sql(r.columns[c].name);
      const bool cast = plain(r.columns[c].type) != plain(types[c]);
      identity = identity && !cast && r.columns[c].name == names[c];
      project.select->push_back({names[c], Expr{cast ? "CAST(" + column + " AS " + plain(types[c]).to_sql() + ")" : column, loc}, loc});
    }
    for (const auto& [name, expr] : extra) project.select->push_back({name, Expr{expr, loc}, loc});
    if (identity) inputs.push_back(r.node);
    // Not fused into that node's calc when an earlier branch is that node.
    else if (read_already) inputs.push_back(add_operator("set_branch", r.node, std::move(project), loc).name);
    else inputs.push_back(add_calc(union_op ? "union_branch" : "set_branch", r.node, std::move(project), loc));
  };
  std::vector<std::string> names;
  for (const RelationColumn& c : first.columns) names.push_back(c.name);

  if (union_op) {
    for (size_t b = 0; b < branches.size(); ++b) branch_input(b, names, {});
    Operator& op = add_operator("union_all", inputs.front(), UnionAll{}, s.loc);
    op.more_inputs.assign(inputs.begin() + 1, inputs.end());
    out.node = op.name;
    if (s.op == sql::SetOp::Union) return plan_distinct(std::move(out), s.loc);
    return out;
  }
  if (s.op == sql::SetOp::Intersect || s.op == sql::SetOp::Except) {
    // The left branch's upsert key, under the result's names: its rows stay unique through the join.
    for (const std::string& k : first.upsert_key) out.upsert_key.push_back(names[*first.find_unique(k)]);
    return plan_semi_anti_set(s, std::move(out), branch_input, inputs);
  }
  return plan_counted_set(s, std::move(out), branch_input, inputs);
}

Relation QueryPlanner::plan_semi_anti_set(const sql::SetOperation& s, Relation out, const BranchInput& branch_input,
                                          const std::vector<std::string>& inputs) {
  // The right branch's columns renamed apart from the left's, as Calcite's join row type does (s, s0).
  std::vector<std::string> left_names, right_names;
  std::vector<RelationColumn> taken = out.columns;
  for (const RelationColumn& c : out.columns) {
    left_names.push_back(c.name);
    RelationColumn renamed = c;
    renamed.name = uniquified(taken, c.name);
    right_names.push_back(renamed.name);
    taken.push_back(std::move(renamed));
  }
  branch_input(0, left_names, {});
  branch_input(1, right_names, {});
  const bool anti = s.op == sql::SetOp::Except;
  Join join;
  join.join_type = anti ? "anti" : "semi";
  join.left_key = left_names;
  join.right_key = right_names;
  join.null_safe = true;
  Operator& op = add_operator(anti ? "except" : "intersect", inputs[0], std::move(join), s.loc);
  op.more_inputs = {inputs[1]};
  op.input_location = s.loc;
  std::string where, select;
  for (size_t c = 0; c < left_names.size(); ++c) {
    where += (where.empty() ? "" : ", ") + std::string("IS NOT DISTINCT FROM(") + left_names[c] + ", " + right_names[c] + ")";
    select += (select.empty() ? "" : ", ") + left_names[c];
  }
  out.node = op.name;
  out.changelog = output_changelog(op, out.changelog);
  out.update_producer = std::string("Join(joinType=[") + (anti ? "LeftAntiJoin" : "LeftSemiJoin") + "], where=[" +
                        (left_names.size() > 1 ? "AND(" + where + ")" : where) + "], select=[" + select + "])";
  for (RelationColumn& c : out.columns) c.type = c.type.with_time_attr(TimeAttr::None);
  // Rows unique already (the left branch has an upsert key) need no DISTINCT:
  // Flink's FlinkAggregateRemoveRule drops it, as for SELECT DISTINCT.
  if (!out.upsert_key.empty()) return out;
  return plan_distinct(std::move(out), s.loc);
}

Relation QueryPlanner::plan_counted_set(const sql::SetOperation& s, Relation out, const BranchInput& branch_input,
                                        const std::vector<std::string>& inputs) {
  const bool intersect = s.op == sql::SetOp::IntersectAll;
  std::vector<std::string> names;
  for (const RelationColumn& c : out.columns) names.push_back(c.name);
  // Flink's marker and count columns, named apart from the branches' columns.
  std::vector<RelationColumn> taken = out.columns;
  auto fresh = [&](const std::string& wanted) {
    const std::string name = unique_column_name(taken, wanted);
    taken.push_back(RelationColumn{name, name, {}, Type::bigint(), false});
    return name;
  };
  std::vector<Aggregate> aggregates;
  std::string times, keep;
  if (intersect) {
    const std::string left_marker = fresh("vcol_left_marker"), right_marker = fresh("vcol_right_marker");
    branch_input(0, names, {{left_marker, "TRUE"}, {right_marker, "CAST(NULL AS BOOLEAN)"}});
    branch_input(1, names, {{left_marker, "CAST(NULL AS BOOLEAN)"}, {right_marker, "TRUE"}});
    const std::string left_count = fresh("vcol_left_cnt"), right_count = fresh("vcol_right_cnt");
    aggregates.push_back({left_count, "COUNT", {Expr{sql::identifier_sql(left_marker), s.loc}}, false, {}, s.loc});
    aggregates.push_back({right_count, "COUNT", {Expr{sql::identifier_sql(right_marker), s.loc}}, false, {}, s.loc});
    const std::string l = sql::identifier_sql(left_count), r = sql::identifier_sql(right_count);
    keep = l + " >= 1 AND " + r + " >= 1";
    times = "IF(" + l + " > " + r + ", " + r + ", " + l + ")";
  } else {
    const std::string marker = fresh("vcol_marker");
    branch_input(0, names, {{marker, "CAST(1 AS BIGINT)"}});
    branch_input(1, names, {{marker, "CAST(-1 AS BIGINT)"}});
    const std::string sum = fresh("sum_vcol_marker");
    aggregates.push_back({sum, "SUM", {Expr{sql::identifier_sql(marker), s.loc}}, false, {}, s.loc});
    keep = sql::identifier_sql(sum) + " > 0";
    times = sql::identifier_sql(sum);
  }

  Operator& u = add_operator("set_union", inputs[0], UnionAll{}, s.loc);
  u.more_inputs = {inputs[1]};
  const std::string update_producer = group_aggregate_description(names, aggregates);
  Operator& group = add_operator("set_count", u.name, GroupAggregate{names, aggregates}, s.loc);
  const std::string group_name = group.name;
  const Changelog counted = output_changelog(group, out.changelog);

  // Rows in the result, with their number of copies first.
  Calc calc;
  calc.where = Expr{keep, s.loc};
  calc.select.emplace();
  const std::string copies = fresh("$f0");
  calc.select->push_back({copies, Expr{times, s.loc}, s.loc});
  for (const auto& n : names) calc.select->push_back({n, Expr{sql::identifier_sql(n), s.loc}, s.loc});
  const std::string filtered = add_calc("set_filter", group_name, std::move(calc), s.loc);
  Operator& replicate = add_operator("set_replicate", filtered, Replicate{copies}, s.loc);
  out.node = replicate.name;
  out.changelog = counted;
  out.update_producer = update_producer;
  out.upsert_key.clear();  // a row may come out several times
  for (RelationColumn& c : out.columns) c.type = c.type.with_time_attr(TimeAttr::None);
  return out;
}

}  // namespace ananas::pipeline::planner
