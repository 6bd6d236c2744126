#include "connectors/embedded_broker.hpp"

#include <stdexcept>

#include "connectors/connector.hpp"
#include "connectors/broker_relay.hpp"

namespace ananas::connectors {

EmbeddedBroker::EmbeddedBroker() = default;
EmbeddedBroker::~EmbeddedBroker() { stop(); }

std::string EmbeddedBroker::start(const EmbeddedBrokerOptions& options) {
  if (running()) throw ConnectorError("embedded broker already started at " + bootstrap_);
  if (options.brokers < 1 || options.brokers > 16) throw std::invalid_argument("brokers must be between 1 and 16");
  if (options.partitions < 1 || options.partitions > 1000)
    throw std::invalid_argument("partitions must be between 1 and 1000");
  if (options.port < 0 || options.port > 65535) throw std::invalid_argument("port must be between 0 and 65535");
  if (options.auto_created_partitions < 0 || options.auto_created_partitions > 1000)
    throw std::invalid_argument("auto-created partitions must be between 0 and 1000");

  // The mock cluster lives inside a throwaway client handle; that handle's
  // own logs are limited to errors so the broker's stderr stays readable.
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!handle_) {
    rd_kafka_conf_destroy(conf);
    throw ConnectorError(std::string("cannot create the mock cluster's handle: ") + err);
  }
  cluster_ = rd_kafka_mock_cluster_new(handle_, options.brokers);
  if (!cluster_) {
    stop();
    throw ConnectorError("cannot create the mock Kafka cluster");
  }
  mock_bootstraps_ = rd_kafka_mock_cluster_bootstraps(cluster_);
  try {
    for (const std::string& topic : options.topics) create_topic(topic, options.partitions);
    bootstrap_ = mock_bootstraps_;
    auto_created_partitions_ = options.auto_created_partitions;
    if (options.port != 0 || options.auto_created_partitions > 0) start_relays(options.port);
  } catch (...) {
    stop();
    throw;
  }
  return bootstrap_;
}

void EmbeddedBroker::start_relays(int first_port) {
  // "127.0.0.1:46537,127.0.0.1:..." -> one relay per mock broker, the first on `first_port`.
  auto hooks = std::make_shared<BrokerRelayHooks>();
  std::string addresses;
  size_t from = 0;
  while (from < mock_bootstraps_.size()) {
    size_t comma = mock_bootstraps_.find(',', from);
    std::string address = mock_bootstraps_.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    from = comma == std::string::npos ? mock_bootstraps_.size() : comma + 1;
    size_t colon = address.rfind(':');
    const int mock_port = std::stoi(address.substr(colon + 1));
    relays_.push_back(std::make_unique<BrokerRelay>(relays_.empty() ? first_port : 0, address.substr(0, colon), mock_port));
    hooks->ports[mock_port] = relays_.back()->port();
    addresses += (addresses.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(relays_.back()->port());
  }
  if (auto_created_partitions_ > 0)
    hooks->create_topics = [this](const std::vector<std::string>& topics) { create_requested_topics(topics); };
  for (auto& relay : relays_) relay->start(hooks);
  // A requested port is the one address clients need (they learn the others).
  bootstrap_ = first_port != 0 ? "127.0.0.1:" + std::to_string(relays_.front()->port()) : addresses;
}

void EmbeddedBroker::create_requested_topics(const std::vector<std::string>& topics) {
  std::lock_guard lock(topics_mutex_);
  for (const std::string& t : topics) {
    if (!topics_.insert(t).second) continue;
    // TOPIC_ALREADY_EXISTS when the mock has it already (created by an
    // earlier client before the relays, or by set_topic_error): kept as is.
    rd_kafka_mock_topic_create(cluster_, t.c_str(), auto_created_partitions_, 1);
  }
}

void EmbeddedBroker::set_topic_error(const std::string& topic, rd_kafka_resp_err_t err) {
  if (!running()) throw ConnectorError("embedded broker is not running");
  rd_kafka_mock_topic_set_error(cluster_, topic.c_str(), err);
}

void EmbeddedBroker::create_topic(const std::string& name, int partitions) {
  if (!running()) throw ConnectorError("embedded broker is not running");
  if (name.empty()) throw std::invalid_argument("empty topic name");
  if (partitions < 1) throw std::invalid_argument("topic '" + name + "': partitions must be at least 1");
  rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, 1);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw ConnectorError("cannot create topic '" + name + "': " + rd_kafka_err2str(e));
  std::lock_guard lock(topics_mutex_);
  topics_.insert(name);
}

void EmbeddedBroker::stop() {
  relays_.clear();  // before the cluster: a relay thread may be creating a topic
  if (cluster_) rd_kafka_mock_cluster_destroy(cluster_);
  cluster_ = nullptr;
  if (handle_) rd_kafka_destroy(handle_);
  handle_ = nullptr;
  bootstrap_.clear();
  mock_bootstraps_.clear();
  std::lock_guard lock(topics_mutex_);
  topics_.clear();
}

}  // namespace ananas::connectors
