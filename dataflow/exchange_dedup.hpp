#pragma once
// The reading side's defence against rows a keyed exchange carries twice.
// The part of a pipeline that writes the exchange checkpoints its source
// offsets like any pipeline; when its worker crashes, the worker that takes
// its source partitions over starts from the last checkpoint and writes the
// rows read since then again. Summed twice, they would over-count. So every
// row is stamped with its source record and its place among that record's
// rows (ExchangeRowStamp), and the reader remembers, per exchange partition
// and source partition, the last stamp it admitted: a writer replays a
// source partition in the order it first read it, and Kafka keeps the order
// of one exchange partition, so a row whose stamp is not past the mark has
// been admitted before. The marks are saved with the reader's offsets in its
// checkpoint position, so that a restart of the reader keeps them too.
//
// This needs what the writer guarantees (exchange_sink_driver.hpp): the
// rows of one source partition reach the exchange in their records' order
// (one instance of each operator between the source and the exchange), and
// the same record gives the same rows (deterministic operators; a filter on
// the wall clock would break it).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/source_records.hpp"
#include "dataflow/exchange_records.hpp"

namespace ananas::dataflow {

// The writer's half: the stamp of each row it sends, from the row's source
// record (Batch::source_record), numbering the rows of one record in the
// order they come.
class ExchangeRowStamper {
 public:
  // `source_topics`: the pipeline's split source topics, in the order every
  // writer lists them.
  explicit ExchangeRowStamper(std::vector<std::string> source_topics) : topics_(std::move(source_topics)) {}
  // Nullopt for a row without a source record, or from a topic not listed:
  // such a row is sent unstamped and always admitted.
  std::optional<ExchangeRowStamp> stamp(const std::optional<SourceRecord>& record);

 private:
  struct Last {
    int64_t offset = -1;
    uint32_t rows = 0;  // rows of that record stamped so far
  };
  std::vector<std::string> topics_;
  std::map<std::pair<uint32_t, int32_t>, Last> last_;
};

class ExchangeDedup {
 public:
  // True when the row is new (its stamp is past the mark of its source
  // partition in `exchange_partition`), and the mark moves to it; false for
  // a row admitted before.
  bool admit(int32_t exchange_partition, const ExchangeRowStamp& stamp);

  // The exchange partitions that have marks.
  std::vector<int32_t> partitions() const;
  // The marks of one exchange partition as text without a newline
  // ("topic:partition:offset:seq" entries separated by ','), for a
  // checkpoint position; empty when it has none.
  std::string save(int32_t exchange_partition) const;
  // Replaces the marks of `exchange_partition` with saved ones. Throws
  // CorruptState naming what is malformed.
  void restore(int32_t exchange_partition, std::string_view text);

 private:
  struct Mark {
    int64_t offset = 0;
    uint32_t seq = 0;
  };
  using SourcePartition = std::tuple<int32_t, uint32_t, int32_t>;  // exchange partition, topic, partition
  std::map<SourcePartition, Mark> marks_;
};

}  // namespace ananas::dataflow
