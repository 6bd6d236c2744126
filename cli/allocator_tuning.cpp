// Why the worker tunes glibc malloc (issue 11, measured with
// bench/e2e_filter.sh and `perf record -e page-faults`):
//
// A batch is allocated by the actor that produces it and freed by the last
// actor that reads it, and CAF moves actors between worker threads. With
// glibc's defaults each thread allocates from its own arena, large blocks
// (an UNNEST output is ~1 MB of cells) are mmap'ed or end up at the top of a
// per-thread heap that free() trims back to the kernel, so the next batch is
// written into fresh pages: one page fault per 4 KiB. On the filtering app
// that was ~0.35 faults per order, with the faults and the first-touch
// memset of UNNEST's cells the largest items of the worker's profile.
//
// One arena, large blocks from the heap instead of mmap, and trimming only
// past 256 MiB of free heap cut the faults to a third (300,000 orders:
// 90-110k -> 35-45k). Small allocations still go through glibc's per-thread
// caches (tcache), so one arena does not serialise the per-record paths.
// The price: the heap keeps up to 256 MiB of freed memory instead of
// returning it at once.
#include "cli/allocator_tuning.hpp"

#include <malloc.h>

#include <cstdlib>
#include <string_view>

namespace ananas::cli {

namespace {
constexpr int kArenas = 1;
constexpr int kMmapThresholdBytes = 32 << 20;  // glibc's maximum for a fixed threshold
constexpr int kTrimThresholdBytes = 256 << 20;
}  // namespace

bool tune_allocator_for_streaming() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables && std::string_view(tunables).find("glibc.malloc.") != std::string_view::npos)
    return true;
  return mallopt(M_ARENA_MAX, kArenas) == 1 && mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes) == 1 &&
         mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes) == 1;
}

}  // namespace ananas::cli
