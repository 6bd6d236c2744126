#include "actors/drivers/exchange_topic.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <memory>

#include "connectors/kafka/kafka_config.hpp"
#include "connectors/kafka/kafka_topics.hpp"
#include "core/key_group.hpp"
#include "core/log.hpp"

namespace ananas::rt::drivers {

int ensure_exchange_topic(const connectors::Options& kafka, const std::string& pipeline, const std::string& topic,
                          int partitions, std::chrono::milliseconds timeout) {
  auto conf = connectors::kafka::make_conf(kafka, {{"client.id", "ananas-" + pipeline + "-exchange"}});
  std::string err;
  std::unique_ptr<RdKafka::Producer> admin(RdKafka::Producer::create(conf.get(), err));
  if (!admin) throw connectors::ConnectorError("exchange '" + topic + "': cannot create a Kafka client: " + err);
  if (connectors::kafka::partition_count(*admin, topic, true, timeout) == 0) {
    const std::string brokers = kafka.count("properties.bootstrap.servers") ? kafka.at("properties.bootstrap.servers") : "";
    const std::string problem = connectors::kafka::create_topics(admin->c_ptr(), brokers, {{topic, partitions}}, {}, timeout);
    if (!problem.empty())
      log::info(pipeline, "exchange topic '" + topic + "' not created with " + std::to_string(partitions) +
                              " partitions (" + problem + "): the broker creates it with its default");
  }
  // Looked up through a producer, a missing topic is auto-created.
  const int count = connectors::kafka::partition_count(*admin, topic, false, timeout);
  if (count > static_cast<int>(kDefaultKeyGroups))
    throw connectors::ConnectorError("exchange topic '" + topic + "' has " + std::to_string(count) + " partitions; at most " +
                                     std::to_string(kDefaultKeyGroups) + " (the key groups) can be used");
  return count;
}

int topic_partitions(const connectors::Options& kafka, const std::string& pipeline, const std::string& topic,
                     std::chrono::milliseconds timeout) {
  auto conf = connectors::kafka::make_conf(kafka, {{"client.id", "ananas-" + pipeline + "-shards"}});
  std::string err;
  std::unique_ptr<RdKafka::Producer> admin(RdKafka::Producer::create(conf.get(), err));
  if (!admin) throw connectors::ConnectorError("topic '" + topic + "': cannot create a Kafka client: " + err);
  return connectors::kafka::partition_count(*admin, topic, true, timeout);
}

}  // namespace ananas::rt::drivers
