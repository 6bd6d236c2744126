#include "connectors/kafka/kafka_options.hpp"

#include "connectors/kafka/kafka_config.hpp"
#include "connectors/kafka/startup_mode.hpp"

namespace ananas::connectors::kafka {

void validate_client_properties(const Options& options) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  for (const auto& [name, value] : kafka_properties(options))
    if (name != "bootstrap.servers") set_property(*conf, name, value, kPropertiesPrefix + name);
}

void validate_source_options(const Options& options) {
  topics_option(options);
  parse_startup_options(options);
  validate_client_properties(options);
}

void validate_sink_options(const Options& options) {
  std::vector<std::string> topics = topics_option(options);
  if (topics.size() != 1)
    throw OptionError("topic", "a Kafka sink writes to exactly one topic, got '" + options.at("topic") + "'");
  if (auto it = options.find("sink.partitioner"); it != options.end() && it->second != "default")
    throw OptionError("sink.partitioner", "'" + it->second +
                                              "' is not supported; Ananas uses Kafka's default partitioner "
                                              "(murmur2 of the key)");
  if (auto it = options.find("sink.delivery-guarantee"); it != options.end()) {
    if (it->second != "at-least-once" && it->second != "none" && it->second != "exactly-once")
      throw OptionError("sink.delivery-guarantee",
                        "'" + it->second + "' is not one of 'at-least-once', 'exactly-once', 'none'");
    // As Flink: exactly-once needs a prefix that no other application uses.
    if (it->second == "exactly-once") {
      auto prefix = options.find("sink.transactional-id-prefix");
      if (prefix == options.end() || prefix->second.empty())
        throw OptionError("sink.delivery-guarantee",
                          "'exactly-once' needs 'sink.transactional-id-prefix' (a prefix for the Kafka "
                          "transactional ids, unique to this application)");
    }
  }
  validate_client_properties(options);
}

}  // namespace ananas::connectors::kafka
