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
//  - INTERSECT and EXCEPT are not translated yet.
#include <algorithm>

#include "core/expr/builders.hpp"
#include "core/sql/printer.hpp"
#include "pipelines/operator_kinds/calc/calc.hpp"
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
  if (s.op != sql::SetOp::UnionAll && s.op != sql::SetOp::Union)
    throw InputError(s.loc, set_op_name(s.op) + " is not supported yet; UNION ALL and UNION are");
  const std::string what = set_op_name(s.op);
  std::vector<const sql::QueryNode*> operands;
  collect_branches(s, s.op, operands);
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

  // Each branch as the union reads it: the first branch's column names, the
  // common types. A branch already in that shape is read as it is, unless an
  // earlier branch is the same node (a node is read once per union).
  std::vector<std::string> inputs;
  Changelog changelog = Changelog::InsertOnly;
  std::string update_producer;
  for (size_t b = 0; b < branches.size(); ++b) {
    const Relation& r = branches[b];
    if (r.changelog == Changelog::Updating) {
      changelog = Changelog::Updating;
      if (update_producer.empty()) update_producer = r.update_producer;
    }
    Calc project;
    project.select.emplace();
    const bool read_already = std::find(inputs.begin(), inputs.end(), r.node) != inputs.end();
    bool identity = !read_already;
    for (size_t c = 0; c < r.columns.size(); ++c) {
      const std::string column = sql::identifier_sql(r.columns[c].name);
      const bool cast = plain(r.columns[c].type) != plain(types[c]);
      identity = identity && !cast && r.columns[c].name == first.columns[c].name;
      project.select->push_back({first.columns[c].name,
                                 Expr{cast ? "CAST(" + column + " AS " + plain(types[c]).to_sql() + ")" : column, operands[b]->loc},
                                 operands[b]->loc});
    }
    if (identity) {
      inputs.push_back(r.node);
    } else if (read_already) {
      // Not fused into that node's calc: an earlier branch is that node.
      inputs.push_back(add_operator("union_branch", r.node, std::move(project), operands[b]->loc).name);
    } else {
      inputs.push_back(add_calc("union_branch", r.node, std::move(project), operands[b]->loc));
    }
  }

  Operator& op = add_operator("union_all", inputs.front(), UnionAll{}, s.loc);
  op.more_inputs.assign(inputs.begin() + 1, inputs.end());
  Relation out;
  out.node = op.name;
  for (size_t c = 0; c < first.columns.size(); ++c) {
    RelationColumn col = first.columns[c];
    col.qualifiers.clear();
    col.type = types[c];
    out.columns.push_back(std::move(col));
  }
  out.changelog = changelog;
  out.update_producer = update_producer;
  if (s.op == sql::SetOp::Union) return plan_distinct(std::move(out), s.loc);
  return out;
}

}  // namespace ananas::pipeline::planner
