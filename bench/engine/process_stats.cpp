#include "bench/engine/process_stats.hpp"

#include <time.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ananas::bench {

namespace {

double clock_seconds(clockid_t clock) {
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) throw std::runtime_error("clock_gettime failed");
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

MemoryUsage memory_usage() {
  std::ifstream status("/proc/self/status");
  MemoryUsage m;
  for (std::string line; std::getline(status, line);) {
    std::istringstream fields(line);
    std::string key;
    uint64_t kib = 0;
    fields >> key >> kib;
    if (key == "VmRSS:") m.rss_bytes = kib * 1024;
    else if (key == "VmHWM:") m.peak_bytes = kib * 1024;
  }
  if (m.rss_bytes == 0) throw std::runtime_error("/proc/self/status has no VmRSS (not Linux?)");
  return m;
}

double thread_cpu_seconds() { return clock_seconds(CLOCK_THREAD_CPUTIME_ID); }
double wall_seconds() { return clock_seconds(CLOCK_MONOTONIC); }

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace ananas::bench
