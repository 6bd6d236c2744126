#pragma once
// The model of a window_aggregate operator (GROUP BY window_start, window_end
// over a window TVF); its definition is window_aggregate_kind.cpp.
#include <string>
#include <vector>

#include "pipelines/operator_kinds/common/aggregate_model.hpp"
#include "pipelines/operator_kinds/common/window_model.hpp"

namespace ananas::pipeline {

struct WindowAggregate {
  WindowSpec window;
  std::vector<std::string> keys;
  std::vector<Aggregate> aggregates;
  bool operator==(const WindowAggregate&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
