#include "actors/metrics.hpp"

#include <chrono>
#include <sstream>

#include <prometheus/text_serializer.h>

#include "operators/operator.hpp"

namespace ananas::rt {
namespace {

// Every series carries the worker's id: the workers of a group run the same
// pipelines, and a dashboard tells them apart by it.
prometheus::Labels worker_label(const std::string& worker) { return {{"worker", worker}}; }

prometheus::Family<prometheus::Counter>& counter(prometheus::Registry& r, const char* name, const char* help,
                                                 const std::string& worker) {
  return prometheus::BuildCounter().Name(name).Help(help).Labels(worker_label(worker)).Register(r);
}
prometheus::Family<prometheus::Gauge>& gauge(prometheus::Registry& r, const char* name, const char* help,
                                             const std::string& worker) {
  return prometheus::BuildGauge().Name(name).Help(help).Labels(worker_label(worker)).Register(r);
}

// Per-batch processing time: from tens of microseconds (a filter) to seconds
// (a window firing many keys).
const prometheus::Histogram::BucketBoundaries kLatencyBuckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                              0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                                              1,      2.5,     5};

}  // namespace

Metrics::Metrics(const std::string& worker)
    : registry_(std::make_shared<prometheus::Registry>()),
      records_in_(counter(*registry_, "ananas_records_in_total", "Records received by a source or operator", worker)),
      records_out_(counter(*registry_, "ananas_records_out_total", "Records emitted by a source or operator", worker)),
      source_records_(counter(*registry_, "ananas_source_records_total", "Records a source read from its topic", worker)),
      anomalies_(counter(*registry_, "ananas_anomalies_emitted_total", "Records written by a sink", worker)),
      late_dropped_(counter(*registry_, "ananas_late_records_dropped_total",
                            "Records dropped because they arrived behind the watermark", worker)),
      restarts_(counter(*registry_, "ananas_actor_restarts_total",
                        "Pipeline restarts caused by a failure of this actor", worker)),
      failures_(counter(*registry_, "ananas_pipeline_failures_total",
                        "Failures by kind (source_failed, operator_failed, ...) of this actor or pipeline", worker)),
      bad_records_(counter(*registry_, "ananas_bad_records_total", "Malformed input records skipped", worker)),
      without_row_(counter(*registry_, "ananas_records_without_row_total",
                           "Input records that gave no row and no error: reason=no_value (a null or empty value, or "
                           "JSON null, as Flink's JSON format), parse_error_ignored (json.ignore-parse-errors) or "
                           "exchange_duplicate (a row a keyed exchange carried again after a writer's restart, dropped)",
                           worker)),
      rows_folded_(counter(*registry_, "ananas_exchange_rows_folded_total",
                           "Rows the writing side of a keyed exchange folded into partial aggregates (two-phase "
                           "window aggregation) instead of sending them one by one",
                           worker)),
      partials_sent_(counter(*registry_, "ananas_exchange_partials_sent_total",
                             "Partial aggregates the writing side of a keyed exchange sent in their place", worker)),
      row_errors_(counter(*registry_, "ananas_row_errors_total", "Rows an operator could not process", worker)),
      row_errors_not_dead_lettered_(counter(*registry_, "ananas_row_errors_not_dead_lettered_total",
                                            "Rows an operator could not process that on_error: dead-letter could not "
                                            "dead-letter (computed from operator state, no source record): skipped", worker)),
      latency_(prometheus::BuildHistogram()
                   .Name("ananas_batch_latency_seconds")
                   .Help("Time an operator spends on one input batch")
                   .Labels(worker_label(worker))
                   .Register(*registry_)),
      consumer_lag_(gauge(*registry_, "ananas_kafka_consumer_lag", "Records between consumer position and log end", worker)),
      watermark_held_(gauge(*registry_, "ananas_source_watermark_held_partitions",
                            "Partitions of a source without records for 10 s while others advanced: they hold its "
                            "watermark back (see table.exec.source.idle-timeout)", worker)),
      watermark_ts_(gauge(*registry_, "ananas_watermark_timestamp_seconds", "Current event-time watermark", worker)),
      watermark_lag_(gauge(*registry_, "ananas_watermark_lag_seconds", "Wall clock minus the current watermark", worker)),
      checkpoints_(counter(*registry_, "ananas_checkpoints_total",
                           "Checkpoints by result: completed (durable) or failed (not written; the next one retries)", worker)),
      checkpoint_duration_(gauge(*registry_, "ananas_checkpoint_duration_seconds",
                                 "Last completed checkpoint: barrier injected until its state and offsets were durable", worker)),
      checkpoint_size_(gauge(*registry_, "ananas_checkpoint_size_bytes",
                             "Last completed checkpoint: changelog bytes it wrote (changed entries only)", worker)),
      checkpoint_state_(gauge(*registry_, "ananas_checkpoint_state_bytes",
                              "Last completed checkpoint: the pipeline's whole state, encoded", worker)),
      checkpoint_time_(gauge(*registry_, "ananas_checkpoint_last_completed_timestamp_seconds",
                             "Wall-clock time the last checkpoint completed", worker)),
      pipeline_state_(gauge(*registry_, "ananas_pipeline_state",
                            "1 for the pipeline's current state (RUNNING, PAUSED, RESTARTING, FAILED, UNASSIGNED), "
                            "0 for the others", worker)) {}

void Metrics::checkpoint_completed(const std::string& pipeline, double duration_s, uint64_t size_bytes,
                                   uint64_t state_bytes) {
  const prometheus::Labels labels{{"pipeline", pipeline}};
  checkpoints_.Add({{"pipeline", pipeline}, {"result", "completed"}}).Increment();
  checkpoints_.Add({{"pipeline", pipeline}, {"result", "failed"}});
  checkpoint_duration_.Add(labels).Set(duration_s);
  checkpoint_size_.Add(labels).Set(static_cast<double>(size_bytes));
  checkpoint_state_.Add(labels).Set(static_cast<double>(state_bytes));
  checkpoint_time_.Add(labels).Set(
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
}

void Metrics::set_pipeline_state(const std::string& pipeline, std::string_view state) {
  static constexpr std::string_view kStates[] = {"UNASSIGNED", "RUNNING", "PAUSED", "RESTARTING", "FAILED"};
  for (auto s : kStates)
    pipeline_state_.Add({{"pipeline", pipeline}, {"state", std::string(s)}}).Set(s == state ? 1 : 0);
}

void Metrics::checkpoint_failed(const std::string& pipeline) {
  checkpoints_.Add({{"pipeline", pipeline}, {"result", "completed"}});
  checkpoints_.Add({{"pipeline", pipeline}, {"result", "failed"}}).Increment();
}

prometheus::Counter& Metrics::records_in(const std::string& pipeline, const std::string& op) {
  return records_in_.Add({{"pipeline", pipeline}, {"operator", op}});
}
prometheus::Counter& Metrics::records_out(const std::string& pipeline, const std::string& op) {
  return records_out_.Add({{"pipeline", pipeline}, {"operator", op}});
}
prometheus::Counter& Metrics::source_records(const std::string& pipeline, const std::string& source,
                                             const std::string& topic) {
  return source_records_.Add({{"pipeline", pipeline}, {"source", source}, {"topic", topic}});
}
prometheus::Counter& Metrics::anomalies_emitted(const std::string& pipeline, const std::string& sink,
                                                const std::string& topic) {
  return anomalies_.Add({{"pipeline", pipeline}, {"sink", sink}, {"topic", topic}});
}
prometheus::Counter& Metrics::late_records_dropped(const std::string& pipeline, const std::string& op) {
  return late_dropped_.Add({{"pipeline", pipeline}, {"operator", op}});
}
prometheus::Counter& Metrics::actor_restarts(const std::string& pipeline, const std::string& op) {
  return restarts_.Add({{"pipeline", pipeline}, {"operator", op}});
}
prometheus::Counter& Metrics::failures(const std::string& pipeline, const std::string& op, std::string_view kind) {
  return failures_.Add({{"pipeline", pipeline}, {"operator", op}, {"kind", std::string(kind)}});
}
prometheus::Counter& Metrics::bad_records(const std::string& pipeline, const std::string& topic) {
  return bad_records_.Add({{"pipeline", pipeline}, {"topic", topic}});
}
prometheus::Counter& Metrics::records_without_row(const std::string& pipeline, const std::string& topic,
                                                  std::string_view reason) {
  return without_row_.Add({{"pipeline", pipeline}, {"topic", topic}, {"reason", std::string(reason)}});
}
prometheus::Counter& Metrics::exchange_rows_folded(const std::string& pipeline, const std::string& sink) {
  return rows_folded_.Add({{"pipeline", pipeline}, {"sink", sink}});
}
prometheus::Counter& Metrics::exchange_partials_sent(const std::string& pipeline, const std::string& sink) {
  return partials_sent_.Add({{"pipeline", pipeline}, {"sink", sink}});
}
prometheus::Counter& Metrics::row_errors(const std::string& pipeline, const std::string& op) {
  return row_errors_.Add({{"pipeline", pipeline}, {"operator", op}});
}
prometheus::Counter& Metrics::row_errors_not_dead_lettered(const std::string& pipeline, const std::string& op) {
  return row_errors_not_dead_lettered_.Add({{"pipeline", pipeline}, {"operator", op}});
}
prometheus::Histogram& Metrics::batch_latency(const std::string& pipeline, const std::string& op) {
  return latency_.Add({{"pipeline", pipeline}, {"operator", op}}, kLatencyBuckets);
}
prometheus::Gauge& Metrics::consumer_lag(const std::string& pipeline, const std::string& topic, int32_t partition) {
  return consumer_lag_.Add({{"pipeline", pipeline}, {"topic", topic}, {"partition", std::to_string(partition)}});
}

prometheus::Gauge& Metrics::watermark_held_partitions(const std::string& pipeline, const std::string& source) {
  return watermark_held_.Add({{"pipeline", pipeline}, {"source", source}});
}

void Metrics::set_watermark(const std::string& pipeline, const std::string& op, int64_t watermark_ms) {
  // The extremes mean "nothing yet" and "end of input": no meaningful time.
  if (watermark_ms == ops::kMinWatermark || watermark_ms == ops::kMaxWatermark) return;
  prometheus::Labels labels{{"pipeline", pipeline}, {"operator", op}};
  auto& ts = watermark_ts_.Add(labels);
  auto& lag = watermark_lag_.Add(labels);
  ts.Set(static_cast<double>(watermark_ms) / 1000.0);
  std::lock_guard lock(mu_);
  for (const auto& w : watermarks_)
    if (w.timestamp == &ts) return;
  watermarks_.push_back({&ts, &lag});
}

void Metrics::refresh_watermark_lag() {
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::lock_guard lock(mu_);
  for (const auto& w : watermarks_) w.lag->Set(now - w.timestamp->Value());
}

void Metrics::hide_pipeline(const std::string& pipeline) {
  std::lock_guard lock(mu_);
  hidden_pipelines_.insert(pipeline);
}

void Metrics::show_pipeline(const std::string& pipeline) {
  std::lock_guard lock(mu_);
  hidden_pipelines_.erase(pipeline);
}

std::string Metrics::serialize() {
  refresh_watermark_lag();
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  {
    std::lock_guard lock(mu_);
    if (!hidden_pipelines_.empty())
      for (auto& family : families)
        std::erase_if(family.metric, [this](const prometheus::ClientMetric& m) {
          for (const auto& label : m.label)
            if (label.name == "pipeline" && hidden_pipelines_.count(label.value)) return true;
          return false;
        });
  }
  std::ostringstream os;
  prometheus::TextSerializer{}.Serialize(os, families);
  return os.str();
}

}  // namespace ananas::rt
