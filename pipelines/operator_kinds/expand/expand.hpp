#pragma once
// The model of an expand operator (the first half of GROUPING SETS, ROLLUP
// and CUBE); its definition is expand_kind.cpp.
#include <string>
#include <vector>

#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

struct Expand {
  std::vector<std::string> grouping;           // the grouping columns, in GROUP BY order
  std::vector<std::vector<std::string>> sets;  // per grouping set: the grouping columns it keeps
  std::string id_column = "$e";                // the expand id column it appends
  bool operator==(const Expand&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
