#pragma once
// The writing side of a keyed exchange through Kafka: the rows that reach a
// keyed operator from the part of a pipeline the workers of a group split
// by source partition go to the exchange topic
// (state/state_topics.hpp: ananas-<pipeline>-<operator>-exchange), each to
// the partition that owns its key, and are read back by the worker that runs
// the keyed part (pipelines/graph/exchange_rows.hpp).
//
//  - A row's partition comes from its key group (core/key_group.hpp: the
//    same hash the in-process partitioner uses), the key groups being cut
//    into contiguous ranges, one per partition, as instances own them; so a
//    partition is a fixed set of key groups, and the state derived from it
//    can move with it.
//  - Each time the watermark advances, a watermark record goes to every
//    partition, after the rows it covers, naming the source partitions this
//    run reads and each source topic's partition count
//    (dataflow/exchange_records.hpp).
//  - Each row is stamped with its source record (the sources keep them,
//    SourceDriver::keep_origin), so that the reader drops what this part
//    sends again when it restarts from a checkpoint after a crash
//    (dataflow/exchange_dedup.hpp).
//  - Behind a two-phase window aggregation (make_combiner set), rows are
//    folded into partial aggregates per source partition
//    (operators/window_partials.hpp) and flushed, one partials record per
//    exchange partition, before a watermark that fires their window leaves,
//    at every checkpoint, and when many are pending. A flush is stamped with
//    the last source row it covers, and a row that must cross as it is
//    flushes its source partition's partials first; so the reader's marks
//    stay exact. What a crashed predecessor may have sent cannot be replayed
//    in the same flushes, so unless the partition's last reader drained it
//    (DrainedStarts, from the source's committed offsets:
//    connectors/kafka/drained_marks.hpp), the rows already in it when this
//    run opens (below its end offset then) cross as they are.
//  - Rows crossing the exchange are not the pipeline's output: write()
//    returns 0, so ananas_anomalies_emitted_total counts only real sinks.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "actors/drivers/pipeline_dead_letters.hpp"
#include "actors/sink_driver.hpp"
#include "connectors/connector.hpp"
#include "dataflow/exchange_dedup.hpp"
#include "dataflow/exchange_records.hpp"
#include "operators/window_partials.hpp"

namespace ananas::rt::drivers {

// Which source partitions the scan part's sources started drained in this
// worker's latest run (SourceDriver::on_partition_start), for its exchange sink.
class DrainedStarts {
 public:
  void set(const connectors::PartitionId& p, bool drained) {
    std::lock_guard lock(mu_);
    if (drained) drained_.insert(p);
    else drained_.erase(p);
  }
  bool drained(const connectors::PartitionId& p) const {
    std::lock_guard lock(mu_);
    return drained_.count(p) > 0;
  }

 private:
  mutable std::mutex mu_;
  std::set<connectors::PartitionId> drained_;
};

struct ExchangeSinkSpec {
  std::string pipeline;
  std::string node;                    // the sink node's name, for messages
  std::string topic;                   // the exchange topic
  connectors::Options kafka;           // properties.bootstrap.servers and any TLS/SASL properties.*
  int partitions = 8;                  // of the topic when this worker creates it
  std::vector<size_t> key_columns;     // of the rows it is given: the keyed operator's key
  std::optional<std::vector<size_t>> columns;  // the cells it carries (the others as NULL); nullopt: all
  std::vector<std::string> source_topics;  // the split sources' topics, named in watermark records
  std::shared_ptr<PipelineDeadLetters> dead_letters;  // flushed with the rows, as other sinks do
  std::chrono::milliseconds timeout{30000};
  // Two phases: the local phase of the keyed operator (null: one phase).
  std::function<std::unique_ptr<ops::WindowPartialCombiner>()> make_combiner;
  std::shared_ptr<const DrainedStarts> drained_starts;  // with make_combiner
};

class ExchangeSinkDriver : public SinkDriver {
 public:
  explicit ExchangeSinkDriver(ExchangeSinkSpec spec);
  ~ExchangeSinkDriver() override;

  void set_owned_partitions(std::shared_ptr<const std::set<connectors::PartitionId>> owned) override {
    owned_ = std::move(owned);
  }
  void open() override;
  uint64_t write(const BatchPtr& batch) override;
  void flush() override;
  void on_watermark(int64_t watermark) override;

  Folding folding() const override { return folding_; }
  int partitions() const { return partitions_; }

 private:
  ExchangeSinkSpec spec_;
  std::shared_ptr<const std::set<connectors::PartitionId>> owned_;  // null: every source partition
  std::unique_ptr<connectors::SinkConnector> sink_;
  int partitions_ = 0;
  std::vector<dataflow::ExchangeTopicShare> shares_;
  dataflow::ExchangeRowStamper stamper_;
  bool warned_unstamped_ = false;
  // Two phases: the partials, per source partition (topic index << 32 |
  // partition) the stamp of the last row folded, and where each owned
  // source partition ended when this run opened.
  void flush_partials(int64_t source);
  void flush_all_partials();
  int64_t replay_end(int64_t source);
  std::unique_ptr<ops::WindowPartialCombiner> combiner_;
  std::map<int64_t, dataflow::ExchangeRowStamp> last_folded_;
  std::map<int64_t, int64_t> replay_end_;
  std::set<int64_t> drain_checked_;  // sources whose DrainedStarts entry was read
  std::vector<dataflow::ExchangePartialView> views_;
  Folding folding_;
  std::vector<bool> carried_;  // per column, from spec_.columns (empty: all)
  std::vector<Value> scratch_;  // a row with the cells not carried set to NULL
  std::string record_;          // reused for every row
};

}  // namespace ananas::rt::drivers
