#pragma once
// Turns one Kafka record (or a `kcat -J` line, or a datagen record) into a row
// of a source's schema: the value's JSON fills the physical columns, metadata
// columns come from the record (timestamp, partition, offset, topic), computed
// columns are evaluated, and the WATERMARK expression gives the record's
// watermark candidate (Flink: DefaultWatermarkGenerator).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/batch.hpp"
#include "core/expr/compiled_expr.hpp"
#include "core/json/json_decoder.hpp"
#include "pipelines/graph/built_pipeline.hpp"

namespace ananas::pipeline {

struct RecordView {
  std::string_view topic;
  int32_t partition = 0;
  int64_t offset = -1;
  int64_t timestamp_ms = -1;
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
};

struct DecodedRecord {
  JsonDecodeStatus status = JsonDecodeStatus::Row;  // Row: a row was appended
  std::string error;                                 // Error: what is wrong with the record
  std::optional<int64_t> watermark_candidate;        // Row with a WATERMARK, or control: its candidate
  // NoRow because the record is the transport's own (a keyed exchange's
  // watermark record), not data: not counted as a record without a row.
  bool control = false;
  // NoRow because a keyed exchange carried the row before (exchange_dedup.hpp).
  bool duplicate = false;
};

// Turns the records of one source into rows: the table's format
// (SourceRowDecoder), or the rows a keyed exchange carries (exchange_rows.hpp).
class RecordDecoder {
 public:
  virtual ~RecordDecoder() = default;
  // Appends the record's row, if any, to `batch`.
  virtual DecodedRecord decode(const RecordView& record, Batch& batch, int64_t proctime_ms) = 0;
  // What the decoder remembers of a partition's records that a restart from
  // a checkpoint needs along with the partition's offset (a keyed exchange's
  // de-duplication marks): one line of text per partition, without a
  // newline. A decoder that keeps marks reads one topic. Default: none.
  virtual std::vector<std::pair<int32_t, std::string>> marks() const { return {}; }
  // Restores what marks() returned for `partition`; throws CorruptState.
  virtual void restore_marks(int32_t partition, std::string_view text) { (void)partition, (void)text; }
};

class SourceRowDecoder final : public RecordDecoder {
 public:
  explicit SourceRowDecoder(const BuiltSource& source, std::vector<expr::CompiledExprPtr> computed,
                            expr::CompiledExprPtr watermark);
  // Appends the record's row to `batch` (whose width is the source schema's).
  DecodedRecord decode(const RecordView& record, Batch& batch, int64_t proctime_ms) override;

 private:
  enum class Meta { None, Timestamp, Partition, Offset, Topic };
  JsonRowDecoder json_;
  std::vector<Meta> meta_;
  std::vector<expr::CompiledExprPtr> computed_;  // per column: set for computed columns
  expr::CompiledExprPtr watermark_;
};

}  // namespace ananas::pipeline
