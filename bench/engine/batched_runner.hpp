#pragma once
// Runs a built pipeline in-process the way the worker's actors do, minus the
// actors and Kafka: records are decoded into batches of `batch_rows` rows by
// the source decoder, each batch goes through the operator chain, the source
// watermark is pushed through the operators once per batch (the worker
// advances watermarks after each batch, DESIGN.md), and the sinks encode every
// row into Kafka records that are counted and dropped (a blackhole sink).
// pipelines/replay/local_runner.cpp is the per-record reference this mirrors.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/engine/order_data.hpp"
#include "operators/watermark.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/graph/sink_records.hpp"
#include "pipelines/graph/source_rows.hpp"

namespace ananas::bench {

struct OperatorState {
  std::string name;
  std::string kind;  // ops::Operator::kind(), e.g. "group_aggregate"
  ops::OperatorStats stats;
};

struct EngineCounters {
  uint64_t orders = 0;
  uint64_t bad_records = 0;  // records the source decoder rejected
  uint64_t sink_records = 0;
  uint64_t sink_bytes = 0;   // key + value bytes written by the sinks
};

class BatchedRunner {
 public:
  // Every source of `pipeline` must read `topic`; the runner feeds them all.
  BatchedRunner(const pipeline::BuiltPipeline& pipeline, std::string topic, size_t batch_rows);
  ~BatchedRunner();
  BatchedRunner(const BatchedRunner&) = delete;
  BatchedRunner& operator=(const BatchedRunner&) = delete;

  // Feeds every order of `data`, timestamps shifted by `ts_shift_ms` and ids
  // by `id_offset` (0 in timed runs: rewriting ids costs a copy per order).
  void feed(const OrderData& data, int64_t ts_shift_ms, int64_t id_offset = 0);
  // The end of the bounded input: watermark +inf, every window fires.
  void finish();

  const EngineCounters& counters() const { return counters_; }
  std::vector<OperatorState> operator_states() const;

 private:
  struct SourceState;
  struct OperatorSlot;
  // Consumers of one node: indices into operators_ and pipeline_.sinks.
  struct Consumers {
    std::vector<size_t> operators;
    std::vector<size_t> sinks;
  };

  const Consumers& consumers_of(const std::string& node) const;
  void deliver(const Consumers& to, const BatchPtr& batch);
  // Offers every operator its input's current watermark.
  void push_watermarks();
  void flush_source(SourceState& source);

  const pipeline::BuiltPipeline& pipeline_;
  std::string topic_;
  size_t batch_rows_;
  std::vector<std::unique_ptr<SourceState>> sources_;
  std::vector<std::unique_ptr<OperatorSlot>> operators_;  // topological order
  std::vector<std::pair<std::string, Consumers>> consumers_;
  std::vector<pipeline::SinkRecord> sink_scratch_;
  std::string value_scratch_;
  EngineCounters counters_;
};

}  // namespace ananas::bench
