#pragma once
// Writes malformed source records to a pipeline's dead-letter topic
// (`on_error: dead-letter`): the original key and value, unchanged, plus
// headers that say where the record came from and why it was rejected, named
// like Kafka Connect's DLQ context headers:
//   __ananas.errors.pipeline, __ananas.errors.topic, __ananas.errors.partition,
//   __ananas.errors.offset, __ananas.errors.exception.message
// The connectors' SinkConnector API has no headers, hence this small producer.
#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connectors/connector.hpp"

namespace ananas::rt::drivers {

class DeadLetterProducer {
 public:
  // `source_options` are the source table's connector options: its
  // bootstrap servers and security settings are reused. Throws
  // connectors::ConnectorError when the producer cannot be created.
  DeadLetterProducer(const connectors::Options& source_options, std::string topic, std::string pipeline);
  ~DeadLetterProducer();

  void send(const connectors::RawRecord& record, const std::string& error);
  // Waits until everything sent is acknowledged; throws ConnectorError naming
  // the first failure (the caller must not commit offsets past a lost record).
  void flush(std::chrono::milliseconds timeout);
  const std::string& topic() const { return topic_; }

 private:
  class Reports : public RdKafka::DeliveryReportCb {
   public:
    void dr_cb(RdKafka::Message& message) override;
    std::vector<std::string> take();

   private:
    std::mutex mutex_;
    std::vector<std::string> failures_;
  };

  Reports reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::string topic_, pipeline_;
  uint64_t pending_ = 0;
};

}  // namespace ananas::rt::drivers
