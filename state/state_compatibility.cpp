#include "state/state_compatibility.hpp"

#include <cstdio>

namespace ananas::state {
namespace {

std::string describe(const ops::StateLayout& l) {
  char fp[20];
  std::snprintf(fp, sizeof fp, "%016llx", static_cast<unsigned long long>(l.fingerprint));
  return l.kind + " state version " + std::to_string(l.version) + ", layout " + fp + ", " +
         std::to_string(l.key_groups) + " key groups";
}

}  // namespace

std::string layout_changes(const std::map<std::string, ops::StateLayout>& kept,
                           const std::map<std::string, ops::StateLayout>& now_by_node) {
  std::string problems;
  for (const auto& [node, stored] : kept) {
    auto it = now_by_node.find(node);
    if (it == now_by_node.end()) {
      problems += "\n  - operator '" + node + "' (" + stored.kind + ") holds state but is no longer in the pipeline";
      continue;
    }
    const ops::StateLayout& now = it->second;
    if (now.kind != stored.kind || now.version != stored.version || now.fingerprint != stored.fingerprint ||
        now.key_groups != stored.key_groups)
      problems += "\n  - operator '" + node + "': the state holds " + describe(stored) + "; the pipeline now needs " +
                  describe(now) +
                  (now.kind == stored.kind && now.version == stored.version ? " (its configuration or input schema changed)"
                                                                            : "");
  }
  return problems;
}

std::optional<std::string> incompatibility(const CheckpointRecord& r,
                                           const std::map<std::string, ops::StateLayout>& operators_now) {
  std::map<std::string, ops::StateLayout> kept;
  for (const auto& [node, stored] : r.operators) kept[node] = stored.layout;
  const std::string problems = layout_changes(kept, operators_now);
  if (problems.empty()) return std::nullopt;
  return "checkpoint " + std::to_string(r.id) + " of pipeline '" + r.pipeline +
         "' cannot be restored: its state would mean something else now:" + problems +
         "\nTo discard the stored state and start from the sources' scan.startup.mode, stop the pipeline and run "
         "`ananas reset " + r.pipeline + " --bootstrap-servers ...` (or --config with the worker's config).";
}

}  // namespace ananas::state
