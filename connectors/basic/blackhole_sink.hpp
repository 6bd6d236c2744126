#pragma once
// The `blackhole` sink: discards records and counts them (for benchmarks and
// for pipelines whose output only matters through metrics).
#include <atomic>

#include "connectors/connector.hpp"

namespace ananas::connectors::basic {

class BlackholeSink : public SinkConnector {
 public:
  void write(std::optional<std::string_view> key, std::optional<std::string_view> value, int32_t = -1) override {
    records_.fetch_add(1, std::memory_order_relaxed);
    bytes_.fetch_add((key ? key->size() : 0) + (value ? value->size() : 0), std::memory_order_relaxed);
    if (!value) tombstones_.fetch_add(1, std::memory_order_relaxed);
  }
  std::vector<DeliveryError> flush(std::chrono::milliseconds) override { return {}; }
  void close() override {}

  uint64_t records() const { return records_.load(); }
  uint64_t bytes() const { return bytes_.load(); }
  uint64_t tombstones() const { return tombstones_.load(); }

 private:
  std::atomic<uint64_t> records_{0}, bytes_{0}, tombstones_{0};
};

}  // namespace ananas::connectors::basic
