#pragma once
// SIGTERM/SIGINT handling for `ananas run`: block the signals in every thread
// (call before creating the Worker, whose actor system starts threads that
// inherit the mask), then wait for one synchronously and call Worker::stop(),
// which drains every pipeline (final checkpoint, sinks flushed, offsets
// committed). No async-signal-safety concerns: nothing runs in a handler.
#include <chrono>
#include <optional>

namespace ananas::rt {

// Blocks SIGTERM and SIGINT in the calling thread (and threads it starts later).
void block_termination_signals();
// Waits for SIGTERM or SIGINT (blocked first); returns the signal number, or
// nullopt when `timeout` passes first.
std::optional<int> wait_for_termination_signal(std::optional<std::chrono::milliseconds> timeout = std::nullopt);

}  // namespace ananas::rt
