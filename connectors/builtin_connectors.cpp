// Registers the connectors that ship with Ananas.
#include "connectors/basic/blackhole_sink.hpp"
#include "connectors/basic/file_sink.hpp"
#include "connectors/basic/print_sink.hpp"
#include "connectors/connector_registry.hpp"
#include "connectors/datagen/datagen_source.hpp"
#include "connectors/kafka/kafka_sink.hpp"
#include "connectors/kafka/kafka_source.hpp"

namespace ananas::connectors {

void register_builtin_connectors(ConnectorRegistry& registry) {
  const std::vector<std::string> kafka_prefixes = {"properties."};
  ConnectorInfo kafka_source{"kafka", "reads a Kafka topic (or 'a;b' topics), all partitions",
                             {"topic", "scan.startup.mode", "scan.startup.timestamp-millis",
                              "scan.startup.specific-offsets"},
                             kafka_prefixes};
  ConnectorInfo kafka_sink{"kafka", "writes to a Kafka topic with an idempotent producer",
                           {"topic", "sink.partitioner", "sink.delivery-guarantee"}, kafka_prefixes};
  auto make_source = [](const Options& o, const ConnectorContext& c) -> std::unique_ptr<SourceConnector> {
    return std::make_unique<kafka::KafkaSource>(o, c);
  };
  auto make_sink = [](const Options& o, const ConnectorContext& c) -> std::unique_ptr<SinkConnector> {
    return std::make_unique<kafka::KafkaSink>(o, c);
  };
  registry.add_source(kafka_source, make_source);
  registry.add_sink(kafka_sink, make_sink);
  // upsert-kafka moves the same bytes; the key/value and tombstone semantics
  // live in the format and planner layers.
  ConnectorInfo upsert_source = kafka_source, upsert_sink = kafka_sink;
  upsert_source.name = upsert_sink.name = "upsert-kafka";
  upsert_source.description = "reads a Kafka topic as a changelog keyed by the primary key";
  upsert_sink.description = "writes a changelog: key = primary key, tombstone on delete";
  registry.add_source(upsert_source, make_source);
  registry.add_sink(upsert_sink, make_sink);

  registry.add_source({"datagen", "pizza orders shaped like Aiven's fake data producer",
                       {"rate", "count", "seed", "start-id", "topic", "max-pizzas", "max-toppings"}, {}},
                      [](const Options& o, const ConnectorContext& c) -> std::unique_ptr<SourceConnector> {
                        return std::make_unique<datagen::DatagenSource>(o, c);
                      });
  registry.add_sink({"print", "one line per record on stdout", {"print-identifier", "standard-error"}, {}},
                    [](const Options& o, const ConnectorContext&) -> std::unique_ptr<SinkConnector> {
                      return std::make_unique<basic::PrintSink>(o);
                    });
  registry.add_sink({"file", "appends one line per record to a file", {"path", "file.include-key"}, {}},
                    [](const Options& o, const ConnectorContext&) -> std::unique_ptr<SinkConnector> {
                      return std::make_unique<basic::FileSink>(o);
                    });
  registry.add_sink({"blackhole", "discards and counts records", {}, {}},
                    [](const Options&, const ConnectorContext&) -> std::unique_ptr<SinkConnector> {
                      return std::make_unique<basic::BlackholeSink>();
                    });
}

}  // namespace ananas::connectors
