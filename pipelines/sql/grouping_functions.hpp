#pragma once
// GROUPING(e, ...) and GROUPING_ID(e, ...) in an aggregating SELECT or HAVING
// (Flink docs, Queries > Group Aggregation > GROUPING SETS; Calcite's
// SqlGroupingFunction): a BIGINT with one bit per argument, the first the
// most significant, set when the grouping set a row belongs to leaves that
// expression out. Flink's DecomposeGroupingSetsRule turns each call into a
// CASE over the expand id `$e`; so does this, with the values worked out
// from the grouping sets. Without GROUPING SETS every key is grouped: 0.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/sql/ast.hpp"

namespace ananas::pipeline::planner {

struct GroupingSetsIds {
  std::vector<size_t> key_columns;        // the grouping columns, in the expand id's bit order
  std::vector<std::vector<size_t>> sets;  // per grouping set, the key columns it keeps; empty: no GROUPING SETS
  std::string id_column;                  // the expand id's SQL name
};

// Replaces every GROUPING / GROUPING_ID call in `e` by its value. `column_of`
// gives an argument's key column, or nothing when it is not a grouped
// expression (Calcite's error then, at the argument).
void replace_grouping_functions(sql::ExprPtr& e, const GroupingSetsIds& ids,
                                const std::function<std::optional<size_t>(const sql::Expr&)>& column_of);

}  // namespace ananas::pipeline::planner
