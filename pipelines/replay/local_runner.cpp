#include "pipelines/replay/local_runner.hpp"

#include <algorithm>
#include <set>

#include "core/processing_clock.hpp"
#include "pipelines/replay/pipeline_executor.hpp"

namespace ananas::pipeline {

struct LocalRunner::SourceState {
  const BuiltSource* built = nullptr;
  std::unique_ptr<SourceRowDecoder> decoder;
  ops::PartitionWatermarks watermarks;

  bool reads(const std::string& topic) const {
    return std::find(built->topics.begin(), built->topics.end(), topic) != built->topics.end();
  }
};

LocalRunner::LocalRunner(const BuiltPipeline& pipeline) : pipeline_(pipeline) {
  for (const auto& s : pipeline.sources) {
    auto st = std::make_unique<SourceState>();
    st->built = &s;
    st->decoder = s.make_decoder();
    sources_.push_back(std::move(st));
  }
  executor_ = make_local_executor(pipeline, [this](const BuiltSink& sink, const BatchPtr& batch) {
    SinkRecords records;
    encode_sink_records(sink, *batch, records);
    auto owned = [](std::optional<std::string_view> v) { return v ? std::optional<std::string>(*v) : std::nullopt; };
    for (size_t i = 0; i < records.size(); ++i)
      outputs_.push_back({sink.topic, owned(records.key(i)), owned(records.value(i))});
  });
}

LocalRunner::~LocalRunner() = default;

void LocalRunner::run(const std::vector<KcatRecord>& records) {
  // Every partition that appears in the input is a partition of the source.
  for (auto& s : sources_) {
    std::set<int32_t> partitions;
    for (const auto& r : records)
      if (s->reads(r.topic)) partitions.insert(r.partition);
    for (int32_t p : partitions) s->watermarks.declare_partition(p, 0);
  }
  for (const auto& r : records) {
    for (size_t i = 0; i < sources_.size(); ++i) {
      auto& s = *sources_[i];
      if (!s.reads(r.topic)) continue;
      auto batch = std::make_shared<Batch>(s.built->schema.size(), 1);
      RecordView view{r.topic, r.partition, r.offset, r.timestamp_ms,
                      r.key ? std::optional<std::string_view>(*r.key) : std::nullopt,
                      r.payload ? std::optional<std::string_view>(*r.payload) : std::nullopt};
      // Offline there is no wall clock: processing time is the record's own timestamp.
      DecodedRecord d = s.decoder->decode(view, *batch, r.timestamp_ms);
      if (d.status == JsonDecodeStatus::Error) {
        bad_.push_back({r.topic + "/" + std::to_string(r.partition) + "@" + std::to_string(r.offset), d.error});
        continue;
      }
      if (d.status != JsonDecodeStatus::Row) continue;
      executor_->push(i, batch);
      // Processing-time windows fire once the clock (--now or the wall clock)
      // passes their end; with --now it stands still and none fires.
      executor_->advance_processing_time(processing_time_now_ms());
      if (d.watermark_candidate) {
        if (auto w = s.watermarks.on_record(r.partition, *d.watermark_candidate, r.timestamp_ms))
          executor_->offer_watermark(i, *w);
      }
    }
  }
  // The end of the input fires every event-time window, but no processing-time
  // one: Flink drops pending processing-time timers when a bounded input ends.
  for (size_t i = 0; i < sources_.size(); ++i) {
    sources_[i]->watermarks.advance_to_end();
    executor_->end_of_input(i);
  }
}

uint64_t LocalRunner::late_records_dropped() const {
  uint64_t n = 0;
  for (size_t i = 0; i < pipeline_.operators.size(); ++i)
    n += executor_->op(sources_.size() + i).stats().late_records_dropped;
  return n;
}

uint64_t LocalRunner::state_entries() const {
  uint64_t n = 0;
  for (size_t i = 0; i < pipeline_.operators.size(); ++i)
    n += executor_->op(sources_.size() + i).stats().state_entries;
  return n;
}

}  // namespace ananas::pipeline
