#pragma once
// Writes source records to a pipeline's dead-letter topic (`on_error:
// dead-letter`), those that could not be decoded and those an operator failed
// on: the original key and value, unchanged, plus headers that say where the
// record came from and why it was rejected, named like Kafka Connect's DLQ
// context headers:
//   __ananas.errors.pipeline, __ananas.errors.topic, __ananas.errors.partition,
//   __ananas.errors.offset, __ananas.errors.exception.message, and
//   __ananas.errors.operator (the operator node; absent for a decode error)
// The connectors' SinkConnector API has no headers, hence this small producer.
// Thread-safe: operators on several threads send, sinks flush.
#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <chrono>
#include <map>
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

  // `node`: the operator that failed on the record's row; empty for a record
  // its source could not decode. Throws ConnectorError when it cannot be queued.
  void send(const connectors::RawRecord& record, const std::string& error, const std::string& node = {});
  // Waits until everything sent is acknowledged; throws ConnectorError naming
  // the first failure (the caller must not commit offsets past a lost record).
  void flush(std::chrono::milliseconds timeout);
  // Records sent and not yet acknowledged by a flush.
  uint64_t pending() const { return pending_.load(); }
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
  std::atomic<uint64_t> pending_{0};
  std::mutex flush_mutex_;  // one flush at a time, so each acknowledges what it counted
};

// What a producer takes from a source table's options: where the brokers are
// and how to authenticate (consumer-only keys would make librdkafka log a
// warning per key). Two tables with equal producer options share a producer.
connectors::Options dead_letter_producer_options(const connectors::Options& source_options);

}  // namespace ananas::rt::drivers
