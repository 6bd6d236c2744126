#include "bench/latency/echo_relay.hpp"

namespace ananas::bench {

EchoRelay::EchoRelay(const std::string& bootstrap, const std::string& from, const std::string& to,
                     const Properties& consumer_properties, const Properties& producer_properties)
    : consumer_(bootstrap, from, consumer_properties), producer_(make_producer(bootstrap, producer_properties)) {
  topic_ = rd_kafka_topic_new(producer_.get(), to.c_str(), nullptr);
  thread_ = std::thread([this] { run(); });
}

EchoRelay::~EchoRelay() {
  stop_ = true;
  thread_.join();
  rd_kafka_topic_destroy(topic_);
}

void EchoRelay::run() {
  while (!stop_) {
    // Short waits so that stop_ is seen; a message is taken the moment it is
    // there, and with it everything else already queued.
    rd_kafka_message_t* m = consumer_.next_message(std::chrono::milliseconds(20));
    if (!m) {
      rd_kafka_poll(producer_.get(), 0);
      continue;
    }
    size_t n = 0;
    for (; m; m = consumer_.next_message(std::chrono::milliseconds(0)), ++n) {
      produce_copy(producer_.get(), topic_, nullptr, 0, m->payload, m->len, false);
      rd_kafka_message_destroy(m);
    }
    rd_kafka_poll(producer_.get(), 0);
    relayed_.fetch_add(n, std::memory_order_relaxed);
  }
}

}  // namespace ananas::bench
