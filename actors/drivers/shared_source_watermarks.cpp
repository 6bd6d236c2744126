#include "actors/drivers/shared_source_watermarks.hpp"

#include <algorithm>

namespace ananas::rt::drivers {

SharedSourceWatermarks::SharedSourceWatermarks(int instances, int64_t idle_timeout_ms)
    : instances_(instances), watermarks_(idle_timeout_ms) {}

int32_t SharedSourceWatermarks::slot(const connectors::PartitionId& p) {
  auto [it, inserted] = slots_.try_emplace(p, static_cast<int32_t>(slots_.size()));
  if (inserted) by_slot_.push_back(p);
  return it->second;
}

void SharedSourceWatermarks::declare(const std::vector<connectors::PartitionId>& partitions, int64_t now_ms) {
  std::lock_guard lock(mu_);
  for (const auto& p : partitions) watermarks_.declare_partition(slot(p), now_ms);
  if (++declared_ < instances_) return;
  // Every partition is known now: what arrived meanwhile counts.
  for (const auto& [p, held] : held_) watermarks_.on_record(slot(p), held.first, held.second);
  held_.clear();
}

int64_t SharedSourceWatermarks::advance(const std::vector<std::pair<connectors::PartitionId, int64_t>>& candidates,
                                        int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (declared_ < instances_) {
    // The tracker's watermark never goes back, so it must not see these
    // before every partition is declared: hold each partition's highest.
    for (const auto& [p, candidate] : candidates) {
      auto [it, inserted] = held_.try_emplace(p, candidate, now_ms);
      if (!inserted) it->second = {std::max(it->second.first, candidate), now_ms};
    }
    return ops::kMinWatermark;
  }
  for (const auto& [p, candidate] : candidates) watermarks_.on_record(slot(p), candidate, now_ms);
  watermarks_.on_processing_time(now_ms);
  return watermarks_.current();
}

std::vector<HeldPartition> SharedSourceWatermarks::holding_back(int64_t now_ms, int64_t quiet_ms) const {
  std::lock_guard lock(mu_);
  std::vector<HeldPartition> out;
  if (declared_ < instances_) return out;
  for (const auto& h : watermarks_.holding_back(now_ms, quiet_ms)) {
    const auto& p = by_slot_.at(static_cast<size_t>(h.partition));
    out.push_back({p.topic, p.partition, h.quiet_since_ms});
  }
  return out;
}

int64_t SharedSourceWatermarks::current() const {
  std::lock_guard lock(mu_);
  return declared_ < instances_ ? ops::kMinWatermark : watermarks_.current();
}

}  // namespace ananas::rt::drivers
