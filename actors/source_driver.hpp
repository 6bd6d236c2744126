#pragma once
// The runtime-facing side of a source: what the source actor polls. The
// worker's graph builder implements it on top of a connector + a row decoder;
// tests implement it over an in-memory list. A driver is used by one detached
// actor at a time, so it may block (bounded by the poll timeout). A node may
// run several drivers (instances) that split the source between them.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connectors/connector.hpp"
#include "core/batch.hpp"
#include "operators/operator.hpp"

namespace ananas::rt {

struct PartitionLag {
  std::string topic;
  int32_t partition = 0;
  int64_t lag = 0;  // records between the consumer position and the high watermark
};

// A partition whose silence holds a source's watermark back.
struct HeldPartition {
  std::string topic;
  int32_t partition = 0;
  int64_t quiet_since_ms = 0;  // wall clock: its last record, or when it was first seen
  bool operator==(const HeldPartition&) const = default;
};

struct SourcePoll {
  BatchPtr batch;                              // may be null or empty: nothing arrived in time
  int64_t watermark = ops::kMinWatermark;      // the source watermark after this batch
  bool end_of_input = false;                   // bounded input exhausted: watermark becomes +inf
  uint64_t bad_records = 0;                    // malformed records skipped while building the batch
  // Records that gave no row and no error, so that they are seen (metric
  // ananas_records_without_row_total): a null or empty value or a JSON null
  // (Flink's JSON format: no row), and parse errors json.ignore-parse-errors drops.
  uint64_t no_value_records = 0;
  uint64_t ignored_parse_errors = 0;
  // Rows a keyed exchange carried a second time, dropped (dataflow/exchange_dedup.hpp).
  uint64_t duplicate_records = 0;
  std::vector<PartitionLag> lag;               // latest known consumer lag (empty: unknown)
};

// What the instances of one source node share within one run of a pipeline
// (the drivers define it: the watermarks of the table's partitions).
struct SourceShared {
  virtual ~SourceShared() = default;
};

class SourceDriver {
 public:
  virtual ~SourceDriver() = default;
  // Called before open() when the source node runs several instances: this
  // driver is instance `index` of `count` and reads only its part. `shared`
  // is the same object for every instance of the node in this run (null for
  // the first, which may create it).
  virtual void set_instance(int index, int count, std::shared_ptr<SourceShared>& shared) {
    (void)index, (void)count, (void)shared;
  }
  // Called before open() when the workers of a group split the source
  // (PipelineGraph::owned_partitions): only these partitions are this run's.
  virtual void set_owned_partitions(std::shared_ptr<const std::set<connectors::PartitionId>> owned) { (void)owned; }
  // Called before open() when each row must keep its source record
  // (Batch::origin): a keyed exchange downstream stamps rows with it.
  virtual void keep_origin() {}
  // Called before open() by a keyed exchange that folds rows into partial
  // aggregates (exchange_sink_driver.hpp): told, for each partition this run
  // starts, before any of its records, whether whoever read it before left
  // it drained (connectors::ConnectorContext::on_partition_start).
  virtual void on_partition_start(std::function<void(const connectors::PartitionId&, bool drained)> listener) {
    (void)listener;
  }
  // Connects. `position` is the opaque position of the last completed
  // checkpoint (from position()); nullopt starts from the committed offsets.
  virtual void open(const std::optional<std::string>& position) = 0;
  // Returns the next batch, waiting at most `timeout`. Throws on a fatal error
  // (the supervisor restarts the pipeline).
  virtual SourcePoll poll(std::chrono::milliseconds timeout) = 0;
  // The position just after everything poll() has returned so far.
  virtual std::string position() const = 0;
  // Makes `position` durable upstream (Kafka offset commit). Called only after
  // every sink has durably flushed the data up to it. `final`: the last
  // checkpoint of a drain, after which this run reads and sends nothing.
  virtual void commit(const std::string& position, bool final) = 0;
  // Whether the driver currently talks to its broker (readiness).
  virtual bool connected() const { return true; }
  // What the source waits for before it can read (a missing topic); empty when reading.
  virtual std::string waiting_for() const { return {}; }
  // Partitions without a record for a while that keep the source's
  // watermark where it is while its other partitions moved on.
  virtual std::vector<HeldPartition> watermark_held_by() const { return {}; }
};

}  // namespace ananas::rt
