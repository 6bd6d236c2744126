#pragma once
// A Kafka wire-protocol broker on 127.0.0.1, built on librdkafka's mock
// cluster (librdkafka 2.0.2), for `ananas broker`, `ananas demo` and tests.
//
// Limits of the 2.0.2 mock (measured, see docs/performance.md): each partition keeps at
// most 5 MiB or 100,000 batches; older data is dropped silently and the log
// start offset moves. One batch per partition per fetch. Group joins take ~3 s.
// Transactions are accepted but not honoured.
//
// The mock picks its own listening ports (2.0.2 has no API to choose one) and
// auto-creates topics with 4 partitions (no setting either). With a fixed
// `port` or `auto_created_partitions`, EmbeddedBroker puts a relay in front
// of every mock broker (connectors/broker_relay.hpp): clients bootstrap
// through the first relay and are told the relays' addresses as the brokers',
// and the relays create the topics a Metadata request would auto-create with
// `auto_created_partitions` before the mock sees it. Everything stays on
// 127.0.0.1.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace ananas::connectors {

class BrokerRelay;

struct EmbeddedBrokerOptions {
  int brokers = 1;
  int partitions = 1;               // for the topics created at start
  std::vector<std::string> topics;  // created at start
  int port = 0;                     // 0 = the mock's own ephemeral port
  int auto_created_partitions = 0;  // partitions of auto-created topics; 0 = the mock's 4
};

class EmbeddedBroker {
 public:
  EmbeddedBroker();
  ~EmbeddedBroker();
  EmbeddedBroker(const EmbeddedBroker&) = delete;
  EmbeddedBroker& operator=(const EmbeddedBroker&) = delete;

  // Returns the bootstrap address clients should use. Throws ConnectorError
  // (e.g. the port is taken) or std::invalid_argument for bad counts.
  std::string start(const EmbeddedBrokerOptions& options);
  std::string start(int partitions, const std::vector<std::string>& topics) {
    EmbeddedBrokerOptions o;
    o.partitions = partitions;
    o.topics = topics;
    return start(o);
  }
  void create_topic(const std::string& name, int partitions);
  // Makes metadata requests for `topic` answer `err` (NO_ERROR clears it):
  // UNKNOWN_TOPIC_OR_PART shows clients a topic that does not exist, which
  // the mock cannot otherwise do (it creates every topic a client asks for).
  void set_topic_error(const std::string& topic, rd_kafka_resp_err_t err);
  // The address clients use (the relays' when there are relays).
  const std::string& bootstrap() const { return bootstrap_; }
  // The mock's own broker addresses, "127.0.0.1:a,127.0.0.1:b".
  const std::string& mock_bootstraps() const { return mock_bootstraps_; }
  bool running() const { return cluster_ != nullptr; }
  void stop();

 private:
  rd_kafka_t* handle_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  void start_relays(int first_port);
  void create_requested_topics(const std::vector<std::string>& topics);

  std::vector<std::unique_ptr<BrokerRelay>> relays_;
  std::string bootstrap_, mock_bootstraps_;
  int auto_created_partitions_ = 0;
  std::mutex topics_mutex_;
  std::set<std::string> topics_;  // created through create_topic or a relay
};

}  // namespace ananas::connectors
