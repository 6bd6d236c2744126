// Registers the connectors that ship with Ananas: each one's name, options,
// capabilities and validation are declared here and nowhere else.
#include "connectors/basic/blackhole_sink.hpp"
#include "connectors/basic/file_sink.hpp"
#include "connectors/basic/print_sink.hpp"
#include "connectors/connector_registry.hpp"
#include "connectors/datagen/datagen_source.hpp"
#include "connectors/kafka/kafka_config.hpp"
#include "connectors/kafka/kafka_options.hpp"
#include "connectors/kafka/kafka_sink.hpp"
#include "connectors/kafka/kafka_source.hpp"

namespace ananas::connectors {

void register_builtin_connectors(ConnectorRegistry& registry) {
  const std::vector<std::string> kafka_prefixes = {"properties."};
  ConnectorCapabilities kafka_caps;
  kafka_caps.resumable = true;  // offsets: a restart continues at the checkpoint's position
  kafka_caps.uses_brokers = true;
  kafka_caps.splittable = true;  // partitions spread over source instances
  ConnectorInfo kafka_source{"kafka", "reads a Kafka topic (or 'a;b' topics), all partitions",
                             {"topic", "scan.startup.mode", "scan.startup.timestamp-millis",
                              "scan.startup.specific-offsets"},
                             kafka_prefixes, kafka_caps, kafka::validate_source_options, kafka::topics_option};
  ConnectorInfo kafka_sink{"kafka", "writes to a Kafka topic with an idempotent producer",
                           {"topic", "sink.partitioner", "sink.delivery-guarantee", "sink.transactional-id-prefix"}, kafka_prefixes, kafka_caps,
                           kafka::validate_sink_options, kafka::topics_option};
  auto make_sink = [](const Options& o, const ConnectorContext& c) -> std::unique_ptr<SinkConnector> {
    return std::make_unique<kafka::KafkaSink>(o, c);
  };
  registry.add_source(kafka_source, SourceOpener(&kafka::KafkaSource::open));
  registry.add_sink(kafka_sink, make_sink);
  // upsert-kafka moves the same bytes; what differs is declared here (keyed
  // by the PRIMARY KEY, an upsert changelog) and done by the format layer
  // (pipelines/graph/sink_records.hpp) and the planner.
  ConnectorInfo upsert_source = kafka_source, upsert_sink = kafka_sink;
  upsert_source.name = upsert_sink.name = "upsert-kafka";
  upsert_source.description = "reads a Kafka topic as a changelog keyed by the primary key";
  upsert_sink.description = "writes a changelog: key = primary key, tombstone on delete";
  for (ConnectorInfo* info : {&upsert_source, &upsert_sink}) {
    info->capabilities.keyed = true;
    info->capabilities.changelog = ChangelogMode::Upsert;
  }
  registry.add_source(upsert_source, SourceOpener(&kafka::KafkaSource::open));
  registry.add_sink(upsert_sink, make_sink);

  ConnectorCapabilities datagen_caps;
  datagen_caps.bounded = true;  // with 'count'
  registry.add_source({"datagen", "pizza orders shaped like Aiven's fake data producer",
                       {"rate", "rate-variation", "count", "seed", "start-id", "topic", "max-pizzas", "max-toppings"}, {}, datagen_caps,
                       datagen::validate_datagen_options},
                      [](const Options& o, const ConnectorContext& c) -> std::unique_ptr<SourceConnector> {
                        return std::make_unique<datagen::DatagenSource>(o, c);
                      });
  registry.add_sink({"print", "one line per record on stdout", {"print-identifier", "standard-error"}, {}, {},
                     basic::validate_print_options},
                    [](const Options& o, const ConnectorContext&) -> std::unique_ptr<SinkConnector> {
                      return std::make_unique<basic::PrintSink>(o);
                    });
  registry.add_sink({"file", "appends one line per record to a file", {"path", "file.include-key"}, {}, {},
                     basic::validate_file_options},
                    [](const Options& o, const ConnectorContext&) -> std::unique_ptr<SinkConnector> {
                      return std::make_unique<basic::FileSink>(o);
                    });
  registry.add_sink({"blackhole", "discards and counts records", {}, {}},
                    [](const Options&, const ConnectorContext&) -> std::unique_ptr<SinkConnector> {
                      return std::make_unique<basic::BlackholeSink>();
                    });
}

}  // namespace ananas::connectors
