#pragma once
// The reading side of a keyed exchange through Kafka: turns the records of an
// exchange topic (dataflow/exchange_records.hpp) back into the rows, with
// their RowKind, that the writers sent, and its watermark records into a
// watermark candidate per exchange partition (dataflow/exchange_watermarks.hpp),
// which the source driver's per-partition tracker combines as for any topic.
// Stamped rows a writer sends again are dropped (dataflow/exchange_dedup.hpp);
// the marks that tell them travel in the source's checkpoint position.
// Behind a two-phase window aggregation, the rows have one more cell, the
// partial state: NULL for a row that crossed as it is, set for each partial
// of a partials record (operators/window_partials.hpp).
#include <vector>

#include "dataflow/exchange_dedup.hpp"
#include "dataflow/exchange_watermarks.hpp"
#include "pipelines/graph/source_rows.hpp"

namespace ananas::pipeline {

class ExchangeRowDecoder final : public RecordDecoder {
 public:
  // Rows are `width` cells: the schema of the exchange's input.
  // Rows are `width` cells: the schema of the exchange's input, plus the
  // partial state cell with `partials`.
  explicit ExchangeRowDecoder(size_t width, bool partials = false)
      : width_(width), partials_(partials), scratch_(width + (partials ? 1 : 0)) {}
  DecodedRecord decode(const RecordView& record, Batch& batch, int64_t proctime_ms) override;
  std::vector<std::pair<int32_t, std::string>> marks() const override;
  void restore_marks(int32_t partition, std::string_view text) override { dedup_.restore(partition, text); }

 private:
  size_t width_;
  bool partials_;
  std::vector<Value> scratch_;
  std::vector<Value> partial_rows_;
  dataflow::ExchangeWatermarks watermarks_;
  dataflow::ExchangeDedup dedup_;
};

}  // namespace ananas::pipeline
