#pragma once
// The model of an upsert_materialize operator; its definition is upsert_materialize_kind.cpp.
#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

// Turns a changelog into upserts on the operator's `key` (the sink primary key).
struct UpsertMaterialize {
  bool operator==(const UpsertMaterialize&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
