#pragma once
// The watermark of one source table read by several instances, each owning
// some of its partitions, in one run of a pipeline. One PartitionWatermarks
// over every partition, shared: the table's watermark is the minimum over all
// its partitions whichever instance read them, with the same idleness rules
// as one instance reading them all (Flink's per-partition watermarks). Until
// every instance has declared its partitions the watermark stays at its
// minimum, so an instance that opened first cannot run ahead of partitions
// another has not declared yet.
//
// Each instance emits the shared watermark after its batches, and the
// operators downstream take the minimum over the instances: a watermark never
// overtakes the rows an instance has read but not yet sent, because that
// instance's own last watermark is older than them.
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "actors/source_driver.hpp"
#include "connectors/connector.hpp"
#include "operators/watermark.hpp"

namespace ananas::rt::drivers {

class SharedSourceWatermarks : public SourceShared {
 public:
  SharedSourceWatermarks(int instances, int64_t idle_timeout_ms);

  // Once per instance, at open: the partitions it reads (possibly none).
  void declare(const std::vector<connectors::PartitionId>& partitions, int64_t now_ms);
  // The highest watermark candidate of each partition in one batch (records
  // before the batch's end), then idleness at `now_ms`. Returns the table's
  // watermark.
  int64_t advance(const std::vector<std::pair<connectors::PartitionId, int64_t>>& candidates, int64_t now_ms);
  int64_t current() const;
  // Partitions silent for `quiet_ms` that hold the watermark back (ops::PartitionWatermarks::holding_back).
  std::vector<HeldPartition> holding_back(int64_t now_ms, int64_t quiet_ms) const;

 private:
  int32_t slot(const connectors::PartitionId& p);  // PartitionWatermarks numbers partitions: one slot per (topic, partition)

  mutable std::mutex mu_;
  const int instances_;
  int declared_ = 0;
  ops::PartitionWatermarks watermarks_;
  std::map<connectors::PartitionId, int32_t> slots_;
  std::vector<connectors::PartitionId> by_slot_;
  // Candidates that arrived before every instance declared: (highest, when).
  std::map<connectors::PartitionId, std::pair<int64_t, int64_t>> held_;
};

}  // namespace ananas::rt::drivers
