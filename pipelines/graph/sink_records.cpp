#include "pipelines/graph/sink_records.hpp"

namespace ananas::pipeline {

void encode_sink_records(const BuiltSink& sink, const Batch& batch, SinkRecords& out) {
  std::string& bytes = out.bytes_;
  // Encodes the columns after what the buffer holds and says where they are.
  auto encode = [&](const std::vector<EncodedColumn>& columns, const Value* row, const JsonEncodeOptions& options) {
    SinkRecords::Span span{bytes.size(), 0, true};
    encode_row(row, columns, bytes, options);
    span.size = bytes.size() - span.offset;
    return span;
  };
  out.records_.reserve(out.records_.size() + batch.num_rows());
  for (size_t r = 0; r < batch.num_rows(); ++r) {
    const Value* row = batch.row(r);
    SinkRecords::Record rec;
    if (sink.upsert) {
      rec.key = encode(sink.key_columns, row, sink.key_json);
      if (is_accumulate(batch.kind(r))) rec.value = encode(sink.value_columns, row, sink.value_json);
    } else {
      // The planner guarantees an append-only input here (Flink: FlinkChangelogModeInferenceProgram).
      rec.value = encode(sink.value_columns, row, sink.value_json);
    }
    out.records_.push_back(rec);
  }
}

}  // namespace ananas::pipeline
