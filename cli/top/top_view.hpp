#pragma once
// What `ananas top` shows for each pipeline of one worker, computed from two
// scrapes of its /metrics taken `seconds` apart (rates need two), and the
// screen it draws. Pure: tested without a worker or a terminal.
#include <optional>
#include <string>
#include <vector>

#include "cli/top/prometheus_text.hpp"

namespace ananas::cli {

struct TopRow {
  std::string pipeline;
  std::string state;                     // RUNNING, PAUSED, ... ("?" when the worker says none)
  double input_per_s = 0;                // records read from its sources
  double anomalies_per_s = 0;            // records written by its sinks
  double bad_per_s = 0;                  // malformed records (dead-lettered or skipped)
  std::optional<double> watermark_lag_s; // the largest over its operators; none before a first watermark
  double consumer_lag = 0;               // records behind the end of its input partitions
  double restarts = 0;                   // actor restarts since the worker started
};

// One row per pipeline the worker reports a state for, by name. A counter
// that went down between the scrapes (the worker restarted) counts from 0.
std::vector<TopRow> top_rows(const std::vector<MetricSample>& before, const std::vector<MetricSample>& after,
                             double seconds);

// The screen: a title line (worker, interval, the keys) and a table.
std::string render_top(const std::vector<TopRow>& rows, const std::string& url, double interval_s);

}  // namespace ananas::cli
