#pragma once
// Finding aggregate calls (COUNT, SUM, MIN, MAX, AVG, LISTAGG) in SELECT and
// HAVING, computing each distinct call once, and replacing the calls by
// references to the aggregation's result columns.
#include <functional>
#include <string>
#include <vector>

#include "core/sql/ast.hpp"
#include "core/types.hpp"
#include "pipelines/sql/relation.hpp"

namespace ananas::pipeline::planner {

// Upper-case aggregate names Ananas computes.
bool is_supported_aggregate(const std::string& upper_name);
// Any aggregate name Flink knows (supported or not), for clear errors.
bool is_aggregate_name(const std::string& upper_name);

struct AggregateList {
  std::vector<const sql::Call*> calls;  // structurally distinct calls, in first-seen order
};

bool contains_aggregate(const sql::Expr& e);
std::vector<const sql::Call*> aggregate_calls(const sql::Expr& e);
// Adds e's aggregate calls to `list` (deduplicated by structural equality).
// Rejects nested aggregates and unsupported aggregate functions.
void collect_aggregates(const sql::Expr& e, AggregateList& list);
// A copy of `e` with every aggregate call replaced by an identifier naming its result column.
sql::ExprPtr replace_aggregates(const sql::Expr& e, const AggregateList& list, const std::function<std::string(size_t)>& name_of);
// Throws "column 'x' is neither grouped nor aggregated" for references that
// exist in the aggregation's input but not in its output.
void check_grouped(const sql::Expr& e, const Relation& output, const Relation& input);

// Flink's result type of an aggregate over an argument of type `arg`
// (COUNT: BIGINT NOT NULL; SUM/MIN/MAX/AVG: the argument's type; LISTAGG: STRING).
Type aggregate_result_type(const std::string& upper_name, const Type& arg);

}  // namespace ananas::pipeline::planner
