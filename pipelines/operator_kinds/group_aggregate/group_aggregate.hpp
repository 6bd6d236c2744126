#pragma once
// The model of a group_aggregate operator (GROUP BY without a window); its
// definition is group_aggregate_kind.cpp.
#include <string>
#include <vector>

#include "pipelines/operator_kinds/common/aggregate_model.hpp"

namespace ananas::pipeline {

struct GroupAggregate {
  std::vector<std::string> keys;
  std::vector<Aggregate> aggregates;
  bool operator==(const GroupAggregate&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
