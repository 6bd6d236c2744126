#pragma once
// Runs a built pipeline in-process over a finite list of records, the exact
// reference for what the worker writes (`ananas replay` / `ananas test`). The
// graph runs on dataflow::LocalExecutor, the same tasks the worker's actors
// host; this class plays the sources and collects what the sinks write:
//   - records are processed one at a time, in file order;
//   - after each record the source offers its watermark candidate (Flink's
//     `scan.watermark.emit.strategy = 'on-event'`), and a watermark that
//     advanced is pushed through every operator (their results first);
//   - a source's partitions are all those that appear in the input: one that
//     has not delivered yet holds the watermark back, as in Flink (Flink docs, Kafka connector > Source Per-Partition Watermarks);
//   - the end of the input ends the bounded source: watermark +inf, all fires.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json/kcat_lines.hpp"
#include "dataflow/local_executor.hpp"
#include "operators/watermark.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/graph/sink_records.hpp"
#include "pipelines/graph/source_rows.hpp"

namespace ananas::pipeline {

struct OutputRecord {
  std::string topic;
  std::optional<std::string> key;
  std::optional<std::string> value;  // nullopt: tombstone
};

struct BadRecord {
  std::string where;    // "topic/partition@offset" or "node <name>"
  std::string message;
};

class LocalRunner {
 public:
  explicit LocalRunner(const BuiltPipeline& pipeline);
  ~LocalRunner();

  // Runs over `records` (in order) to the end of the input.
  void run(const std::vector<KcatRecord>& records);

  const std::vector<OutputRecord>& outputs() const { return outputs_; }
  const std::vector<BadRecord>& bad_records() const { return bad_; }
  uint64_t late_records_dropped() const;
  // Sum of state entries over all operators (a bound that tests assert on).
  uint64_t state_entries() const;

 private:
  struct SourceState;

  const BuiltPipeline& pipeline_;
  std::vector<std::unique_ptr<SourceState>> sources_;  // source i is executor node i
  std::unique_ptr<dataflow::LocalExecutor> executor_;
  std::vector<OutputRecord> outputs_;
  std::vector<BadRecord> bad_;
};

}  // namespace ananas::pipeline
