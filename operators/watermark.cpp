#include "operators/watermark.hpp"

#include <stdexcept>
#include <string>

namespace ananas::ops {

void PartitionWatermarks::declare_partition(int32_t partition, int64_t now_ms) {
  auto [it, inserted] = partitions_.try_emplace(partition);
  if (inserted) it->second.last_activity_ms = now_ms;
}

std::optional<int64_t> PartitionWatermarks::on_record(int32_t partition, int64_t candidate, int64_t now_ms) {
  Partition& p = partitions_[partition];
  p.last_activity_ms = now_ms;
  p.idle = false;
  if (candidate > p.watermark) p.watermark = candidate;
  return combine();
}

std::optional<int64_t> PartitionWatermarks::on_processing_time(int64_t now_ms) {
  if (idle_timeout_ms_ <= 0) return std::nullopt;
  for (auto& [id, p] : partitions_)
    if (!p.idle && now_ms - p.last_activity_ms >= idle_timeout_ms_) p.idle = true;
  return combine();
}

std::optional<int64_t> PartitionWatermarks::advance_to_end() {
  for (auto& [id, p] : partitions_) {
    p.watermark = kMaxWatermark;
    p.idle = false;
  }
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

std::optional<int64_t> PartitionWatermarks::combine() {
  bool any_active = false;
  int64_t min = kMaxWatermark;
  for (const auto& [id, p] : partitions_) {
    if (p.idle) continue;
    any_active = true;
    if (p.watermark < min) min = p.watermark;
  }
  if (!any_active || min <= current_) return std::nullopt;
  current_ = min;
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
