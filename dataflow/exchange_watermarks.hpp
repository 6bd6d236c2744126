#pragma once
// The watermark of each partition of an exchange topic, from the watermark
// records its writers send (dataflow/exchange_records.hpp).
//
// A writer's watermark is the minimum over the source partitions it reads,
// so it is a lower bound of each of them: a source partition's watermark here
// is the highest any writer has reported for it (it never goes back, also
// when the partition moves to a writer that starts over), and an exchange
// partition's watermark is the minimum over every source partition the
// writers have named, counted from the topics' partition counts, so one that
// no writer has reported yet holds it at kMinWatermark. At steady state that
// is min over writers of their watermarks: what one worker reading every
// source partition computes. Each exchange partition is tracked alone,
// because a writer's watermark record follows, in each partition, the rows
// it covers in that partition only.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "dataflow/exchange_records.hpp"

namespace ananas::dataflow {

class ExchangeWatermarks {
 public:
  // Applies a watermark record read from `exchange_partition` and returns
  // that partition's watermark (kMinWatermark while a source partition has
  // not been reported).
  int64_t on_record(int32_t exchange_partition, const ExchangeWatermark& record);
  int64_t watermark(int32_t exchange_partition) const;

 private:
  // Sparse, so that a record naming a topic of a billion partitions (a
  // corrupt or hostile one) costs what it holds, not gigabytes.
  struct SourceTopic {
    uint32_t partitions = 0;                   // the most any record said the topic has
    std::map<int32_t, int64_t> reported;       // per source partition reported so far
  };
  struct PartitionView {
    std::map<std::string, SourceTopic> topics;
    int64_t watermark;
  };
  std::map<int32_t, PartitionView> partitions_;
};

}  // namespace ananas::dataflow
