#pragma once
// The runtime-facing side of a source: what the source actor polls. The
// worker's graph builder implements it on top of a connector + a row decoder;
// tests implement it over an in-memory list. A driver is used by one detached
// actor at a time, so it may block (bounded by the poll timeout).
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/batch.hpp"
#include "operators/operator.hpp"

namespace ananas::rt {

struct PartitionLag {
  std::string topic;
  int32_t partition = 0;
  int64_t lag = 0;  // records between the consumer position and the high watermark
};

struct SourcePoll {
  BatchPtr batch;                              // may be null or empty: nothing arrived in time
  int64_t watermark = ops::kMinWatermark;      // the source watermark after this batch
  bool end_of_input = false;                   // bounded input exhausted: watermark becomes +inf
  uint64_t bad_records = 0;                    // malformed records skipped while building the batch
  std::vector<PartitionLag> lag;               // latest known consumer lag (empty: unknown)
};

class SourceDriver {
 public:
  virtual ~SourceDriver() = default;
  // Connects. `position` is the opaque position of the last completed
  // checkpoint (from position()); nullopt starts from the committed offsets.
  virtual void open(const std::optional<std::string>& position) = 0;
  // Returns the next batch, waiting at most `timeout`. Throws on a fatal error
  // (the supervisor restarts the pipeline).
  virtual SourcePoll poll(std::chrono::milliseconds timeout) = 0;
  // The position just after everything poll() has returned so far.
  virtual std::string position() const = 0;
  // Makes `position` durable upstream (Kafka offset commit). Called only after
  // every sink has durably flushed the data up to it.
  virtual void commit(const std::string& position) = 0;
  // Whether the driver currently talks to its broker (readiness).
  virtual bool connected() const { return true; }
  // What the source waits for before it can read (a missing topic); empty when reading.
  virtual std::string waiting_for() const { return {}; }
};

}  // namespace ananas::rt
