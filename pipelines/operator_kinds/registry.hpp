#pragma once
// Looking up operator kinds (the list is all_kinds.hpp).
#include <string_view>
#include <vector>

#include "pipelines/operator_kinds/operator_kind.hpp"

namespace ananas::pipeline {

// Every registered kind, in registry order.
const std::vector<const OperatorKind*>& operator_kinds();
// The kind of an operator's model.
const OperatorKind& kind_of(const OperatorBody& body);
inline const OperatorKind& kind_of(const Operator& op) { return kind_of(op.body); }
// The kind with this YAML name, or nullptr.
const OperatorKind* find_operator_kind(std::string_view name);

}  // namespace ananas::pipeline
