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

}  // namespace ananas::expr::detail
