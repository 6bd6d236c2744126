#include "operators/watermark.hpp"

#include <algorithm>

#include <stdexcept>
#include <string>

namespace ananas::ops {

void PartitionWatermarks::declare_partition(int32_t partition, int64_t now_ms) {
  auto [it, inserted] = partitions_.try_emplace(partition);
  if (inserted) {
    it->second.last_activity_ms = now_ms;
    min_valid_ = false;
  }
}

std::optional<int64_t> PartitionWatermarks::on_record(int32_t partition, int64_t candidate, int64_t now_ms) {
  auto [it, inserted] = partitions_.try_emplace(partition);
  Partition& p = it->second;
  p.last_activity_ms = now_ms;
  if (inserted || p.idle) {
    p.idle = false;
    min_valid_ = false;
  }
  if (candidate > p.watermark) {
    // p was active and at least the minimum: the minimum can only rise when
    // p was its last holder.
    if (min_valid_ && p.watermark == min_active_ && --min_holders_ == 0) min_valid_ = false;
    p.watermark = candidate;
  }
  return combine();
}

std::optional<int64_t> PartitionWatermarks::on_processing_time(int64_t now_ms) {
  if (idle_timeout_ms_ <= 0) return std::nullopt;
  for (auto& [id, p] : partitions_)
    if (!p.idle && now_ms - p.last_activity_ms >= idle_timeout_ms_) {
      p.idle = true;
      min_valid_ = false;
    }
  return combine();
}

std::optional<int64_t> PartitionWatermarks::advance_to_end() {
  for (auto& [id, p] : partitions_) {
    p.watermark = kMaxWatermark;
    p.idle = false;
  }
  min_valid_ = false;
  if (current_ == kMaxWatermark) return std::nullopt;
  current_ = kMaxWatermark;
  return current_;
}

bool PartitionWatermarks::idle() const {
  if (partitions_.empty()) return false;
  for (const auto& [id, p] : partitions_)
    if (!p.idle) return false;
  return true;
}

bool PartitionWatermarks::partition_idle(int32_t partition) const {
  auto it = partitions_.find(partition);
  return it != partitions_.end() && it->second.idle;
}

std::vector<PartitionWatermarks::Holder> PartitionWatermarks::holding_back(int64_t now_ms, int64_t quiet_ms) const {
  int64_t lowest = kMaxWatermark, highest = kMinWatermark;
  for (const auto& [id, p] : partitions_) {
    if (p.idle) continue;
    lowest = std::min(lowest, p.watermark);
    highest = std::max(highest, p.watermark);
  }
  std::vector<Holder> out;
  if (highest <= lowest) return out;  // nobody is ahead: the whole source is where it is
  for (const auto& [id, p] : partitions_)
    if (!p.idle && p.watermark == lowest && now_ms - p.last_activity_ms >= quiet_ms)
      out.push_back({id, p.last_activity_ms});
  return out;
}

void PartitionWatermarks::recompute_min() {
  any_active_ = false;
  min_active_ = kMaxWatermark;
  min_holders_ = 0;
  for (const auto& [id, p] : partitions_) {
    if (p.idle) continue;
    any_active_ = true;
    if (p.watermark < min_active_) {
      min_active_ = p.watermark;
      min_holders_ = 1;
    } else if (p.watermark == min_active_) {
      ++min_holders_;
    }
  }
  min_valid_ = true;
}

std::optional<int64_t> PartitionWatermarks::combine() {
  if (!min_valid_) recompute_min();
  if (!any_active_ || min_active_ <= current_) return std::nullopt;
  current_ = min_active_;
  return current_;
}

void PartitionWatermarks::snapshot(StateWriter& w) const {
  w.i64(current_);
  w.u64(partitions_.size());
  for (const auto& [id, p] : partitions_) {
    w.i64(id);
    w.i64(p.watermark);
    w.i64(p.last_activity_ms);
    w.u8(p.idle ? 1 : 0);
  }
}

void PartitionWatermarks::restore(StateReader& r) {
  partitions_.clear();
  min_valid_ = false;
  current_ = r.i64();
  for (uint64_t i = 0, n = r.u64(); i < n; ++i) {
    auto id = static_cast<int32_t>(r.i64());
    Partition p;
    p.watermark = r.i64();
    p.last_activity_ms = r.i64();
    p.idle = r.u8() != 0;
    partitions_[id] = p;
  }
}

InputWatermarks::InputWatermarks(size_t inputs) : inputs_(inputs) {
  if (inputs == 0) throw std::invalid_argument("an operator needs at least one input");
}

std::optional<int64_t> InputWatermarks::on_watermark(size_t input, int64_t watermark) {
  Input& in = inputs_.at(input);
  if (in.idle) {
    in.idle = false;
    in.aligned = false;
  }
  if (watermark > in.watermark) in.watermark = watermark;
  if (!in.aligned && in.watermark >= current_) in.aligned = true;
  return combine();
}

std::optional<int64_t> InputWatermarks::set_idle(size_t input, bool idle) {
  Input& in = inputs_.at(input);
  if (in.idle == idle) return std::nullopt;
  in.idle = idle;
  // Coming back behind the output: excluded until it catches up, so the
  // combined watermark neither goes back nor stalls on it.
  if (!idle) in.aligned = in.watermark >= current_;
  return combine();
}

bool InputWatermarks::idle() const {
  for (const auto& in : inputs_)
    if (!in.idle) return false;
  return true;
}

std::optional<int64_t> InputWatermarks::combine() {
  bool any = false;
  int64_t min = kMaxWatermark;
  for (const auto& in : inputs_) {
    if (in.idle || !in.aligned) continue;
    any = true;
    if (in.watermark < min) min = in.watermark;
  }
  if (!any || min <= current_) return std::nullopt;
  current_ = min;
  return current_;
}

void InputWatermarks::snapshot(StateWriter& w) const {
  w.i64(current_);
  w.u64(inputs_.size());
  for (const auto& in : inputs_) {
    w.i64(in.watermark);
    w.u8(static_cast<uint8_t>((in.idle ? 1 : 0) | (in.aligned ? 2 : 0)));
  }
}

void InputWatermarks::restore(StateReader& r) {
  current_ = r.i64();
  uint64_t n = r.u64();
  if (n != inputs_.size())
    throw CorruptState("watermark state has " + std::to_string(n) + " inputs, the operator has " +
                       std::to_string(inputs_.size()));
  for (auto& in : inputs_) {
    in.watermark = r.i64();
    uint8_t flags = r.u8();
    in.idle = flags & 1;
    in.aligned = flags & 2;
  }
}

}  // namespace ananas::ops
