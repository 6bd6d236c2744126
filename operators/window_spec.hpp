#pragma once
// Window TVF geometry (Flink: SliceAssigners, TimeWindow.getWindowStartWithOffset): which windows a timestamp belongs to.
// SESSION windows have no fixed geometry (they merge as rows arrive): only
// their gap is here; operators/session_window_aggregate.hpp assigns them.
// All arithmetic is in epoch milliseconds with a non-negative modulo, so
// timestamps before 1970 land in the right window too.
#include <cstdint>
#include <vector>

namespace ananas::ops {

enum class WindowKind { Tumble, Hop, Cumulate, Session };

struct WindowSpec {
  WindowKind kind = WindowKind::Tumble;
  int64_t size_ms = 0;    // TUMBLE/HOP size, CUMULATE max size, SESSION gap
  int64_t step_ms = 0;    // HOP slide, CUMULATE step; ignored by TUMBLE
  int64_t offset_ms = 0;  // shifts the grid (Flink docs, Queries > Window TVF > Window Offset)
};

struct WindowBounds {
  int64_t start = 0;
  int64_t end = 0;  // exclusive; window_time = end − 1
  bool operator==(const WindowBounds&) const = default;
};

// Throws std::invalid_argument with Flink's message when the spec is invalid
// (non-positive sizes or gap, HOP size not a multiple of the slide, CUMULATE max size
// not a multiple of the step).
void validate_window_spec(const WindowSpec& spec);

// Appends the windows containing `ts` to `out`, in ascending window_end; for a
// SESSION, the row's own window [ts, ts + gap) before any merge.
// Timestamps must lie within ±2^62 ms (checked by the callers) so no bound overflows.
void assign_windows(const WindowSpec& spec, int64_t ts, std::vector<WindowBounds>& out);

inline constexpr int64_t kMaxWindowTimestamp = int64_t{1} << 62;

}  // namespace ananas::ops
