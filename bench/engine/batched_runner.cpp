#include "bench/engine/batched_runner.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "pipelines/replay/pipeline_executor.hpp"

namespace ananas::bench {

using pipeline::BuiltPipeline;

namespace {

constexpr int32_t kPartition = 0;

int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct BatchedRunner::SourceState {
  const pipeline::BuiltSource* built = nullptr;
  std::unique_ptr<pipeline::SourceRowDecoder> decoder;
  ops::PartitionWatermarks watermarks;
};

BatchedRunner::BatchedRunner(const BuiltPipeline& pipeline, std::string topic, size_t batch_rows)
    : pipeline_(pipeline), topic_(std::move(topic)), batch_rows_(std::max<size_t>(batch_rows, 1)) {
  for (const auto& s : pipeline.sources) {
    if (std::find(s.topics.begin(), s.topics.end(), topic_) == s.topics.end())
      throw std::runtime_error("source '" + s.spec->name + "' does not read topic '" + topic_ + "'");
    auto st = std::make_unique<SourceState>();
    st->built = &s;
    st->decoder = s.make_decoder();
    st->watermarks.declare_partition(kPartition, 0);
    sources_.push_back(std::move(st));
  }
  executor_ = pipeline::make_local_executor(pipeline, [this](const pipeline::BuiltSink& sink, const BatchPtr& batch) {
    sink_scratch_.clear();
    pipeline::encode_sink_records(sink, *batch, sink_scratch_);
    counters_.sink_records += sink_scratch_.size();
    for (size_t i = 0; i < sink_scratch_.size(); ++i) {
      const auto key = sink_scratch_.key(i);
      const auto value = sink_scratch_.value(i);
      counters_.sink_bytes += (key ? key->size() : 0) + (value ? value->size() : 0);
    }
  });
}

BatchedRunner::~BatchedRunner() = default;

void BatchedRunner::feed(const OrderData& data, int64_t ts_shift_ms, int64_t id_offset) {
  int64_t proctime = wall_clock_ms();
  for (size_t begin = 0; begin < data.records.size(); begin += batch_rows_) {
    size_t end = std::min(begin + batch_rows_, data.records.size());
    for (size_t si = 0; si < sources_.size(); ++si) {
      auto& s = *sources_[si];
      auto batch = std::make_shared<Batch>(s.built->schema.size(), end - begin);
      for (size_t i = begin; i < end; ++i) {
        const OrderRecord& r = data.records[i];
        int64_t ts = r.timestamp_ms + ts_shift_ms;
        std::string_view value = with_id_offset(data.value(r), id_offset, value_scratch_);
        pipeline::RecordView view{topic_, kPartition, static_cast<int64_t>(i), ts, std::nullopt, value};
        pipeline::DecodedRecord d = s.decoder->decode(view, *batch, proctime);
        if (d.status == JsonDecodeStatus::Error) ++counters_.bad_records;
        if (d.status == JsonDecodeStatus::Row && d.watermark_candidate)
          s.watermarks.on_record(kPartition, *d.watermark_candidate, proctime);
      }
      // As a source actor after a poll: the batch, then its watermark if it advanced.
      executor_->push(si, batch);
      executor_->offer_watermark(si, s.watermarks.current());
    }
    counters_.orders += end - begin;
    proctime = wall_clock_ms();
  }
}

void BatchedRunner::finish() {
  for (size_t si = 0; si < sources_.size(); ++si) {
    sources_[si]->watermarks.advance_to_end();
    executor_->end_of_input(si);
  }
}

std::vector<OperatorState> BatchedRunner::operator_states() const {
  std::vector<OperatorState> out;
  for (size_t i = 0; i < pipeline_.operators.size(); ++i) {
    const auto& op = executor_->op(sources_.size() + i);
    out.push_back({pipeline_.operators[i].name, std::string(op.kind()), op.stats()});
  }
  return out;
}

}  // namespace ananas::bench
