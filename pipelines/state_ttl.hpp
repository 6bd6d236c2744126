#pragma once
// A pipeline's `state_ttl` setting (Flink's `table.exec.state.ttl`): the time
// an operator keeps a key's state after its last write. Ananas applies it in
// the non-windowed GROUP BY (operators/group_aggregate.hpp) and the regular
// join (operators/regular_join.hpp); the kinds that
// Flink would expire but Ananas does not yet (OperatorKind::ignores_state_ttl)
// are named in a warning rather than silently kept forever.
#include <cstdint>
#include <optional>

#include "core/diagnostic.hpp"
#include "pipelines/model.hpp"

namespace ananas::pipeline {

// The setting in milliseconds; 0 when unset (Flink's default: state never expires).
int64_t state_ttl_ms(const Pipeline& p);

// With a state_ttl set: the warning, at the setting, naming the operators of
// `p` that keep their state regardless; nullopt when none does.
std::optional<Warning> state_ttl_not_applied(const Pipeline& p);

}  // namespace ananas::pipeline
