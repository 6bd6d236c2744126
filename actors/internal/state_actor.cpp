#include "actors/internal/state_actor.hpp"

#include "actors/internal/errors.hpp"

namespace ananas::rt {
namespace {

struct state_actor_state {
  std::unique_ptr<state::KafkaCheckpointStorage> storage;
  static inline const char* name = "ananas.state";
};

using state_self = state_actor::stateful_pointer<state_actor_state>;

state_actor::behavior_type state_behavior(state_self self, state::StorageOptions options) {
  self->state.storage = std::make_unique<state::KafkaCheckpointStorage>(std::move(options));
  // A storage call that throws answers that request with an error; the actor lives on.
  return {
      [self](msg::load_atom) -> caf::result<RestoredPtr> {
        try {
          auto restored = self->state.storage->load();
          if (!restored) return RestoredPtr{};
          return std::make_shared<state::Restored>(std::move(*restored));
        } catch (const std::exception& e) {
          return make_error(FailureKind::RestoreFailed, e.what());
        }
      },
      [self](msg::persist_atom, DurableCheckpointPtr& c) -> caf::result<state::PersistStats> {
        try {
          return self->state.storage->persist(c->id, c->positions, *c->state);
        } catch (const std::exception& e) {
          return make_error(FailureKind::CheckpointFailed, e.what());
        }
      },
  };
}

}  // namespace

state_actor spawn_state_actor(caf::actor_system& sys, state::StorageOptions options) {
  return sys.spawn<caf::detached>(state_behavior, std::move(options));
}

}  // namespace ananas::rt
