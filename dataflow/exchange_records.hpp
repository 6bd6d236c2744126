#pragma once
// The records of a keyed exchange through Kafka (issue: scale-out). When the
// workers of a group split a pipeline's sources, the rows that reach its first
// keyed operator are written to an internal topic, partitioned by the
// operator's key, and read back by the worker(s) that own the key, as Kafka
// Streams repartitions through `<application.id>-...-repartition` topics.
//
// Two kinds of records travel in that topic; the first byte of the value tells
// them apart:
//  - a row: its RowKind, then its cells in the row codec (core/row_codec.hpp),
//    so an updating changelog crosses the exchange as it is; a stamped row
//    also names the source record it came from (ExchangeRowStamp), so that a
//    reader can drop the rows a writer sends again after a crash
//    (dataflow/exchange_dedup.hpp);
//  - a watermark: sent by every writer to every partition after the rows it
//    covers, naming the source partitions the writer reads (its share) and
//    how many partitions each source topic has. A reader then knows the
//    whole set of source partitions, and its watermark is the minimum over
//    all of them, as one worker reading every partition computes it
//    (dataflow/exchange_watermarks.hpp);
//  - partials: a two-phase window aggregation's flush of one source
//    partition's partial aggregates for this exchange partition
//    (operators/window_partials.hpp), in one record so that a reader gets
//    all of them or none; stamped with the last source row the flush covers.
// The key is empty: records are placed by explicit partition.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/arena.hpp"
#include "core/batch.hpp"

namespace ananas::dataflow {

enum class ExchangeRecordKind { Row, Watermark, Partials };

// The source partitions of one topic that a writer reads.
struct ExchangeTopicShare {
  std::string topic;
  uint32_t partitions = 0;     // the topic's partition count
  std::vector<int32_t> owned;  // the writer's partitions of it
  bool operator==(const ExchangeTopicShare&) const = default;
};

// Where a row crossing the exchange came from: the source record (topic as
// its index in the pipeline's source topics, which every writer lists in the
// same order; partition; offset) and the row's place among the rows that
// record gave (UNNEST gives several). Replaying a source partition from an
// offset gives the same rows with the same stamps, in the same order.
struct ExchangeRowStamp {
  uint32_t topic = 0;
  int32_t partition = 0;
  int64_t offset = 0;
  uint32_t seq = 0;
  bool operator==(const ExchangeRowStamp&) const = default;
};

struct ExchangeWatermark {
  int64_t watermark = 0;
  std::vector<ExchangeTopicShare> shares;
  bool operator==(const ExchangeWatermark&) const = default;
};

// Throws CorruptState for an empty value or an unknown first byte.
ExchangeRecordKind exchange_record_kind(std::string_view value);

// Appends the row record of `width` cells to `out`, stamped when `stamp` is set.
void encode_exchange_row(RowKind kind, const Value* row, size_t width, std::string& out,
                         const ExchangeRowStamp* stamp = nullptr);
// Decodes a row record into `out` (`width` cells; strings copied into
// `arena`) and returns its kind; `stamp`, when given, receives the record's
// stamp or nullopt. Throws CorruptState when it does not hold exactly
// `width` cells.
RowKind decode_exchange_row(std::string_view value, size_t width, Arena& arena, Value* out,
                            std::optional<ExchangeRowStamp>* stamp = nullptr);

// One partial of a partials record: a row's encoded cells (core/row_codec.hpp)
// and its partial state (ops::encode_partial_state).
struct ExchangePartialView {
  std::string_view cells;
  std::string_view state;
};
void encode_exchange_partials(const ExchangeRowStamp& stamp, const std::vector<ExchangePartialView>& partials,
                              std::string& out);
// Appends each partial to `rows` as `width` cells followed by its state (a
// string in `arena`), and returns the record's stamp. Throws CorruptState on
// anything malformed.
ExchangeRowStamp decode_exchange_partials(std::string_view value, size_t width, Arena& arena, std::vector<Value>& rows);

std::string encode_exchange_watermark(const ExchangeWatermark& w);
// Throws CorruptState on anything malformed.
ExchangeWatermark decode_exchange_watermark(std::string_view value);

}  // namespace ananas::dataflow
