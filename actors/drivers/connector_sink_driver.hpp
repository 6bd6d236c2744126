#pragma once
// The SinkDriver of every table the worker writes: the table's rows encoded
// as Flink writes them (encode_sink_records: kafka appends, upsert-kafka keys
// and tombstones) and handed to a sink connector from the registry (kafka,
// upsert-kafka, print, file, blackhole, plugins). flush() returns only when the
// connector reports everything delivered, and throws on any delivery failure,
// so a checkpoint never commits source offsets past a lost output record.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

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
  std::vector<pipeline::SinkRecord> records_;  // reused per batch
};

}  // namespace ananas::rt::drivers
