#pragma once
// The `kafka` / `upsert-kafka` sink: an idempotent librdkafka producer.
// Records are partitioned by key with murmur2 (librdkafka's `murmur2_random`
// is Java's default partitioner for keyed records; null keys go to a random
// partition). The record timestamp is left null so the producer stamps
// CreateTime with the wall clock, as Flink does without a timestamp metadata
// column (Flink: DynamicKafkaRecordSerializationSchema). No headers are written.
#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "connectors/connector.hpp"

namespace ananas::connectors::kafka {

class KafkaSink : public SinkConnector {
 public:
  // Options: topic (exactly one), properties.*, sink.partitioner ('default'),
  // sink.delivery-guarantee ('at-least-once' or 'none').
  KafkaSink(const Options& options, const ConnectorContext& context);
  ~KafkaSink() override;

  void write(std::optional<std::string_view> key, std::optional<std::string_view> value,
             int32_t partition = -1) override;
  std::vector<DeliveryError> flush(std::chrono::milliseconds timeout) override;
  // Waits up to 10 s for queued records; whatever is still queued is purged.
  // Call flush() first to learn about failures.
  void close() override;

  const std::string& topic() const { return topic_; }
  // Records the brokers acknowledged so far.
  uint64_t delivered() const { return reports_.delivered(); }

 private:
  class DeliveryReports : public RdKafka::DeliveryReportCb {
   public:
    void dr_cb(RdKafka::Message& message) override;
    std::vector<DeliveryError> take();
    uint64_t delivered() const { return delivered_.load(std::memory_order_relaxed); }

   private:
    std::mutex mutex_;
    std::vector<DeliveryError> failures_;
    std::atomic<uint64_t> delivered_{0};
  };

  DeliveryReports reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::unique_ptr<RdKafka::Topic> topic_handle_;
  std::string topic_;
  size_t writes_since_poll_ = 0;
  bool closed_ = false;
};

}  // namespace ananas::connectors::kafka
