#include "pipelines/replay/local_runner.hpp"

#include <algorithm>
#include <set>

namespace ananas::pipeline {

struct LocalRunner::SourceState {
  const BuiltSource* built = nullptr;
  std::unique_ptr<SourceRowDecoder> decoder;
  ops::PartitionWatermarks watermarks;
  int64_t current = ops::kMinWatermark;
};

struct LocalRunner::OperatorState {
  const BuiltOperator* built = nullptr;
  ops::OperatorPtr op;
  int64_t watermark = ops::kMinWatermark;
};

LocalRunner::LocalRunner(const BuiltPipeline& pipeline) : pipeline_(pipeline) {
  for (const auto& s : pipeline.sources) {
    auto st = std::make_unique<SourceState>();
    st->built = &s;
    st->decoder = s.make_decoder();
    sources_.push_back(std::move(st));
  }
  for (const auto& o : pipeline.operators) {
    auto st = std::make_unique<OperatorState>();
    st->built = &o;
    st->op = o.make();
    operators_.push_back(std::move(st));
  }
}

LocalRunner::~LocalRunner() = default;

void LocalRunner::deliver(const std::string& node, const BatchPtr& batch) {
  if (!batch || batch->empty()) return;
  for (auto& o : operators_) {
    if (o->built->input != node) continue;
    std::vector<BatchPtr> out;
    o->op->process(batch, out);
    for (const auto& b : out) deliver(o->built->name, b);
  }
  for (const auto& s : pipeline_.sinks) {
    if (s.input != node) continue;
    std::vector<SinkRecord> records;
    encode_sink_records(s, *batch, records);
    for (auto& r : records) outputs_.push_back({s.topic, std::move(r.key), std::move(r.value)});
  }
}

// A watermark flows from a source through the operators in topological order;
// each operator emits what became final before its consumers see the watermark.
void LocalRunner::advance_watermark(SourceState& source, int64_t watermark) {
  source.current = watermark;
  std::map<std::string, int64_t> node_watermark;
  for (const auto& s : sources_) node_watermark[s->built->spec->name] = s->current;
  for (auto& o : operators_) {
    int64_t in = node_watermark[o->built->input];
    if (in > o->watermark) {
      o->watermark = in;
      std::vector<BatchPtr> out;
      o->op->on_watermark(in, out);
      for (const auto& b : out) deliver(o->built->name, b);
    }
    node_watermark[o->built->name] = o->watermark;
  }
}

void LocalRunner::run(const std::vector<KcatRecord>& records) {
  // Every partition that appears in the input is a partition of the source.
  for (auto& s : sources_) {
    std::set<int32_t> partitions;
    for (const auto& r : records)
      if (std::find(s->built->topics.begin(), s->built->topics.end(), r.topic) != s->built->topics.end())
        partitions.insert(r.partition);
    for (int32_t p : partitions) s->watermarks.declare_partition(p, 0);
  }
  for (const auto& r : records) {
    for (auto& s : sources_) {
      if (std::find(s->built->topics.begin(), s->built->topics.end(), r.topic) == s->built->topics.end()) continue;
      auto batch = std::make_shared<Batch>(s->built->schema.size(), 1);
      RecordView view{r.topic, r.partition, r.offset, r.timestamp_ms,
                      r.key ? std::optional<std::string_view>(*r.key) : std::nullopt,
                      r.payload ? std::optional<std::string_view>(*r.payload) : std::nullopt};
      // Offline there is no wall clock: processing time is the record's own timestamp.
      DecodedRecord d = s->decoder->decode(view, *batch, r.timestamp_ms);
      if (d.status == JsonDecodeStatus::Error) {
        bad_.push_back({r.topic + "/" + std::to_string(r.partition) + "@" + std::to_string(r.offset), d.error});
        continue;
      }
      if (d.status != JsonDecodeStatus::Row) continue;
      deliver(s->built->spec->name, batch);
      if (d.watermark_candidate) {
        if (auto w = s->watermarks.on_record(r.partition, *d.watermark_candidate, r.timestamp_ms)) advance_watermark(*s, *w);
      }
    }
  }
  for (auto& s : sources_) {
    s->watermarks.advance_to_end();
    advance_watermark(*s, ops::kMaxWatermark);
  }
}

uint64_t LocalRunner::late_records_dropped() const {
  uint64_t n = 0;
  for (const auto& o : operators_) n += o->op->stats().late_records_dropped;
  return n;
}

uint64_t LocalRunner::state_entries() const {
  uint64_t n = 0;
  for (const auto& o : operators_) n += o->op->stats().state_entries;
  return n;
}

}  // namespace ananas::pipeline
