#pragma once
// Whether a stored checkpoint can serve a pipeline as it is defined now.
// Following Flink's savepoint rules: an operator whose state the checkpoint
// holds must still exist, under the same name, keeping state of the same
// kind, format version, layout (configuration and input schema) and key-group
// count; its parallelism may change (key groups move). An operator that is
// new starts empty; stateless operators (filters, projections) may change
// freely. Anything else would restore state that means something else, so it
// is refused, with the way out.
#include <map>
#include <optional>
#include <string>

#include "operators/operator_snapshot.hpp"
#include "state/checkpoint_record.hpp"

namespace ananas::state {

// What keeps the state of operators laid out as `kept` (by node) from
// serving operators laid out as `now`: one "\n  - operator ..." line per
// operator; empty when nothing does.
std::string layout_changes(const std::map<std::string, ops::StateLayout>& kept,
                           const std::map<std::string, ops::StateLayout>& now);

// Why checkpoint `r` cannot be restored into operators with these layouts
// (by node name), or nothing when it can.
std::optional<std::string> incompatibility(const CheckpointRecord& r,
                                           const std::map<std::string, ops::StateLayout>& operators_now);

}  // namespace ananas::state
