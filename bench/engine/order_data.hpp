#pragma once
// Pre-generated pizza orders held in memory for the in-process benchmark: the
// values of an `ananas generate --output` file (key<TAB>value per line, or
// one value per line) in one contiguous buffer, each with the
// Kafka record timestamp it is replayed with.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ananas::bench {

struct OrderRecord {
  size_t offset = 0;  // into OrderData::bytes
  size_t size = 0;
  int64_t timestamp_ms = 0;
};

struct OrderData {
  std::string bytes;
  std::vector<OrderRecord> records;
  // last timestamp - first timestamp + one step: replaying the data again
  // shifted by this keeps event time increasing (for the 5x memory runs).
  int64_t time_span_ms = 0;

  std::string_view value(const OrderRecord& r) const { return {bytes.data() + r.offset, r.size}; }
  size_t value_bytes() const;
};

// Reads at most `limit` orders (0: all). The record timestamp is the value's
// own "timestamp" member (what Aiven's producer also stamps the record with);
// an order without one gets the previous timestamp + 10 ms, the generator's
// default step. Throws std::runtime_error naming file:line for an unreadable
// file or a line that is not a JSON object.
OrderData load_orders(const std::string& path, size_t limit);

// `value` with its leading `"id": N` member replaced by N + id_offset, written
// into `scratch`: replaying the data again as new orders (the aggregating
// app's groups, the upsert keys) rather than as updates of the old ones.
// Returns `value` itself when the offset is 0 or it has no leading id.
std::string_view with_id_offset(std::string_view value, int64_t id_offset, std::string& scratch);

}  // namespace ananas::bench
