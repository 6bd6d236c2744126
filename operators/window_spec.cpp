#include "operators/window_spec.hpp"

#include <stdexcept>
#include <string>

namespace ananas::ops {

namespace {

int64_t floor_mod(int64_t a, int64_t b) { return ((a % b) + b) % b; }

std::string ms(int64_t v) { return std::to_string(v) + "ms"; }

}  // namespace

void validate_window_spec(const WindowSpec& s) {
  switch (s.kind) {
    case WindowKind::Tumble:
      if (s.size_ms <= 0)
        throw std::invalid_argument("Tumbling Window parameters must satisfy size > 0, but got size " + ms(s.size_ms) + ".");
      break;
    case WindowKind::Hop:
      if (s.size_ms <= 0 || s.step_ms <= 0)
        throw std::invalid_argument("Hopping Window must satisfy slide > 0 and size > 0, but got slide " + ms(s.step_ms) +
                                    " and size " + ms(s.size_ms) + ".");
      if (s.size_ms % s.step_ms != 0)
        throw std::invalid_argument("Slicing Hopping Window requires size must be an integral multiple of slide, but got size " +
                                    ms(s.size_ms) + " and slide " + ms(s.step_ms) + ".");
      break;
    case WindowKind::Cumulate:
      if (s.size_ms <= 0 || s.step_ms <= 0)
        throw std::invalid_argument("Cumulative Window parameters must satisfy maxSize > 0 and step > 0, but got maxSize " +
                                    ms(s.size_ms) + " and step " + ms(s.step_ms) + ".");
      if (s.size_ms % s.step_ms != 0)
        throw std::invalid_argument("Cumulative Window requires maxSize must be an integral multiple of step, but got maxSize " +
                                    ms(s.size_ms) + " and step " + ms(s.step_ms) + ".");
      break;
    case WindowKind::Session:
      // Flink: WindowUtil.convertToWindowingStrategy.
      if (s.size_ms <= 0)
        throw std::invalid_argument("SESSION table function based aggregate requires gap to be positive, but got gap " +
                                    std::to_string(s.size_ms) + " ms.");
      break;
  }
  // Keeps every window bound within int64 for timestamps within ±kMaxWindowTimestamp.
  if (s.size_ms > kMaxWindowTimestamp / 2 || s.offset_ms > kMaxWindowTimestamp / 2 || s.offset_ms < -kMaxWindowTimestamp / 2)
    throw std::invalid_argument("window size or offset out of range: size " + ms(s.size_ms) + ", offset " + ms(s.offset_ms));
}

void assign_windows(const WindowSpec& s, int64_t ts, std::vector<WindowBounds>& out) {
  switch (s.kind) {
    case WindowKind::Tumble: {
      int64_t start = ts - floor_mod(ts - s.offset_ms, s.size_ms);
      out.push_back({start, start + s.size_ms});
      break;
    }
    case WindowKind::Hop: {
      // The latest window starts at the slide boundary at or before ts; the
      // earlier ones (size/slide in all) end earlier, so emit them first.
      int64_t last_start = ts - floor_mod(ts - s.offset_ms, s.step_ms);
      int64_t count = s.size_ms / s.step_ms;
      for (int64_t k = count - 1; k >= 0; --k) {
        int64_t start = last_start - k * s.step_ms;
        out.push_back({start, start + s.size_ms});
      }
      break;
    }
    case WindowKind::Cumulate: {
      int64_t start = ts - floor_mod(ts - s.offset_ms, s.size_ms);
      for (int64_t end = start + s.step_ms; end <= start + s.size_ms; end += s.step_ms)
        if (end > ts) out.push_back({start, end});
      break;
    }
    case WindowKind::Session:
      out.push_back({ts, ts + s.size_ms});
      break;
  }
}

}  // namespace ananas::ops
