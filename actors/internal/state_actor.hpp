#pragma once
// The detached actor that owns a pipeline's durable checkpoint storage.
// Internal (CAF types).
#include "actors/internal/actor_interfaces.hpp"

namespace ananas::rt {

state_actor spawn_state_actor(caf::actor_system& sys, state::StorageOptions options);

}  // namespace ananas::rt
