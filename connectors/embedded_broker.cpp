#include "connectors/embedded_broker.hpp"

#include <stdexcept>

#include "connectors/connector.hpp"
#include "connectors/tcp_forwarder.hpp"

namespace ananas::connectors {

EmbeddedBroker::EmbeddedBroker() = default;
EmbeddedBroker::~EmbeddedBroker() { stop(); }

std::string EmbeddedBroker::start(const EmbeddedBrokerOptions& options) {
  if (running()) throw ConnectorError("embedded broker already started at " + bootstrap_);
  if (options.brokers < 1 || options.brokers > 16) throw std::invalid_argument("brokers must be between 1 and 16");
  if (options.partitions < 1 || options.partitions > 1000)
    throw std::invalid_argument("partitions must be between 1 and 1000");
  if (options.port < 0 || options.port > 65535) throw std::invalid_argument("port must be between 0 and 65535");

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
    if (options.port != 0) {
      // "127.0.0.1:46537,127.0.0.1:..." -> forward to the first broker.
      std::string first = mock_bootstraps_.substr(0, mock_bootstraps_.find(','));
      size_t colon = first.rfind(':');
      forwarder_ = std::make_unique<TcpForwarder>(options.port, first.substr(0, colon), std::stoi(first.substr(colon + 1)));
      bootstrap_ = "127.0.0.1:" + std::to_string(forwarder_->port());
    }
  } catch (...) {
    stop();
    throw;
  }
  return bootstrap_;
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
}

void EmbeddedBroker::stop() {
  forwarder_.reset();
  if (cluster_) rd_kafka_mock_cluster_destroy(cluster_);
  cluster_ = nullptr;
  if (handle_) rd_kafka_destroy(handle_);
  handle_ = nullptr;
  bootstrap_.clear();
  mock_bootstraps_.clear();
}

}  // namespace ananas::connectors
