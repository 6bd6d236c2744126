// Connectors describe themselves: capabilities, their own option checks (the
// ones `ananas validate` and the SQL catalog run), and opening at a position.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "connectors/connector_registry.hpp"
#include "connectors/datagen/datagen_source.hpp"
#include "connectors/embedded_broker.hpp"
#include "connectors/kafka/kafka_source.hpp"
#include "kafka_test_support.hpp"

using namespace ananas::connectors;
using namespace ananas::test;
using namespace std::chrono_literals;

namespace {

ConnectorRegistry builtins() {
  ConnectorRegistry registry;
  register_builtin_connectors(registry);
  return registry;
}

template <class F>
std::string option_error_key(F&& f) {
  try {
    f();
  } catch (const OptionError& e) {
    return e.key();
  }
  return "<no OptionError>";
}

std::string plugin_dir() { return std::filesystem::path(ANANAS_BINARY).parent_path() / "plugins"; }

}  // namespace

TEST_CASE("built-in connectors declare what they can do") {
  ConnectorRegistry r = builtins();
  const ConnectorCapabilities& kafka = r.source_info("kafka")->capabilities;
  CHECK(kafka.resumable);
  CHECK(kafka.uses_brokers);
  CHECK_FALSE(kafka.bounded);
  CHECK_FALSE(kafka.keyed);
  CHECK(kafka.changelog == ChangelogMode::AppendOnly);
  CHECK(r.sink_info("kafka")->capabilities.changelog == ChangelogMode::AppendOnly);
  for (const ConnectorInfo* upsert : {r.source_info("upsert-kafka"), r.sink_info("upsert-kafka")}) {
    CHECK(upsert->capabilities.keyed);
    CHECK(upsert->capabilities.changelog == ChangelogMode::Upsert);
    CHECK(upsert->capabilities.uses_brokers);
  }
  CHECK(r.source_info("datagen")->capabilities.bounded);
  CHECK_FALSE(r.source_info("datagen")->capabilities.resumable);
  CHECK_FALSE(r.source_info("datagen")->capabilities.uses_brokers);
  for (const char* sink : {"print", "file", "blackhole"}) {
    CHECK(r.sink_info(sink)->capabilities.changelog == ChangelogMode::AppendOnly);
    CHECK_FALSE(r.sink_info(sink)->capabilities.uses_brokers);
  }
  // Kafka's records carry its topic option; the others leave it to the table name.
  REQUIRE(r.source_info("kafka")->topics);
  CHECK(r.source_info("kafka")->topics({{"topic", "a; b"}}) == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(r.sink_info("print")->topics);
}

TEST_CASE("validation checks options offline, naming the key, without the worker's brokers") {
  ConnectorRegistry r = builtins();
  // No bootstrap servers and a placeholder are fine here: the worker fills them in.
  CHECK_NOTHROW(r.validate_source("kafka", {{"topic", "t"}, {"scan.startup.mode", "earliest-offset"}}));
  CHECK_NOTHROW(r.validate_sink("upsert-kafka", {{"topic", "t"}, {"properties.bootstrap.servers", ""}}));
  CHECK(option_error_key([&] { r.validate_source("kafka", {{"topic", "t"}, {"scan.startup.mode", "first"}}); }) ==
        "scan.startup.mode");
  CHECK(option_error_key([&] { r.validate_source("kafka", {}); }) == "topic");
  CHECK(option_error_key([&] { r.validate_source("kafka", {{"topic", "t"}, {"properties.no.such.thing", "1"}}); }) ==
        "properties.no.such.thing");
  CHECK(option_error_key([&] { r.validate_sink("kafka", {{"topic", "a;b"}}); }) == "topic");
  CHECK(option_error_key([&] { r.validate_sink("kafka", {{"topic", "a"}, {"sink.delivery-guarantee", "exactly-once"}}); }) ==
        "sink.delivery-guarantee");
  CHECK(option_error_key([&] { r.validate_source("datagen", {{"rate", "fast"}}); }) == "rate");
  CHECK(option_error_key([&] { r.validate_source("datagen", {{"max-pizzas", "0"}}); }) == "max-pizzas");
  CHECK(option_error_key([&] { r.validate_sink("print", {{"standard-error", "yes"}}); }) == "standard-error");
  CHECK(option_error_key([&] { r.validate_sink("file", {}); }) == "path");
  // The file sink's check does not create the file: only opening does.
  const std::string path = (std::filesystem::temp_directory_path() / "ananas-validate-never-created.txt").string();
  std::filesystem::remove(path);
  CHECK_NOTHROW(r.validate_sink("file", {{"path", path}}));
  CHECK_FALSE(std::filesystem::exists(path));
  // Roles and names.
  CHECK(option_error_key([&] { r.validate_source("print", {}); }) == "connector");
  CHECK_THROWS_WITH(r.validate_sink("datagen", {}), Catch::Contains("can only be used as a source"));
  CHECK_THROWS_WITH(r.validate_sink("prnt", {}), Catch::Contains("did you mean 'print'"));
}

TEST_CASE("a plugin's sink and source validate and open like built-in ones") {
  ConnectorRegistry r = builtins();
  r.load_plugins({plugin_dir()});
  REQUIRE(r.has_sink("lines"));
  REQUIRE(r.has_source("sequence"));
  CHECK(r.source_info("sequence")->capabilities.bounded);
  CHECK(option_error_key([&] { r.validate_source("sequence", {{"count", "-1"}}); }) == "count");
  CHECK(option_error_key([&] { r.validate_sink("lines", {}); }) == "path");
  CHECK(option_error_key([&] { r.create_sink("lines", {}, {"p", "t", {}}); }) == "path");

  const auto path = std::filesystem::temp_directory_path() / ("ananas-lines-" + std::to_string(getpid()) + ".txt");
  std::filesystem::remove(path);
  {
    auto sink = r.create_sink("lines", {{"path", path.string()}}, {"p", "t", {}});
    sink->write(std::string_view("k"), std::string_view("{\"n\":1}"));
    sink->write(std::nullopt, std::nullopt);
    CHECK(sink->flush(1s).empty());
    sink->close();
  }
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "k\t{\"n\":1}\nnull\tnull\n");
  std::filesystem::remove(path);
}

TEST_CASE("a source that cannot resume is told its position, and starts over") {
  ConnectorRegistry r = builtins();
  auto source = r.open_source("datagen", {{"count", "3"}, {"topic", "orders"}}, {"p", "orders", {}},
                              PartitionOffsets{{PartitionId{"orders", 0}, 2}});
  auto* datagen = dynamic_cast<datagen::DatagenSource*>(source.get());
  REQUIRE(datagen);
  CHECK(datagen->committed() == 2);
  RawBatch batch = source->poll(10, 100ms);
  REQUIRE(batch.size() == 3);
  CHECK(batch.records.front().offset == 0);
}

TEST_CASE("kafka opens itself at a checkpoint's position and commits it to its group") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  const std::string bs = broker.start(2, {"in"});
  std::string p0, p1;
  for (int i = 0; i < 6; ++i) p0 += "a" + std::to_string(i) + ":x" + std::to_string(i) + "\n";
  for (int i = 0; i < 4; ++i) p1 += "b" + std::to_string(i) + ":y" + std::to_string(i) + "\n";
  kcat_produce(bs, "in", p0, 0);
  kcat_produce(bs, "in", p1, 1);
  ConnectorRegistry r = builtins();
  // The table says timestamp mode far in the future: a restart must not start
  // over as the table says, but continue at the position. Partition 1 is not
  // in the position (it had delivered nothing), so it starts from the
  // beginning, as a table without committed offsets would.
  Options o = {{"topic", "in"},
               {"properties.bootstrap.servers", bs},
               {"properties.group.id", "resume-at-position"},
               {"scan.startup.mode", "timestamp"},
               {"scan.startup.timestamp-millis", "99999999999999"}};
  auto source = r.open_source("kafka", o, {"p", "t", {}}, PartitionOffsets{{PartitionId{"in", 0}, 4}});
  std::map<int32_t, std::vector<int64_t>> offsets;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  size_t seen = 0;
  while (seen < 6 && std::chrono::steady_clock::now() < deadline) {
    RawBatch batch = source->poll(100, 200ms);
    for (const RawRecord& rec : batch.records) {
      offsets[rec.partition].push_back(rec.offset);
      ++seen;
    }
  }
  source->close();
  CHECK(offsets[0] == std::vector<int64_t>{4, 5});
  CHECK(offsets[1] == std::vector<int64_t>{0, 1, 2, 3});
  // The group holds the position: a plain group-offsets source resumes there.
  auto again = r.create_source("kafka",
                               {{"topic", "in"},
                                {"properties.bootstrap.servers", bs},
                                {"properties.group.id", "resume-at-position"},
                                {"scan.startup.mode", "group-offsets"},
                                {"properties.auto.offset.reset", "latest"}},
                               {"p", "t", {}});
  std::vector<int64_t> p0_again;
  deadline = std::chrono::steady_clock::now() + 20s;
  while (p0_again.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    RawBatch batch = again->poll(100, 200ms);
    for (const RawRecord& rec : batch.records)
      if (rec.partition == 0) p0_again.push_back(rec.offset);
  }
  CHECK(p0_again == std::vector<int64_t>{4, 5});
}
