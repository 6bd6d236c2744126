#pragma once
// The model of a replicate operator (each row as many times as a count
// column says: the last step of INTERSECT ALL and EXCEPT ALL); its
// definition is replicate_kind.cpp.
#include <string>

#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

struct Replicate {
  std::string times;  // the integer column holding each row's number of copies; not in the output
  bool operator==(const Replicate&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
