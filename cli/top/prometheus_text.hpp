#pragma once
// Reads the Prometheus text exposition format (version 0.0.4), as the
// worker's /metrics serves it: one sample per line, `name{label="value",...}
// value [timestamp]`; comments (# HELP, # TYPE) and blank lines skipped.
// Enough for `ananas top`, which reads the counters and gauges of one worker.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ananas::cli {

struct MetricSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Lines that are not samples (a truncated answer, say) are skipped, not fatal:
// a live view should show what it could read.
std::vector<MetricSample> parse_prometheus_text(std::string_view text);

}  // namespace ananas::cli
