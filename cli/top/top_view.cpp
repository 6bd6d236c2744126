#include "cli/top/top_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "cli/table.hpp"

namespace ananas::cli {

namespace {

// Sum of a metric's samples per pipeline label.
std::map<std::string, double> per_pipeline(const std::vector<MetricSample>& samples, const std::string& name) {
  std::map<std::string, double> out;
  for (const MetricSample& s : samples) {
    if (s.name != name) continue;
    auto p = s.labels.find("pipeline");
    if (p != s.labels.end() && std::isfinite(s.value)) out[p->second] += s.value;
  }
  return out;
}

// Per series (name and labels) increase between the scrapes, summed per
// pipeline, divided by the time between them.
std::map<std::string, double> rate_per_pipeline(const std::vector<MetricSample>& before,
                                                const std::vector<MetricSample>& after, const std::string& name,
                                                double seconds) {
  std::map<std::map<std::string, std::string>, double> earlier;
  for (const MetricSample& s : before)
    if (s.name == name) earlier[s.labels] = s.value;
  std::map<std::string, double> out;
  for (const MetricSample& s : after) {
    if (s.name != name) continue;
    auto p = s.labels.find("pipeline");
    if (p == s.labels.end()) continue;
    auto e = earlier.find(s.labels);
    const double from = e == earlier.end() || e->second > s.value ? 0 : e->second;
    out[p->second] += seconds > 0 ? (s.value - from) / seconds : 0;
  }
  return out;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string rate_text(double v) { return v < 10 ? fixed(v, 1) : fixed(v, 0); }

}  // namespace

std::vector<TopRow> top_rows(const std::vector<MetricSample>& before, const std::vector<MetricSample>& after,
                             double seconds) {
  std::map<std::string, TopRow> rows;
  for (const MetricSample& s : after) {
    if (s.name != "ananas_pipeline_state") continue;
    auto p = s.labels.find("pipeline");
    if (p == s.labels.end()) continue;
    TopRow& row = rows[p->second];
    row.pipeline = p->second;
    if (row.state.empty()) row.state = "?";
    if (s.value == 1)
      if (auto st = s.labels.find("state"); st != s.labels.end()) row.state = st->second;
  }
  const auto input = rate_per_pipeline(before, after, "ananas_source_records_total", seconds);
  const auto anomalies = rate_per_pipeline(before, after, "ananas_anomalies_emitted_total", seconds);
  const auto bad = rate_per_pipeline(before, after, "ananas_bad_records_total", seconds);
  const auto consumer_lag = per_pipeline(after, "ananas_kafka_consumer_lag");
  const auto restarts = per_pipeline(after, "ananas_actor_restarts_total");
  for (auto& [name, row] : rows) {
    if (auto it = input.find(name); it != input.end()) row.input_per_s = it->second;
    if (auto it = anomalies.find(name); it != anomalies.end()) row.anomalies_per_s = it->second;
    if (auto it = bad.find(name); it != bad.end()) row.bad_per_s = it->second;
    if (auto it = consumer_lag.find(name); it != consumer_lag.end()) row.consumer_lag = it->second;
    if (auto it = restarts.find(name); it != restarts.end()) row.restarts = it->second;
  }
  for (const MetricSample& s : after) {
    if (s.name != "ananas_watermark_lag_seconds" || !std::isfinite(s.value)) continue;
    auto p = s.labels.find("pipeline");
    if (p == s.labels.end()) continue;
    auto r = rows.find(p->second);
    if (r == rows.end()) continue;
    r->second.watermark_lag_s = std::max(r->second.watermark_lag_s.value_or(s.value), s.value);
  }
  std::vector<TopRow> out;
  for (auto& [name, row] : rows) out.push_back(std::move(row));
  return out;
}

std::string render_top(const std::vector<TopRow>& rows, const std::string& url, double interval_s) {
  std::ostringstream os;
  os << "ananas top - " << url << " - every " << fixed(interval_s, interval_s < 10 ? 1 : 0)
     << " s - q or Ctrl-C quits\n\n";
  if (rows.empty()) {
    os << "(the worker runs no pipeline)\n";
    return os.str();
  }
  Table t({"PIPELINE", "STATE", "IN/S", "ANOMALIES/S", "BAD/S", "WATERMARK LAG", "CONSUMER LAG", "RESTARTS"});
  for (const TopRow& r : rows)
    t.add({r.pipeline, r.state, rate_text(r.input_per_s), rate_text(r.anomalies_per_s), rate_text(r.bad_per_s),
           r.watermark_lag_s ? fixed(*r.watermark_lag_s, 1) + " s" : "-", fixed(r.consumer_lag, 0),
           fixed(r.restarts, 0)});
  t.print(os);
  return os.str();
}

}  // namespace ananas::cli
