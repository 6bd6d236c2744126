#include "core/processing_clock.hpp"

#include <atomic>
#include <chrono>

namespace ananas {

namespace {
std::atomic<bool> g_fixed{false};
std::atomic<int64_t> g_fixed_ms{0};
}  // namespace

int64_t processing_time_now_ms() {
  if (g_fixed.load(std::memory_order_acquire)) return g_fixed_ms.load(std::memory_order_relaxed);
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void fix_processing_time(int64_t epoch_ms) {
  g_fixed_ms.store(epoch_ms, std::memory_order_relaxed);
  g_fixed.store(true, std::memory_order_release);
}

}  // namespace ananas
