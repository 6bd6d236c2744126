#pragma once
// Visits the direct sub-expressions of an expression node, as mutable
// pointers so callers can rewrite the tree in place (column renaming,
// replacing aggregate calls by references to their result columns).
#include <functional>

#include "core/sql/ast.hpp"

namespace ananas::pipeline::planner {

void for_each_child(sql::Expr& e, const std::function<void(sql::ExprPtr&)>& fn);
void for_each_child(const sql::Expr& e, const std::function<void(const sql::Expr&)>& fn);

}  // namespace ananas::pipeline::planner
