#pragma once
// Internal: how a set of operands is compared once widened to their common type.
#include <optional>
#include <vector>

#include "core/expr/compiled_expr.hpp"

namespace ananas::expr::detail {

enum class CompareKind { Int, Bool, Double, Decimal, String };

struct PreparedComparison {
  CompareKind kind = CompareKind::Int;
  std::vector<CompiledExprPtr> operands;  // widened where the representation changes
  std::vector<int> scales;                // Decimal: each operand's scale
};

// nullopt when the operands have no common type (VARCHAR vs INT).
std::optional<PreparedComparison> prepare_comparison(const std::vector<CompiledExprPtr>& operands);

// Three-way order of two values compared as CompareKind::Int: integers,
// dates, times, intervals, and timestamps including their nanoseconds below
// the millisecond (Value::timestamp; 0 for every other kind of Int).
inline int compare_int_values(const Value& x, const Value& y) {
  if (x.u.i != y.u.i) return x.u.i < y.u.i ? -1 : 1;
  return x.len < y.len ? -1 : (x.len > y.len ? 1 : 0);
}

}  // namespace ananas::expr::detail
