#pragma once
// CAF message vocabulary of the runtime. Internal: include only from the
// actor implementation files (a TU with CAF headers costs ~10 s and 400 MB).
//
// Data plane (upstream -> downstream, per channel in order):
//   (batch_atom, input, channel, BatchPtr)   costs one credit on `channel`
//   (wm_atom, input, int64 watermark)
//   (barrier_atom, input, uint64 checkpoint)
// Flow control (downstream -> the sender of a batch):
//   (credit_atom, channel, int32 n)
// Control plane (supervisor <-> actors): see supervisor.cpp.
#include <caf/all.hpp>

#include "core/batch.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ananas::BatchPtr)

namespace ananas::rt::msg {

using batch_atom = caf::atom_constant<caf::atom("batch")>;
using wm_atom = caf::atom_constant<caf::atom("wm")>;
using barrier_atom = caf::atom_constant<caf::atom("barrier")>;
using credit_atom = caf::atom_constant<caf::atom("credit")>;
using open_atom = caf::atom_constant<caf::atom("open")>;
using poll_atom = caf::atom_constant<caf::atom("poll")>;
using pause_atom = caf::atom_constant<caf::atom("pause")>;
using resume_atom = caf::atom_constant<caf::atom("resume")>;
using ckpt_atom = caf::atom_constant<caf::atom("ckpt")>;       // supervisor -> source: start checkpoint
using drain_atom = caf::atom_constant<caf::atom("drain")>;     // start the final checkpoint, stop reading
using position_atom = caf::atom_constant<caf::atom("position")>;  // source -> supervisor
using snapshot_atom = caf::atom_constant<caf::atom("snapshot")>;  // operator -> supervisor
using flushed_atom = caf::atom_constant<caf::atom("flushed")>;    // sink -> supervisor
using commit_atom = caf::atom_constant<caf::atom("commit")>;      // supervisor -> source
using tick_atom = caf::atom_constant<caf::atom("tick")>;
using restart_atom = caf::atom_constant<caf::atom("restart")>;    // delayed restart after a failure
using reset_atom = caf::atom_constant<caf::atom("reset")>;        // manual restart (REST)
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;  // drain took too long

}  // namespace ananas::rt::msg
