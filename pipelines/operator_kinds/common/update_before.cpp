#include "pipelines/operator_kinds/common/update_before.hpp"

#include <algorithm>

#include "pipelines/graph/table_connectors.hpp"
#include "pipelines/operator_kinds/registry.hpp"

namespace ananas::pipeline {

bool consumers_need_update_before(const Pipeline& p, const std::string& node, size_t key_count) {
  for (const auto& op : p.operators) {
    const auto inputs = op.inputs();
    if (std::find(inputs.begin(), inputs.end(), node) == inputs.end()) continue;
    if (kind_of(op).needs_update_before(op.body)) return true;
    if (consumers_need_update_before(p, op.name, key_count)) return true;
  }
  for (const auto& s : p.sinks) {
    if (s.input != node) continue;
    if (!sink_writes_upserts(s.connector) || s.primary_key.size() != key_count) return true;
  }
  return false;
}

}  // namespace ananas::pipeline
