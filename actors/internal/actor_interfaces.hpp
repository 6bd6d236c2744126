#pragma once
// The runtime's actor protocol: every message an actor accepts, as CAF typed
// actor interfaces. A message that no longer matches an interface is a
// compile error at the sender, not a message dropped at run time; ids are
// distinct types (core/ids.hpp), so two swapped ids do not compile either.
// Internal (CAF types).
//
// Who talks to whom:
//
//   Worker --pause/resume/reset/drain--> supervisor
//   supervisor --spawns, monitors--> source, operator, sink (one actor per instance)
//   source --batch/wm/barrier--> operator | sink      <--credit-- (per channel)
//   operator --batch/wm/barrier--> operator | sink    <--credit--
//   source --position--> supervisor, operator --snapshot--> supervisor,
//   sink --flushed--> supervisor;  supervisor --persist--> state (once all are in),
//   then supervisor --commit--> source (once the checkpoint is durable)
//
// Data-plane order: on one channel, batches, watermarks and barriers arrive
// in the order they were sent; a receiver with several inputs aligns them
// (min watermark, aligned barriers) before its operator or sink sees them.
// A failing actor ends with a FailureKind error (errors.hpp); the supervisor
// monitors every child and restarts the whole pipeline from the last
// completed checkpoint.
#include <cstdint>
#include <string>

#include "actors/internal/messages.hpp"
#include "core/ids.hpp"

namespace ananas::rt {

// Who sends batches and is paid back in credit: a source or an operator.
using producer_actor = caf::typed_actor<
    // `n` more batches may be sent on `channel` (one per batch the receiver consumed).
    caf::reacts_to<msg::credit_atom, ChannelId, int32_t>>;

// Who receives the data plane: an operator or a sink, one `InputId` per
// upstream instance.
using consumer_actor = caf::typed_actor<
    // A batch from `input`, sent over the sender's `channel`: costs the sender
    // one credit on that channel, returned with credit_atom once consumed.
    caf::reacts_to<msg::batch_atom, InputId, ChannelId, BatchPtr>,
    // The event-time watermark (ms) of `input`: nothing older follows on it.
    caf::reacts_to<msg::wm_atom, InputId, int64_t>,
    // Checkpoint barrier on `input`: everything before it belongs to the checkpoint.
    caf::reacts_to<msg::barrier_atom, InputId, CheckpointId>>;

// An operator instance: consumes, processes, produces.
using operator_actor = consumer_actor::extend_with<producer_actor>::extend<
    // Sent to itself, delayed: its operator's processing-time timer for epoch ms `due` may be due.
    caf::reacts_to<msg::ptimer_atom, int64_t>>;

// A sink instance: consumes and writes through its SinkDriver.
using sink_actor = consumer_actor::extend<
    // Sent to itself at start: opens the driver under the exception handler.
    caf::reacts_to<msg::open_atom>,
    // From the supervisor: checkpoint `id` is durable (its transaction committed).
    caf::reacts_to<msg::committed_atom, CheckpointId>>;

// A source instance: reads through its SourceDriver, produces.
using source_actor = producer_actor::extend<
    // Sent to itself at start: opens the driver at the checkpointed position.
    caf::reacts_to<msg::open_atom>,
    // Sent to itself: poll the driver once (bounded wait), then schedule the next poll.
    caf::reacts_to<msg::poll_atom>,
    // From the supervisor: inject barrier `id` after everything read so far,
    // and report the position to resume from with position_atom.
    caf::reacts_to<msg::ckpt_atom, CheckpointId>,
    // From the supervisor: as ckpt_atom, then stop reading (the final checkpoint of a stop).
    caf::reacts_to<msg::drain_atom, CheckpointId>,
    // From the supervisor: every sink has flushed up to this position: commit
    // it; `final` for the last checkpoint of a drain (nothing was read past it).
    caf::replies_to<msg::commit_atom, std::string, bool>::with<caf::ok_atom>,
    // From the supervisor: stop polling (the driver stays open).
    caf::reacts_to<msg::pause_atom>,
    // From the supervisor: poll again.
    caf::reacts_to<msg::resume_atom>>;

// A pipeline's durable checkpoint storage (state/kafka_checkpoint_storage.hpp),
// detached: its calls wait for the brokers.
using state_actor = caf::typed_actor<
    // The latest completed checkpoint with its state (null: none).
    caf::replies_to<msg::load_atom>::with<RestoredPtr>,
    // Make a complete checkpoint durable: changelogs, then the checkpoint record
    // (exactly-once: commit the transaction, then begin the next).
    caf::replies_to<msg::persist_atom, DurableCheckpointPtr>::with<state::PersistStats>,
    // Exactly-once, before (re)starting the pipeline's actors: abort what the
    // last attempt left open and begin a transaction.
    caf::replies_to<msg::begin_atom>::with<caf::ok_atom>>;

// Counts restarts of one pipeline; timers and replies carry it so that
// those of a torn-down generation are ignored.
using Generation = named_type<uint64_t, struct generation_tag>;

// The per-pipeline supervisor.
using supervisor_actor = caf::typed_actor<
    // From a source: its position at checkpoint `id` (resume from there).
    caf::reacts_to<msg::position_atom, NodeId, CheckpointId, std::string>,
    // From an operator instance: its state at checkpoint `id`.
    caf::reacts_to<msg::snapshot_atom, NodeId, InstanceId, CheckpointId, std::string>,
    // From a sink instance: everything before barrier `id` is durable.
    caf::reacts_to<msg::flushed_atom, NodeId, InstanceId, CheckpointId>,
    // Sent to itself every checkpoint interval: start a checkpoint.
    caf::reacts_to<msg::tick_atom, Generation>,
    // Sent to itself after the restart delay: spawn the pipeline again.
    caf::reacts_to<msg::restart_atom, Generation>,
    // Sent to itself: the final checkpoint of a stop took too long; stop anyway.
    caf::reacts_to<msg::deadline_atom>,
    // From the Worker: pause every source.
    caf::reacts_to<msg::pause_atom>,
    // From the Worker: resume every source.
    caf::reacts_to<msg::resume_atom>,
    // From the Worker: restart from the last checkpoint with a fresh restart budget.
    caf::reacts_to<msg::reset_atom>,
    // From the Worker: final checkpoint, commit, then exit.
    caf::reacts_to<msg::drain_atom>>;

}  // namespace ananas::rt
