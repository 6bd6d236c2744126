#pragma once
// Whether a split source partition's last reader stopped cleanly, kept in the
// metadata of the offsets committed to the source's consumer group (Kafka's
// OffsetCommit carries a metadata string per partition for such notes).
//
// A keyed exchange that folds rows into partial aggregates
// (actors/drivers/exchange_sink_driver.hpp) needs it: after a reader that
// crashed, the next one restarts from the last committed offset and cannot
// repeat the partial flushes the crashed one sent past it, so it sends those
// records' rows one by one, which the exchange's de-duplication can tell.
// After a reader that drained (its final checkpoint committed, nothing read
// past it), there is nothing to tell apart.
//
//  - kDrainedMetadata: written with a drain's final commit;
//  - kReadingMetadata: written when a reader starts a partition, before it
//    reads a record, and with every periodic commit's offsets (no metadata,
//    which reads the same): a reader that dies leaves it behind.
// A partition with no committed offset has never been read by a reader that
// marks it so: nothing of it was sent.
#include <librdkafka/rdkafka.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/connector.hpp"

namespace ananas::connectors::kafka {

inline constexpr std::string_view kDrainedMetadata = "ananas:drained";
inline constexpr std::string_view kReadingMetadata = "ananas:reading";

struct CommittedMark {
  int64_t offset = -1;   // -1: none committed
  bool drained = false;  // committed with kDrainedMetadata
};

// The committed offsets and marks of `partitions` in the group of consumer
// `rk`. Throws ConnectorError when the brokers do not answer.
std::map<PartitionId, CommittedMark> read_committed_marks(rd_kafka_t* rk, const std::vector<PartitionId>& partitions,
                                                          int timeout_ms, const std::string& group);

// Commits `offsets` to the group of consumer `rk` with `metadata` on each
// (synchronously). Throws ConnectorError naming the partition that failed.
void commit_with_metadata(rd_kafka_t* rk, const PartitionOffsets& offsets, std::string_view metadata,
                          const std::string& group);

}  // namespace ananas::connectors::kafka
