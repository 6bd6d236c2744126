#pragma once
// The broker's floor for a consume -> produce hop: a thread that reads every
// record of one topic and writes it unchanged to another, with the same
// consumer and producer settings as the worker's Kafka source and sink, and
// no work in between. Orders travel producer -> broker -> relay -> broker ->
// measuring consumer, the path an order takes through the worker, minus the
// worker.
#include <atomic>
#include <string>
#include <thread>

#include "bench/latency/kafka_clients.hpp"

namespace ananas::bench {

class EchoRelay {
 public:
  EchoRelay(const std::string& bootstrap, const std::string& from, const std::string& to,
            const Properties& consumer_properties, const Properties& producer_properties);
  ~EchoRelay();  // stops the thread
  EchoRelay(const EchoRelay&) = delete;
  EchoRelay& operator=(const EchoRelay&) = delete;

  uint64_t relayed() const { return relayed_.load(); }

 private:
  void run();

  TailConsumer consumer_;
  KafkaHandle producer_;
  rd_kafka_topic_t* topic_ = nullptr;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> relayed_{0};
  std::thread thread_;
};

}  // namespace ananas::bench
