#include "actors/internal/state_actor.hpp"

#include "actors/internal/errors.hpp"
#include "connectors/kafka/kafka_transaction.hpp"

namespace ananas::rt {
namespace {

struct state_actor_state {
  std::unique_ptr<state::KafkaCheckpointStorage> storage;
  static inline const char* name = "ananas.state";
};

using state_self = state_actor::stateful_pointer<state_actor_state>;

// Runs a storage call; what it throws answers the request with an error of
// `kind` (fenced: Fenced, whatever the call), and the actor lives on.
template <class F>
auto guarded(FailureKind kind, F&& call) -> caf::result<decltype(call())> {
  try {
    return call();
  } catch (const connectors::kafka::TransactionFenced& e) {
    return make_error(FailureKind::Fenced, e.what());
  } catch (const std::exception& e) {
    return make_error(kind, e.what());
  }
}

state_actor::behavior_type state_behavior(state_self self, state::StorageOptions options) {
  auto transaction = options.transaction;
  self->state.storage = std::make_unique<state::KafkaCheckpointStorage>(std::move(options));
  return {
      [self](msg::load_atom) {
        return guarded(FailureKind::RestoreFailed, [self]() -> RestoredPtr {
          auto restored = self->state.storage->load();
          if (!restored) return {};
          return std::make_shared<state::Restored>(std::move(*restored));
        });
      },
      [self](msg::persist_atom, DurableCheckpointPtr& c) {
        return guarded(FailureKind::CheckpointFailed,
                       [self, c] { return self->state.storage->persist(c->id, c->positions, *c->state); });
      },
      [transaction](msg::begin_atom) {
        return guarded(FailureKind::StartFailed, [transaction] {
          if (transaction) transaction->begin();
          return caf::ok_atom::value;
        });
      },
  };
}

}  // namespace

state_actor spawn_state_actor(caf::actor_system& sys, state::StorageOptions options) {
  return sys.spawn<caf::detached>(state_behavior, std::move(options));
}

}  // namespace ananas::rt
