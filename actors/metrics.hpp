#pragma once
// The worker's Prometheus metrics (names and labels from DESIGN.md "Contracts").
// One registry per worker; actors keep references to their series (the
// prometheus-cpp families are thread-safe, the series are atomics) and update
// them once per batch.
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace ananas::rt {

class Metrics {
 public:
  // `worker`: the worker.id, a label of every series.
  explicit Metrics(const std::string& worker = "ananas");
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

  prometheus::Counter& records_in(const std::string& pipeline, const std::string& op);
  prometheus::Counter& records_out(const std::string& pipeline, const std::string& op);
  // Records a source read from its topic: the pipeline's input rate, which
  // dashboards set the anomaly rate against (records_in counts every node's).
  prometheus::Counter& source_records(const std::string& pipeline, const std::string& source, const std::string& topic);
  prometheus::Counter& anomalies_emitted(const std::string& pipeline, const std::string& sink, const std::string& topic);
  prometheus::Counter& late_records_dropped(const std::string& pipeline, const std::string& op);
  prometheus::Counter& actor_restarts(const std::string& pipeline, const std::string& op);
  // Failures by kind (FailureKind's name) of a node, or of "(pipeline)" / "(supervisor)".
  prometheus::Counter& failures(const std::string& pipeline, const std::string& op, std::string_view kind);
  prometheus::Counter& bad_records(const std::string& pipeline, const std::string& topic);
  // Input records that gave no row and no error; `reason`: no_value or parse_error_ignored.
  prometheus::Counter& records_without_row(const std::string& pipeline, const std::string& topic, std::string_view reason);
  // Rows an operator could not process (a failed CAST, a division by zero).
  prometheus::Counter& row_errors(const std::string& pipeline, const std::string& op);
  // Of those, rows `on_error: dead-letter` could not dead-letter (no source record: computed from operator state).
  prometheus::Counter& row_errors_not_dead_lettered(const std::string& pipeline, const std::string& op);
  // A keyed exchange's writing side behind a two-phase window aggregation:
  // the rows it folded into partial aggregates, and the partials it sent.
  prometheus::Counter& exchange_rows_folded(const std::string& pipeline, const std::string& sink);
  prometheus::Counter& exchange_partials_sent(const std::string& pipeline, const std::string& sink);
  prometheus::Histogram& batch_latency(const std::string& pipeline, const std::string& op);
  prometheus::Gauge& consumer_lag(const std::string& pipeline, const std::string& topic, int32_t partition);
  // Partitions of a source that hold its watermark back by their silence.
  prometheus::Gauge& watermark_held_partitions(const std::string& pipeline, const std::string& source);
  // Sets ananas_watermark_timestamp_seconds; ananas_watermark_lag_seconds is
  // derived from it (wall clock minus watermark) whenever metrics are exported.
  void set_watermark(const std::string& pipeline, const std::string& op, int64_t watermark_ms);

  // A checkpoint became durable (or, in memory, complete), and how long and how big it was.
  void checkpoint_completed(const std::string& pipeline, double duration_s, uint64_t size_bytes, uint64_t state_bytes);
  void checkpoint_failed(const std::string& pipeline);

  // ananas_pipeline_state{state=...}: 1 for the pipeline's current state
  // ("RUNNING", "FAILED", ...), 0 for the others it has been in (as
  // kube-state-metrics does), so an alert can say `== 1` on FAILED.
  void set_pipeline_state(const std::string& pipeline, std::string_view state);

  // Takes every series of `pipeline` out of the exposition (it was deleted),
  // until show_pipeline. The series themselves stay: actors of the deleted
  // pipeline that are still winding down may update them, and a pipeline
  // added again under the name continues them.
  void hide_pipeline(const std::string& pipeline);
  void show_pipeline(const std::string& pipeline);

  // The Prometheus text exposition of the registry, without hidden pipelines.
  std::string serialize();

 private:
  void refresh_watermark_lag();

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& records_in_;
  prometheus::Family<prometheus::Counter>& records_out_;
  prometheus::Family<prometheus::Counter>& source_records_;
  prometheus::Family<prometheus::Counter>& anomalies_;
  prometheus::Family<prometheus::Counter>& late_dropped_;
  prometheus::Family<prometheus::Counter>& restarts_;
  prometheus::Family<prometheus::Counter>& failures_;
  prometheus::Family<prometheus::Counter>& bad_records_;
  prometheus::Family<prometheus::Counter>& without_row_;
  prometheus::Family<prometheus::Counter>& rows_folded_;
  prometheus::Family<prometheus::Counter>& partials_sent_;
  prometheus::Family<prometheus::Counter>& row_errors_;
  prometheus::Family<prometheus::Counter>& row_errors_not_dead_lettered_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Gauge>& consumer_lag_;
  prometheus::Family<prometheus::Gauge>& watermark_held_;
  prometheus::Family<prometheus::Gauge>& watermark_ts_;
  prometheus::Family<prometheus::Gauge>& watermark_lag_;
  prometheus::Family<prometheus::Counter>& checkpoints_;
  prometheus::Family<prometheus::Gauge>& checkpoint_duration_;
  prometheus::Family<prometheus::Gauge>& checkpoint_size_;
  prometheus::Family<prometheus::Gauge>& checkpoint_state_;
  prometheus::Family<prometheus::Gauge>& checkpoint_time_;
  prometheus::Family<prometheus::Gauge>& pipeline_state_;

  struct WatermarkSeries {
    prometheus::Gauge* timestamp;
    prometheus::Gauge* lag;
  };
  std::mutex mu_;
  std::vector<WatermarkSeries> watermarks_;
  std::set<std::string> hidden_pipelines_;
};

}  // namespace ananas::rt
