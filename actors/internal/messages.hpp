#pragma once
// The atoms of the runtime's messages. Internal: include only from the actor
// implementation files (a TU with CAF headers costs ~10 s and 400 MB). Which
// actor accepts which message, with which typed arguments, is declared in
// actor_interfaces.hpp.
#include <caf/all.hpp>

#include <map>
#include <memory>
#include <string>

#include "core/batch.hpp"
#include "operators/checkpoint_store.hpp"
#include "state/kafka_checkpoint_storage.hpp"

namespace ananas::rt {

// A complete checkpoint as the supervisor hands it to durable storage.
struct DurableCheckpoint {
  uint64_t id = 0;
  std::map<std::string, std::string> positions;  // by source node name
  std::shared_ptr<const ops::CheckpointStore> state;
};
using DurableCheckpointPtr = std::shared_ptr<const DurableCheckpoint>;
// The checkpoint read back at start; null when the pipeline has none.
using RestoredPtr = std::shared_ptr<state::Restored>;

}  // namespace ananas::rt

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ananas::BatchPtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ananas::rt::DurableCheckpointPtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ananas::rt::RestoredPtr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ananas::state::PersistStats)

namespace ananas::rt::msg {

using batch_atom = caf::atom_constant<caf::atom("batch")>;
using wm_atom = caf::atom_constant<caf::atom("wm")>;
using barrier_atom = caf::atom_constant<caf::atom("barrier")>;
using credit_atom = caf::atom_constant<caf::atom("credit")>;
using open_atom = caf::atom_constant<caf::atom("open")>;
using poll_atom = caf::atom_constant<caf::atom("poll")>;
using pause_atom = caf::atom_constant<caf::atom("pause")>;
using resume_atom = caf::atom_constant<caf::atom("resume")>;
using ckpt_atom = caf::atom_constant<caf::atom("ckpt")>;
using drain_atom = caf::atom_constant<caf::atom("drain")>;
using position_atom = caf::atom_constant<caf::atom("position")>;
using snapshot_atom = caf::atom_constant<caf::atom("snapshot")>;
using flushed_atom = caf::atom_constant<caf::atom("flushed")>;
using commit_atom = caf::atom_constant<caf::atom("commit")>;
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using ptimer_atom = caf::atom_constant<caf::atom("ptimer")>;
using restart_atom = caf::atom_constant<caf::atom("restart")>;
using reset_atom = caf::atom_constant<caf::atom("reset")>;
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;
using load_atom = caf::atom_constant<caf::atom("load")>;
using persist_atom = caf::atom_constant<caf::atom("persist")>;
using committed_atom = caf::atom_constant<caf::atom("committed")>;
using begin_atom = caf::atom_constant<caf::atom("begin")>;

}  // namespace ananas::rt::msg
