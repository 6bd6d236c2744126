#include "dataflow/exchange_watermarks.hpp"

#include <algorithm>

#include "operators/operator.hpp"

namespace ananas::dataflow {

int64_t ExchangeWatermarks::on_record(int32_t exchange_partition, const ExchangeWatermark& record) {
  auto [it, created] = partitions_.try_emplace(exchange_partition);
  PartitionView& view = it->second;
  if (created) view.watermark = ops::kMinWatermark;
  for (const ExchangeTopicShare& share : record.shares) {
    SourceTopic& topic = view.topics[share.topic];
    // A topic that grew keeps what its old partitions reported.
    topic.partitions = std::max(topic.partitions, share.partitions);
    for (int32_t p : share.owned) {
      if (p < 0 || static_cast<uint32_t>(p) >= topic.partitions) continue;
      auto [w, fresh] = topic.reported.try_emplace(p, record.watermark);
      if (!fresh) w->second = std::max(w->second, record.watermark);
    }
  }
  int64_t lowest = ops::kMaxWatermark;
  for (const auto& [name, t] : view.topics) {
    if (t.reported.size() < t.partitions) lowest = ops::kMinWatermark;  // a source partition no one reported yet
    for (const auto& [p, w] : t.reported) lowest = std::min(lowest, w);
  }
  if (view.topics.empty()) lowest = ops::kMinWatermark;
  // Never back: a record naming a topic not seen before starts it at the minimum.
  view.watermark = std::max(view.watermark, lowest);
  return view.watermark;
}

int64_t ExchangeWatermarks::watermark(int32_t exchange_partition) const {
  auto it = partitions_.find(exchange_partition);
  return it == partitions_.end() ? ops::kMinWatermark : it->second.watermark;
}

}  // namespace ananas::dataflow
