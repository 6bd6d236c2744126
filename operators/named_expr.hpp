#pragma once
// An output column computed by an expression: a projection item, a group key.
#include <string>
#include <vector>

#include "core/expr/compiled_expr.hpp"
#include "core/schema.hpp"

namespace ananas::ops {

struct NamedExpr {
  std::string name;
  expr::CompiledExprPtr expr;
};

inline std::vector<Column> columns_of(const std::vector<NamedExpr>& items) {
  std::vector<Column> cols;
  cols.reserve(items.size());
  for (const auto& it : items) cols.push_back({it.name, it.expr->type()});
  return cols;
}

}  // namespace ananas::ops
