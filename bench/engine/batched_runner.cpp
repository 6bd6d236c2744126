#include "bench/engine/batched_runner.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

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
  std::shared_ptr<Batch> pending;  // the batch being filled
  const Consumers* consumers = nullptr;
};

struct BatchedRunner::OperatorSlot {
  const pipeline::BuiltOperator* built = nullptr;
  ops::OperatorPtr op;
  int64_t watermark = ops::kMinWatermark;
  size_t input_source = SIZE_MAX;    // index into sources_, when the input is a source
  size_t input_operator = SIZE_MAX;  // index into operators_, when the input is an operator
  const Consumers* consumers = nullptr;
};

BatchedRunner::BatchedRunner(const BuiltPipeline& pipeline, std::string topic, size_t batch_rows)
    : pipeline_(pipeline), topic_(std::move(topic)), batch_rows_(std::max<size_t>(batch_rows, 1)) {
  // Consumer lists are resolved once, so delivering a batch does no name lookups.
  auto add_node = [&](const std::string& name) {
    Consumers c;
    for (size_t i = 0; i < pipeline.operators.size(); ++i)
      if (pipeline.operators[i].input == name) c.operators.push_back(i);
    for (size_t i = 0; i < pipeline.sinks.size(); ++i)
      if (pipeline.sinks[i].input == name) c.sinks.push_back(i);
    consumers_.emplace_back(name, std::move(c));
  };
  for (const auto& s : pipeline.sources) add_node(s.spec->name);
  for (const auto& o : pipeline.operators) add_node(o.name);

  for (const auto& s : pipeline.sources) {
    if (std::find(s.topics.begin(), s.topics.end(), topic_) == s.topics.end())
      throw std::runtime_error("source '" + s.spec->name + "' does not read topic '" + topic_ + "'");
    auto st = std::make_unique<SourceState>();
    st->built = &s;
    st->decoder = s.make_decoder();
    st->watermarks.declare_partition(kPartition, 0);
    st->consumers = &consumers_of(s.spec->name);
    sources_.push_back(std::move(st));
  }
  for (const auto& o : pipeline.operators) {
    auto st = std::make_unique<OperatorSlot>();
    st->built = &o;
    st->op = o.make();
    st->consumers = &consumers_of(o.name);
    for (size_t i = 0; i < pipeline.sources.size(); ++i)
      if (pipeline.sources[i].spec->name == o.input) st->input_source = i;
    for (size_t i = 0; i < operators_.size(); ++i)
      if (operators_[i]->built->name == o.input) st->input_operator = i;
    operators_.push_back(std::move(st));
  }
}

BatchedRunner::~BatchedRunner() = default;

const BatchedRunner::Consumers& BatchedRunner::consumers_of(const std::string& node) const {
  for (const auto& [name, c] : consumers_)
    if (name == node) return c;
  throw std::logic_error("unknown pipeline node '" + node + "'");
}

void BatchedRunner::deliver(const Consumers& to, const BatchPtr& batch) {
  if (!batch || batch->empty()) return;
  for (size_t i : to.operators) {
    auto& o = *operators_[i];
    std::vector<BatchPtr> out;
    o.op->process(batch, out);
    for (const auto& b : out) deliver(*o.consumers, b);
  }
  for (size_t i : to.sinks) {
    sink_scratch_.clear();
    pipeline::encode_sink_records(pipeline_.sinks[i], *batch, sink_scratch_);
    counters_.sink_records += sink_scratch_.size();
    for (const auto& r : sink_scratch_)
      counters_.sink_bytes += (r.key ? r.key->size() : 0) + (r.value ? r.value->size() : 0);
  }
}

// As in the worker: operators see the watermark in topological order, each
// after its upstream has emitted what the watermark made final.
void BatchedRunner::push_watermarks() {
  for (auto& o : operators_) {
    int64_t in = o->input_source != SIZE_MAX ? sources_[o->input_source]->watermarks.current()
                 : o->input_operator != SIZE_MAX ? operators_[o->input_operator]->watermark
                                                 : ops::kMinWatermark;
    if (in <= o->watermark) continue;
    o->watermark = in;
    std::vector<BatchPtr> out;
    o->op->on_watermark(in, out);
    for (const auto& b : out) deliver(*o->consumers, b);
  }
}

void BatchedRunner::flush_source(SourceState& source) {
  if (!source.pending || source.pending->empty()) return;
  BatchPtr batch = std::move(source.pending);
  source.pending.reset();
  deliver(*source.consumers, batch);
}

void BatchedRunner::feed(const OrderData& data, int64_t ts_shift_ms, int64_t id_offset) {
  int64_t proctime = wall_clock_ms();
  for (size_t begin = 0; begin < data.records.size(); begin += batch_rows_) {
    size_t end = std::min(begin + batch_rows_, data.records.size());
    for (auto& s : sources_) {
      s->pending = std::make_shared<Batch>(s->built->schema.size(), end - begin);
      bool advanced = false;
      for (size_t i = begin; i < end; ++i) {
        const OrderRecord& r = data.records[i];
        int64_t ts = r.timestamp_ms + ts_shift_ms;
        std::string_view value = with_id_offset(data.value(r), id_offset, value_scratch_);
        pipeline::RecordView view{topic_, kPartition, static_cast<int64_t>(i), ts, std::nullopt, value};
        pipeline::DecodedRecord d = s->decoder->decode(view, *s->pending, proctime);
        if (d.status == JsonDecodeStatus::Error) ++counters_.bad_records;
        if (d.status == JsonDecodeStatus::Row && d.watermark_candidate)
          advanced |= s->watermarks.on_record(kPartition, *d.watermark_candidate, proctime).has_value();
      }
      flush_source(*s);
      if (advanced) push_watermarks();
    }
    counters_.orders += end - begin;
    proctime = wall_clock_ms();
  }
}

void BatchedRunner::finish() {
  for (auto& s : sources_) {
    flush_source(*s);
    s->watermarks.advance_to_end();
    push_watermarks();
  }
}

std::vector<OperatorState> BatchedRunner::operator_states() const {
  std::vector<OperatorState> out;
  for (const auto& o : operators_) out.push_back({o->built->name, std::string(o->op->kind()), o->op->stats()});
  return out;
}

}  // namespace ananas::bench
