#include "pipelines/graph/exchange_rows.hpp"

#include "core/row_codec.hpp"
#include "operators/operator.hpp"

namespace ananas::pipeline {

DecodedRecord ExchangeRowDecoder::decode(const RecordView& record, Batch& batch, int64_t /*proctime_ms*/) {
  DecodedRecord out;
  if (!record.value) {
    out.status = JsonDecodeStatus::Error;
    out.error = "exchange record without a value";
    return out;
  }
  try {
    if (dataflow::exchange_record_kind(*record.value) == dataflow::ExchangeRecordKind::Watermark) {
      const int64_t wm = watermarks_.on_record(record.partition, dataflow::decode_exchange_watermark(*record.value));
      out.status = JsonDecodeStatus::NoRow;
      out.control = true;
      if (wm != ops::kMinWatermark) out.watermark_candidate = wm;
      return out;
    }
    if (dataflow::exchange_record_kind(*record.value) == dataflow::ExchangeRecordKind::Partials) {
      if (!partials_) throw CorruptState("partial aggregates in an exchange that carries rows only");
      partial_rows_.clear();
      const auto stamp = dataflow::decode_exchange_partials(*record.value, width_, batch.arena(), partial_rows_);
      if (!dedup_.admit(record.partition, stamp)) {
        out.status = JsonDecodeStatus::NoRow;
        out.duplicate = true;
        return out;
      }
      for (size_t i = 0; i + width_ < partial_rows_.size(); i += width_ + 1) batch.append_row(partial_rows_.data() + i, RowKind::Insert);
      if (partial_rows_.empty()) out.status = JsonDecodeStatus::NoRow;
      return out;
    }
    std::optional<dataflow::ExchangeRowStamp> stamp;
    const RowKind kind = dataflow::decode_exchange_row(*record.value, width_, batch.arena(), scratch_.data(), &stamp);
    if (stamp && !dedup_.admit(record.partition, *stamp)) {
      out.status = JsonDecodeStatus::NoRow;
      out.duplicate = true;
      return out;
    }
    if (partials_) scratch_[width_] = Value::null();
    batch.append_row(scratch_.data(), kind);
  } catch (const CorruptState& e) {
    out.status = JsonDecodeStatus::Error;
    out.error = std::string("corrupt exchange record: ") + e.what();
  }
  return out;
}

std::vector<std::pair<int32_t, std::string>> ExchangeRowDecoder::marks() const {
  std::vector<std::pair<int32_t, std::string>> out;
  for (int32_t p : dedup_.partitions()) out.emplace_back(p, dedup_.save(p));
  return out;
}

}  // namespace ananas::pipeline
