#include "dataflow/exchange_watermarks.hpp"

#include <algorithm>

#include "operators/operator.hpp"

namespace ananas::dataflow {

int64_t ExchangeWatermarks::on_record(int32_t exchange_partition, const ExchangeWatermark& record) {
  auto [it, created] = partitions_.try_emplace(exchange_partition);
  PartitionView& view = it->second;
  if (created) view.watermark = ops::kMinWatermark;
  for (const ExchangeTopicShare& share : record.shares) {
    std::vector<int64_t>& wms = view.topics[share.topic].watermarks;
    // A topic that grew keeps what its old partitions reported.
    if (wms.size() < share.partitions) wms.resize(share.partitions, ops::kMinWatermark);
    for (int32_t p : share.owned) {
      if (p < 0 || static_cast<size_t>(p) >= wms.size()) continue;
      wms[static_cast<size_t>(p)] = std::max(wms[static_cast<size_t>(p)], record.watermark);
    }
  }
  int64_t lowest = ops::kMaxWatermark;
  for (const auto& [topic, t] : view.topics)
    for (int64_t w : t.watermarks) lowest = std::min(lowest, w);
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
