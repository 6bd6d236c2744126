#pragma once
// What the benchmarks read about their own process: resident memory from
// /proc/self/status, this thread's CPU time (orders per CPU second is orders
// per core, and stays meaningful while other work preempts us on a shared
// machine), the load average, and medians.
#include <cstdint>
#include <string>
#include <vector>

namespace ananas::bench {

struct MemoryUsage {
  uint64_t rss_bytes = 0;   // VmRSS
  uint64_t peak_bytes = 0;  // VmHWM
};

MemoryUsage memory_usage();
double thread_cpu_seconds();
double wall_seconds();
// The first three fields of /proc/loadavg, e.g. "1.52 1.10 0.98".
std::string load_average();

double median(std::vector<double> values);

}  // namespace ananas::bench
