#pragma once
// The SinkDriver of every table the worker writes: the table's rows encoded
// as Flink writes them (encode_sink_records: kafka appends, upsert-kafka keys
// and tombstones) and handed to a sink connector from the registry (kafka,
// upsert-kafka, print, file, blackhole, plugins). flush() returns only when the
// connector reports everything delivered, and throws on any delivery failure,
// so a checkpoint never commits source offsets past a lost output record. It
// also flushes the pipeline's dead letters (`on_error: dead-letter`): every
// operator upstream of a sink sent its dead letters before it forwarded the
// barrier, and sinks run detached, so the wait blocks no operator.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "actors/drivers/pipeline_dead_letters.hpp"
#include "actors/sink_driver.hpp"
#include "connectors/connector.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/graph/sink_records.hpp"

namespace ananas::rt::drivers {

struct SinkDriverSpec {
  std::string pipeline;
  std::string connector;        // registry name
  connectors::Options options;  // WITH clause, bootstrap servers resolved
  std::chrono::milliseconds flush_timeout{30000};
  // The pipeline's Kafka transaction, for an exactly-once sink (else null).
  std::shared_ptr<connectors::kafka::KafkaTransaction> transaction;
  // The pipeline's dead letters, flushed with the sink (null: none).
  std::shared_ptr<PipelineDeadLetters> dead_letters;
};

class ConnectorSinkDriver : public SinkDriver {
 public:
  ConnectorSinkDriver(SinkDriverSpec spec, std::shared_ptr<const pipeline::BuiltSink> built);
  ~ConnectorSinkDriver() override;

  void open() override;
  uint64_t write(const BatchPtr& batch) override;
  void flush() override;
  void checkpoint_committed() override;
  bool connected() const override { return connector_ != nullptr; }

 private:
  SinkDriverSpec spec_;
  std::shared_ptr<const pipeline::BuiltSink> built_;
  std::unique_ptr<connectors::SinkConnector> connector_;
  pipeline::SinkRecords records_;  // reused per batch
};

}  // namespace ananas::rt::drivers
