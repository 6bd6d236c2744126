#include "pipelines/graph/source_rows.hpp"

#include "pipelines/graph/json_format_options.hpp"

namespace ananas::pipeline {

static std::vector<JsonField> physical_fields(const BuiltSource& s) {
  std::vector<JsonField> out;
  for (size_t i = 0; i < s.spec->columns.size(); ++i) {
    const Column& c = s.spec->columns[i];
    if (c.metadata || c.expression) continue;
    // A column nothing reads is checked but not kept: its cell stays NULL and
    // a string in it is not copied. Checked, because Flink's Kafka source
    // deserializes every physical column (its KafkaDynamicSource does not push
    // projections into the format; FLINK-32609 is open), so a wrong type in an
    // unread INT column makes the record bad there too.
    const bool read = s.columns_needed.empty() || (i < s.columns_needed.size() && s.columns_needed[i]);
    out.push_back({i, c.name, s.schema[i].type, read});
  }
  return out;
}

SourceRowDecoder::SourceRowDecoder(const BuiltSource& source, std::vector<expr::CompiledExprPtr> computed,
                                   expr::CompiledExprPtr watermark)
    : json_(physical_fields(source), source.schema.size(), json_decode_options(source.spec->options)),
      meta_(source.schema.size(), Meta::None),
      computed_(std::move(computed)),
      watermark_(std::move(watermark)) {
  for (size_t i = 0; i < source.spec->columns.size(); ++i) {
    const auto& m = source.spec->columns[i].metadata;
    if (!m) continue;
    if (*m == "timestamp") meta_[i] = Meta::Timestamp;
    else if (*m == "partition") meta_[i] = Meta::Partition;
    else if (*m == "offset") meta_[i] = Meta::Offset;
    else if (*m == "topic") meta_[i] = Meta::Topic;
  }
}

DecodedRecord SourceRowDecoder::decode(const RecordView& record, Batch& batch, int64_t proctime_ms) {
  DecodedRecord out;
  JsonDecodeResult r = json_.decode_append(record.value, batch);
  out.status = r.status;
  out.error = std::move(r.error);
  if (!r.ok()) return out;
  size_t index = batch.num_rows() - 1;
  Value* row = batch.mutable_row(index);
  for (size_t i = 0; i < meta_.size(); ++i) {
    switch (meta_[i]) {
      case Meta::None: break;
      // The Kafka timestamp is an instant; read as TIMESTAMP(3) in the UTC session zone it is the same millis (Flink docs, Table API & SQL > Concepts > Time Zone).
      case Meta::Timestamp: row[i] = Value::integer(record.timestamp_ms); break;
      case Meta::Partition: row[i] = Value::integer(record.partition); break;
      case Meta::Offset: row[i] = Value::integer(record.offset); break;
      case Meta::Topic: row[i] = Value::string(batch.arena().copy(record.topic)); break;
    }
  }
  expr::EvalContext ctx{&batch.arena(), nullptr, proctime_ms};
  try {
    for (size_t i = 0; i < computed_.size(); ++i)
      if (computed_[i]) batch.mutable_row(index)[i] = computed_[i]->eval(batch.row(index), ctx);
    if (watermark_) {
      Value w = watermark_->eval(batch.row(index), ctx);
      if (!w.is_null()) out.watermark_candidate = w.as_int();
    }
  } catch (const expr::EvalError& e) {
    // The row is unusable: take it back and report the record as bad.
    out.status = JsonDecodeStatus::Error;
    out.error = e.what();
    batch.pop_row();
  }
  return out;
}

}  // namespace ananas::pipeline
