#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "connectors/connector_registry.hpp"
#include "connectors/kafka/kafka_sink.hpp"
#include "connectors/kafka/kafka_source.hpp"
#include "connectors/kafka/startup_mode.hpp"

using namespace ananas::connectors;

namespace {

ConnectorContext context() { return {"pipe", "orders", {}}; }

std::string plugin_dir() { return std::filesystem::path(ANANAS_BINARY).parent_path() / "plugins"; }

template <class F>
std::string option_error_key(F&& f) {
  try {
    f();
  } catch (const OptionError& e) {
    return e.key();
  }
  return "<no OptionError>";
}

}  // namespace

TEST_CASE("registry knows the built-in connectors and suggests the closest name") {
  ConnectorRegistry registry;
  register_builtin_connectors(registry);
  CHECK(registry.names() ==
        std::vector<std::string>{"blackhole", "datagen", "file", "kafka", "print", "upsert-kafka"});
  CHECK(registry.has_source("kafka"));
  CHECK(registry.has_sink("upsert-kafka"));
  CHECK_THROWS_WITH(registry.create_source("kafak", {}, context()),
                    Catch::Contains("unknown source connector 'kafak' (did you mean 'kafka'?)"));
  CHECK_THROWS_WITH(registry.create_sink("blakhole", {}, context()), Catch::Contains("did you mean 'blackhole'"));
  CHECK_THROWS_WITH(registry.create_source("print", {}, context()), Catch::Contains("can only be used as a sink"));
  CHECK(option_error_key([&] { registry.create_source("nope", {}, context()); }) == "connector");
}

TEST_CASE("a plugin .so is loaded and its connector created") {
  ConnectorRegistry registry;
  register_builtin_connectors(registry);
  std::vector<std::string> loaded = registry.load_plugins({plugin_dir()});
  REQUIRE(loaded.size() >= 1);
  REQUIRE(registry.has_source("sequence"));
  auto source = registry.create_source("sequence", {{"count", "3"}}, context());
  RawBatch batch = source->poll(100, std::chrono::milliseconds(10));
  REQUIRE(batch.size() == 3);
  CHECK(batch.end_of_input);
  CHECK(batch.records[2].value == std::optional<std::string_view>("{\"n\": 2}"));
  CHECK(batch.records[0].topic == "orders");
  CHECK_FALSE(batch.records[0].key.has_value());
  CHECK_THROWS_WITH(registry.create_source("sequence", {{"count", "x"}}, context()),
                    Catch::Contains("option 'count'"));
}

TEST_CASE("plugin loading errors name the file and the reason") {
  auto dir = std::filesystem::temp_directory_path() / ("ananas-plugins-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "broken.so") << "not an ELF file";
  }
  ConnectorRegistry registry;
  CHECK_THROWS_WITH(registry.load_plugins({dir.string()}), Catch::Contains((dir / "broken.so").string()));
  std::filesystem::remove(dir / "broken.so");
  // A real shared library without the entry point.
  std::filesystem::copy_file("/lib/x86_64-linux-gnu/libz.so.1", dir / "nolib.so");
  CHECK_THROWS_WITH(registry.load_plugins({dir.string()}),
                    Catch::Contains("does not export ananas_register_connectors"));
  std::filesystem::remove_all(dir);
  CHECK_THROWS_WITH(registry.load_plugins({"/nonexistent/plugins"}), Catch::Contains("not a directory"));
}

TEST_CASE("scan.startup options: modes, specific offsets, errors name the key") {
  using namespace ananas::connectors::kafka;
  CHECK(parse_startup_options({}).mode == StartupMode::GroupOffsets);
  CHECK(parse_startup_options({{"scan.startup.mode", "latest-offset"}}).mode == StartupMode::LatestOffset);
  auto t = parse_startup_options({{"scan.startup.mode", "timestamp"}, {"scan.startup.timestamp-millis", "1700"}});
  CHECK(t.timestamp_ms == 1700);
  CHECK(parse_specific_offsets("partition:0,offset:42;partition:1,offset:300") ==
        std::map<int32_t, int64_t>{{0, 42}, {1, 300}});
  CHECK_THROWS_WITH(parse_startup_options({{"scan.startup.mode", "earliest"}}),
                    Catch::Contains("unknown startup mode 'earliest'"));
  CHECK(option_error_key([] { parse_startup_options({{"scan.startup.mode", "earliest"}}); }) == "scan.startup.mode");
  CHECK(option_error_key([] { parse_specific_offsets("partition:0;offset:4"); }) == "scan.startup.specific-offsets");
  CHECK_THROWS_WITH(parse_specific_offsets("partition:x,offset:4"), Catch::Contains("bad partition"));
  CHECK_THROWS_WITH(parse_specific_offsets("partition:0,offset:-4"), Catch::Contains("bad offset"));
  CHECK(option_error_key([] { parse_startup_options({{"scan.startup.mode", "specific-offsets"}}); }) ==
        "scan.startup.specific-offsets");
  CHECK(option_error_key([] { parse_startup_options({{"scan.startup.mode", "timestamp"}}); }) ==
        "scan.startup.timestamp-millis");
}

TEST_CASE("kafka connectors reject bad options before connecting") {
  using namespace ananas::connectors::kafka;
  Options base = {{"topic", "t"}, {"properties.bootstrap.servers", "127.0.0.1:1"}};
  Options unknown_property = base;
  unknown_property["properties.no.such.thing"] = "1";
  CHECK_THROWS_WITH(KafkaSource(unknown_property, context()),
                    Catch::Contains("unknown Kafka client property 'no.such.thing'"));
  CHECK(option_error_key([&] { KafkaSink(unknown_property, context()); }) == "properties.no.such.thing");
  Options bad_value = base;
  bad_value["properties.fetch.max.bytes"] = "lots";
  CHECK(option_error_key([&] { KafkaSource(bad_value, context()); }) == "properties.fetch.max.bytes");
  Options bad_mode = base;
  bad_mode["scan.startup.mode"] = "from-the-start";
  CHECK(option_error_key([&] { KafkaSource(bad_mode, context()); }) == "scan.startup.mode");
  CHECK(option_error_key([&] { KafkaSource({{"properties.bootstrap.servers", "x:1"}}, context()); }) == "topic");
  CHECK(option_error_key([&] { KafkaSource({{"topic", "t"}, {"properties.bootstrap.servers", ""}}, context()); }) ==
        "properties.bootstrap.servers");
  Options two_topics = base;
  two_topics["topic"] = "a;b";
  CHECK(option_error_key([&] { KafkaSink(two_topics, context()); }) == "topic");
  Options partitioner = base;
  partitioner["sink.partitioner"] = "round-robin";
  CHECK(option_error_key([&] { KafkaSink(partitioner, context()); }) == "sink.partitioner");
}

TEST_CASE("a table's options must be ones its connector reads, in either role") {
  ConnectorRegistry registry;
  register_builtin_connectors(registry);
  const Options source = {{"topic", "orders"}, {"properties.bootstrap.servers", "127.0.0.1:1"}};
  // A misspelt key is refused at the key, with the nearest known one.
  Options typo = source;
  typo["scan.startup-mode"] = "earliest-offset";
  CHECK(option_error_key([&] { registry.validate_source("kafka", typo); }) == "scan.startup-mode");
  CHECK_THROWS_WITH(registry.validate_source("kafka", typo),
                    Catch::Contains("Unsupported options found for 'kafka' (did you mean 'scan.startup.mode'?)") &&
                        Catch::Contains("properties.*"));
  // Options Flink has and Ananas does not implement are refused, not ignored.
  Options fields = source;
  fields["value.fields-include"] = "EXCEPT_KEY";
  CHECK(option_error_key([&] { registry.validate_sink("upsert-kafka", fields); }) == "value.fields-include");
  // A sink option on a table read as a source (and the other way) is the connector's: accepted, as in Flink.
  Options both = source;
  both["sink.delivery-guarantee"] = "at-least-once";
  both["scan.startup.mode"] = "earliest-offset";
  CHECK_NOTHROW(registry.validate_source("kafka", both));
  CHECK_NOTHROW(registry.validate_sink("kafka", both));
  // The JSON format's options belong to the format (pipelines/graph/json_format_options.hpp checks them).
  Options format = source;
  format["value.json.ignore-parse-errors"] = "true";
  CHECK_NOTHROW(registry.validate_source("kafka", format));
  // A connector without options takes none.
  CHECK_THROWS_WITH(registry.validate_sink("blackhole", {{"topic", "x"}}),
                    Catch::Contains("Unsupported options found for 'blackhole'; it takes no options"));
}
