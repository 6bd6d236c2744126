#pragma once
// The model of a join operator (a regular equi-join of two inputs); its
// definition is join_kind.cpp. The operator's inputs are the left side and
// the right side (YAML `inputs: [left, right]`).
#include <optional>
#include <string>
#include <vector>

#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

struct Join {
  std::string join_type = "inner";     // inner, left, right, full
  std::vector<std::string> left_key;   // columns of the left input
  std::vector<std::string> right_key;  // columns of the right input, pairwise equal to left_key's
  std::optional<Expr> condition;       // more of the ON condition, over both inputs' columns
  bool operator==(const Join&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
