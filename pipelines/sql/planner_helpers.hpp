#pragma once
// Small pieces of query_planner.cpp that the planner's other files share.
#include <string>
#include <utility>
#include <vector>

#include "core/sql/ast.hpp"
#include "pipelines/model.hpp"
#include "pipelines/sql/relation.hpp"

namespace ananas::pipeline::planner {

std::string upper(std::string s);
// The expression as model text, located where it was written.
Expr model_expr(const sql::Expr& e);
// A new column named `sql_name` (made unique among `existing`) of type `type`.
RelationColumn derived_column(const std::vector<RelationColumn>& existing, const std::string& sql_name, Type type);
// The type of a column reference (ROW fields followed) or CAST; NULL type when only the binder can tell.
Type static_type(const Relation& rel, const sql::Expr& e);
// The name Flink gives a select item: its alias, the column it references, or EXPR$i.
std::string item_name(const sql::SelectItem& item, size_t position);
// SELECT items over `rel` as a calc's select list; `*` and `t.*` expand.
std::vector<std::pair<RelationColumn, Expr>> select_list(const sql::Select& s, const Relation& rel,
                                                         std::vector<RelationColumn>& out_columns);

// How Flink's plan names a group aggregation (the node its changelog errors cite):
// GroupAggregate(groupBy=[id, name], select=[id, name, COUNT(*) AS nr]).
std::string group_aggregate_description(const std::vector<std::string>& keys, const std::vector<Aggregate>& aggs);
// What an operator emits, as its kind defines it (pipelines/operator_kinds/).
Changelog output_changelog(const Operator& op, Changelog input);

// Calcite's uniquifier of a join's right columns: name, name0, name1, ... (join_planner.cpp).
std::string uniquified(const std::vector<RelationColumn>& taken, const std::string& name);
// The conjuncts of an AND tree, left to right (`a AND (b AND c)` gives a, b, c).
void conjuncts(const sql::Expr& e, std::vector<const sql::Expr*>& out);
// Whether `e` holds a call with an OVER window (over_planner.cpp).
bool has_over(const sql::Expr& e);
// The window an OVER call names or writes, with a WINDOW clause reference of `s` resolved (over_planner.cpp).
sql::OverSpec resolved_window(const sql::OverSpec& spec, const sql::Select& s);

}  // namespace ananas::pipeline::planner
