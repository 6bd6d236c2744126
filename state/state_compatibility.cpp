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

std::optional<std::string> incompatibility(const CheckpointRecord& r,
                                           const std::map<std::string, ops::StateLayout>& operators_now) {
  std::string problems;
  for (const auto& [node, stored] : r.operators) {
    auto it = operators_now.find(node);
    if (it == operators_now.end()) {
      problems += "\n  - operator '" + node + "' (" + stored.layout.kind +
                  ") holds state in the checkpoint but is no longer in the pipeline";
      continue;
    }
    const ops::StateLayout& now = it->second;
    if (now.kind != stored.layout.kind || now.version != stored.layout.version ||
        now.fingerprint != stored.layout.fingerprint || now.key_groups != stored.layout.key_groups)
      problems += "\n  - operator '" + node + "': the checkpoint holds " + describe(stored.layout) +
                  "; the pipeline now needs " + describe(now) +
                  (now.kind == stored.layout.kind && now.version == stored.layout.version
                       ? " (its configuration or input schema changed)"
                       : "");
  }
  if (problems.empty()) return std::nullopt;
  return "checkpoint " + std::to_string(r.id) + " of pipeline '" + r.pipeline +
         "' cannot be restored: its state would mean something else now:" + problems +
         "\nTo discard the stored state and start from the sources' scan.startup.mode, stop the pipeline and run "
         "`ananas reset " + r.pipeline + " --bootstrap-servers ...` (or --config with the worker's config).";
}

}  // namespace ananas::state
