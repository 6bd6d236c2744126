#pragma once
// The model of an unnest operator (CROSS JOIN UNNEST); its definition is unnest_kind.cpp.
#include <string>
#include <vector>

#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

struct Unnest {
  Expr array;
  std::vector<std::string> columns;  // the ROW's fields, or one name for a scalar array
  bool with_ordinality = false;      // if true, the last of `columns` is the ordinality
  bool left_outer = false;           // LEFT JOIN UNNEST(...) ON TRUE: keep rows without elements, with NULLs
  bool operator==(const Unnest&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
