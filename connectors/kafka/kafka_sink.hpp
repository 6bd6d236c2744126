#pragma once
// The `kafka` / `upsert-kafka` sink: an idempotent librdkafka producer.
// Records are partitioned by key with murmur2 (librdkafka's `murmur2_random`
// is Java's default partitioner for keyed records; null keys go to a random
// partition). The record timestamp is left null so the producer stamps
// CreateTime with the wall clock, as Flink does without a timestamp metadata
// column (Flink: DynamicKafkaRecordSerializationSchema). No headers are written.
// With sink.delivery-guarantee = 'exactly-once' it writes through the
// pipeline's transactional producer (kafka_transaction.hpp) instead of its
// own: records between two barriers land in one transaction, and what comes
// after a barrier is held until that checkpoint is committed.
#include <librdkafka/rdkafkacpp.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "connectors/connector.hpp"
#include "connectors/kafka/kafka_transaction.hpp"

namespace ananas::connectors::kafka {

class KafkaSink : public SinkConnector {
 public:
  // Options: topic (exactly one), properties.*, sink.partitioner ('default'),
  // sink.delivery-guarantee ('at-least-once', 'none' or 'exactly-once', which
  // needs the context's transaction and sink.transactional-id-prefix).
  KafkaSink(const Options& options, const ConnectorContext& context);
  ~KafkaSink() override;

  void write(std::optional<std::string_view> key, std::optional<std::string_view> value,
             int32_t partition = -1) override;
  // One rd_kafka_produce_batch call per batch of records (one topic lock
  // instead of one per record); a full local queue is waited out as in write().
  void write_batch(std::span<const SinkRecord> records) override;
  std::vector<DeliveryError> flush(std::chrono::milliseconds timeout) override;
  // Waits up to 10 s for queued records; whatever is still queued is purged.
  // Call flush() first to learn about failures.
  void close() override;
  void checkpoint_committed() override;

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

  void produce(std::optional<std::string_view> key, std::optional<std::string_view> value, int32_t partition);
  void produce_batch(std::span<const SinkRecord> records);
  void hold(std::optional<std::string_view> key, std::optional<std::string_view> value, int32_t partition);
  // Waits for room in the producer's queue, up to kQueueFullWait from the
  // first full queue (`give_up`); throws once that has passed.
  void wait_for_queue_space(std::optional<std::chrono::steady_clock::time_point>& give_up);
  // Served every kPollEvery records; throws on a fatal producer error.
  void after_produce(size_t records);
  RdKafka::Producer& producer() { return transaction_ ? transaction_->producer() : *producer_; }

  // A record held after a barrier (exactly-once only).
  struct Held {
    std::optional<std::string> key, value;
    int32_t partition;
  };

  DeliveryReports reports_;
  std::unique_ptr<RdKafka::Producer> producer_;          // at-least-once / none
  std::shared_ptr<KafkaTransaction> transaction_;        // exactly-once
  bool holding_ = false;                                 // between a barrier and its commit
  std::vector<Held> held_;
  std::vector<rd_kafka_message_t> batch_;  // produce_batch's messages, reused
  std::unique_ptr<RdKafka::Topic> topic_handle_;
  std::string topic_;
  size_t writes_since_poll_ = 0;
  bool closed_ = false;
  bool flush_gave_up_ = false;  // the last flush left records undelivered
};

}  // namespace ananas::connectors::kafka
