#pragma once
// The model of a union_all operator (UNION ALL of several inputs); its
// definition is union_all_kind.cpp. Its inputs are the operator's `input`
// and `more_inputs` (YAML `inputs: [a, b, ...]`); it has no keys of its own.
#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

struct UnionAll {
  bool operator==(const UnionAll&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
