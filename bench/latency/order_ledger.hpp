#pragma once
// One phase's orders by id: when each was handed to the producer and when its
// first output row was consumed, both on the same steady clock of this one
// process. Written by the producing thread and the consuming thread at once,
// so every slot is atomic; ids outside the phase's range are ignored (rows of
// an earlier phase still in flight).
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ananas::bench {

int64_t steady_ns();

// The integer of the first "id" member of a JSON object (`{"id": 7, ...}`,
// `{"id":7,...}`), or nothing.
std::optional<int64_t> parse_id(std::string_view json);

struct LatencySummary {
  size_t orders = 0;     // handed to the producer after the warm-up
  size_t expected = 0;   // of those, how many should produce output
  size_t matched = 0;    // of those, how many did (first row seen)
  size_t unexpected = 0; // output for an order that should have none
  double p50_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0, mean_ms = 0;
};

// `counts` with the nearest-rank percentiles, maximum and mean of `ms` (latencies in ms).
LatencySummary with_percentiles(LatencySummary counts, std::vector<double> ms);

class OrderLedger {
 public:
  OrderLedger(int64_t first_id, size_t capacity);

  // Called by the producer just before it hands order `id` over.
  void handed(int64_t id, int64_t now_ns, bool expects_output);
  // Called by the consumer for every output row; only the first row of an order counts.
  void consumed(int64_t id, int64_t now_ns);
  // Orders with an index >= `skip` (the warm-up ones are not measured).
  LatencySummary summary(size_t skip) const;
  size_t handed_count() const { return handed_.load(); }
  // "index sent_ms latency_ms" per measured order with output (seconds since
  // the first order; for looking at when the slow ones happened).
  void dump(const std::string& path, size_t skip) const;

 private:
  int64_t first_id_;
  size_t capacity_;
  std::unique_ptr<std::atomic<int64_t>[]> sent_ns_, first_ns_;
  std::vector<uint8_t> expects_;  // written before sent_ns_ is published
  std::atomic<size_t> handed_{0};
};

}  // namespace ananas::bench
