#pragma once
// librdkafka handles for the latency benchmark (C API, no ananas code in the
// path being measured): a producer and a consumer that starts at the current
// end of every partition of one topic, with the settings under test.
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace ananas::bench {

using Properties = std::map<std::string, std::string>;

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const;
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

// Throws std::runtime_error naming the property that librdkafka refused.
KafkaHandle make_producer(const std::string& bootstrap, const Properties& properties);

// A consumer assigned to every partition of `topic` at its current end
// (queried from the broker before returning, so nothing produced after this
// call is missed). Messages are read with next_message().
class TailConsumer {
 public:
  TailConsumer(const std::string& bootstrap, const std::string& topic, const Properties& properties);
  ~TailConsumer();
  TailConsumer(const TailConsumer&) = delete;
  TailConsumer& operator=(const TailConsumer&) = delete;

  // The next message, or nullptr after `timeout` without one. The caller
  // destroys it (rd_kafka_message_destroy). Error events are skipped.
  rd_kafka_message_t* next_message(std::chrono::milliseconds timeout);
  int partitions() const { return partitions_; }
  rd_kafka_t* handle() const { return consumer_.get(); }

 private:
  KafkaHandle consumer_;
  rd_kafka_queue_t* queue_ = nullptr;
  int partitions_ = 0;
};

// Hands `value` (and `key`) to the producer, serving its queue while full,
// and then once more unless `serve` is false (the caller polls it).
void produce_copy(rd_kafka_t* producer, rd_kafka_topic_t* topic, const void* key, size_t key_len, const void* value,
                  size_t value_len, bool serve = true);

// Hands `value` (and `key`) to the producer for `partition` of `topic` with
// the record timestamp `timestamp_ms`, serving its queue while full and then
// once more.
void produce_at(rd_kafka_t* producer, const std::string& topic, int32_t partition, int64_t timestamp_ms,
                std::string_view key, std::string_view value);

}  // namespace ananas::bench
