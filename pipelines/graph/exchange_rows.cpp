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
    const RowKind kind = dataflow::decode_exchange_row(*record.value, width_, batch.arena(), scratch_.data());
    batch.append_row(scratch_.data(), kind);
  } catch (const CorruptState& e) {
    out.status = JsonDecodeStatus::Error;
    out.error = std::string("corrupt exchange record: ") + e.what();
  }
  return out;
}

}  // namespace ananas::pipeline
