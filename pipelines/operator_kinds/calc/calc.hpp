#pragma once
// The model of a calc operator (WHERE and/or a projection); its definition is calc_kind.cpp.
#include <optional>
#include <vector>

#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

struct Calc {
  std::optional<Expr> where;
  std::optional<std::vector<NamedExpr>> select;  // absent: all input columns
  bool operator==(const Calc&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
