#include "pipelines/graph/sink_records.hpp"

namespace ananas::pipeline {

void encode_sink_records(const BuiltSink& sink, const Batch& batch, std::vector<SinkRecord>& out) {
  for (size_t r = 0; r < batch.num_rows(); ++r) {
    const Value* row = batch.row(r);
    SinkRecord rec;
    RowKind kind = batch.kind(r);
    if (sink.upsert) {
      rec.key.emplace();
      encode_row(row, sink.key_columns, *rec.key);
      if (is_accumulate(kind)) {
        rec.value.emplace();
        encode_row(row, sink.value_columns, *rec.value);
      }
    } else {
      // The planner guarantees an append-only input here (Flink: FlinkChangelogModeInferenceProgram).
      rec.value.emplace();
      encode_row(row, sink.value_columns, *rec.value);
    }
    out.push_back(std::move(rec));
  }
}

}  // namespace ananas::pipeline
