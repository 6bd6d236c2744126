#pragma once
// Runs a built pipeline in-process on the worker's own graph driver
// (dataflow::LocalExecutor hosting the OperatorTask/SinkTask the actors host),
// minus the actors and Kafka: records are decoded into batches of `batch_rows`
// rows by the source decoder, each batch goes through the operator graph, the
// source watermark is offered once per batch (as a worker's source does after
// each poll), and the sinks encode every row into Kafka records that are
// counted and dropped (a blackhole sink).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/engine/order_data.hpp"
#include "dataflow/local_executor.hpp"
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

  const pipeline::BuiltPipeline& pipeline_;
  std::string topic_;
  size_t batch_rows_;
  std::vector<std::unique_ptr<SourceState>> sources_;  // source i is executor node i
  std::unique_ptr<dataflow::LocalExecutor> executor_;
  pipeline::SinkRecords sink_scratch_;
  std::string value_scratch_;
  EngineCounters counters_;
};

}  // namespace ananas::bench
