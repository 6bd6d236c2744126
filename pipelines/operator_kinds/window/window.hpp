#pragma once
// The model of a window operator; its definition is window_kind.cpp.
#include "pipelines/operator_kinds/common/window_model.hpp"

namespace ananas::pipeline {

// A window TVF without aggregation: input columns + window_start/end/time.
struct Window {
  WindowSpec window;
  bool operator==(const Window&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
