#include "pipelines/sql/grouping_functions.hpp"

#include <algorithm>
#include <cctype>

#include "core/diagnostic.hpp"
#include "operators/expand.hpp"
#include "pipelines/sql/ast_walk.hpp"

namespace ananas::pipeline::planner {

namespace {

bool is_grouping_call(const sql::Expr& e) {
  if (e.kind != sql::ExprKind::Call) return false;
  std::string name = e.as<sql::Call>().name;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  return name == "GROUPING" || name == "GROUPING_ID";
}

sql::ExprPtr integer_literal(int64_t value, const SourceLocation& loc) {
  auto literal = std::make_unique<sql::Literal>(loc);
  literal->literal_kind = sql::LiteralKind::Integer;
  literal->text = std::to_string(value);
  return literal;
}

// Calcite types GROUPING and GROUPING_ID as BIGINT NOT NULL.
sql::ExprPtr as_bigint(sql::ExprPtr e, const SourceLocation& loc) {
  auto cast = std::make_unique<sql::Cast>(loc);
  cast->operand = std::move(e);
  cast->target = Type::bigint().with_nullable(false);
  return cast;
}

sql::ExprPtr grouping_value_expr(const sql::Call& call, const GroupingSetsIds& ids,
                                 const std::function<std::optional<size_t>(const sql::Expr&)>& column_of) {
  if (call.args.empty()) throw InputError(call.loc, "Invalid number of arguments to function '" + call.name + "'");
  if (call.args.size() > 63) throw InputError(call.args[63]->loc, call.name + " takes at most 63 arguments");
  std::vector<size_t> columns;
  for (const auto& arg : call.args) {
    std::optional<size_t> column = column_of(*arg);
    if (!column) throw InputError(arg->loc, "Argument to " + call.name + " operator must be a grouped expression");
    columns.push_back(*column);
  }
  if (ids.sets.empty()) return as_bigint(integer_literal(0, call.loc), call.loc);
  // CASE WHEN $e = <set's id> THEN <value> ... ELSE <the last set's value> END
  auto result = std::make_unique<sql::Case>(call.loc);
  for (size_t i = 0; i < ids.sets.size(); ++i) {
    // The bits are the expand id's, over the call's arguments instead of every key.
    sql::ExprPtr value = integer_literal(ops::expand_id(columns, ids.sets[i]), call.loc);
    if (i + 1 == ids.sets.size()) {
      result->else_result = std::move(value);
      break;
    }
    auto id = std::make_unique<sql::Identifier>(call.loc);
    id->parts = {ids.id_column};
    id->part_locs = {call.loc};
    auto equal = std::make_unique<sql::Binary>(call.loc);
    equal->op = sql::BinaryOp::Equal;
    equal->op_loc = call.loc;
    equal->left = std::move(id);
    equal->right = integer_literal(ops::expand_id(ids.key_columns, ids.sets[i]), call.loc);
    result->whens.push_back({std::move(equal), std::move(value)});
  }
  return as_bigint(std::move(result), call.loc);
}

}  // namespace

void replace_grouping_functions(sql::ExprPtr& e, const GroupingSetsIds& ids,
                                const std::function<std::optional<size_t>(const sql::Expr&)>& column_of) {
  if (is_grouping_call(*e)) {
    e = grouping_value_expr(e->as<sql::Call>(), ids, column_of);
    return;
  }
  for_each_child(*e, [&](sql::ExprPtr& c) { replace_grouping_functions(c, ids, column_of); });
}

}  // namespace ananas::pipeline::planner
