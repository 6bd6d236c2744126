// The worker's glue without processes: checkpoint positions, bootstrap
// server filling, restart policy mapping, REST body detection, and the
// connector drivers over datagen and an in-process broker.
#include <catch2/catch.hpp>

#include <thread>

#include "actors/drivers/connector_sink_driver.hpp"
#include "actors/drivers/connector_source_driver.hpp"
#include "actors/drivers/shared_source_watermarks.hpp"
#include "actors/drivers/source_position.hpp"
#include "actors/drivers/worker_pipelines.hpp"
#include "connectors/connector_registry.hpp"
#include "connectors/embedded_broker.hpp"
#include "dataflow/exchange_records.hpp"
#include "pipelines/graph/exchange_rows.hpp"
#include "e2e_kafka.hpp"

using namespace ananas;
using namespace ananas::rt::drivers;

namespace {

std::shared_ptr<WorkerPipelines> load_text(const std::string& name, const std::string& text, pipeline::InputKind kind) {
  return load_worker_pipelines({pipeline::InputFile{name, kind, text}}, std::make_shared<rt::Metrics>());
}

std::shared_ptr<WorkerPipelines> load_example(const std::string& file) {
  return load_worker_pipelines(pipeline::read_inputs({e2e::example(file)}), std::make_shared<rt::Metrics>());
}

// 03-windowing's source table read from `count` generated orders.
std::pair<SourceDriverSpec, std::shared_ptr<const pipeline::BuiltSource>> datagen_windowing_source(const std::string& count) {
  auto loaded = load_example("03-windowing.json");
  std::shared_ptr<const pipeline::BuiltSource> table(loaded, &loaded->built.at(0).sources.at(0));
  SourceDriverSpec spec;
  spec.pipeline = "03-windowing";
  spec.connector = "datagen";
  spec.options = {{"count", count}, {"rate", "0"}, {"topic", "pizzas"}};
  return {spec, table};
}

}  // namespace

TEST_CASE("source positions round-trip and reject corruption", "[e2e][drivers]") {
  connectors::PartitionOffsets offsets = {{{"pizzas", 0}, 17}, {{"pizzas", 2}, 0}, {{"other.topic-x", 11}, 123456789012}};
  CHECK(decode_position(encode_position(offsets)) == offsets);
  CHECK(encode_position({{{"pizzas", 1}, 5}}) == "pizzas:1:5\n");
  CHECK(decode_position("").empty());
  CHECK_THROWS_WITH(decode_position("pizzas:x:5\n"), Catch::Contains("bad number 'x'"));
  CHECK_THROWS_WITH(decode_position("pizzas5\n"), Catch::Contains("expected 'topic:partition:offset'"));
  CHECK_THROWS(decode_position("pizzas:1:\n"));
}

TEST_CASE("source positions carry a decoder's marks per partition beside the offsets", "[e2e][drivers]") {
  connectors::PartitionOffsets offsets = {{{"ananas-p-agg-exchange", 0}, 40}, {{"ananas-p-agg-exchange", 3}, 7}};
  PartitionMarks marks = {{{"ananas-p-agg-exchange", 0}, "0:1:99:2,1:0:5:0"}, {{"ananas-p-agg-exchange", 3}, "0:2:8:0"}};
  const std::string text = encode_position(offsets, marks);
  CHECK(text.find("@ananas-p-agg-exchange:3 0:2:8:0\n") != std::string::npos);
  SourcePosition back = decode_source_position(text);
  CHECK(back.offsets == offsets);
  CHECK(back.marks == marks);
  CHECK(decode_position(text) == offsets);  // what a commit reads: the offsets alone
  CHECK_THROWS_WITH(decode_position("@topic:1\n"), Catch::Contains("expected '@topic:partition marks'"));
  CHECK_THROWS_WITH(decode_position("@topic 1:2:3:4\n"), Catch::Contains("expected '@topic:partition marks'"));
  CHECK_THROWS(decode_position("@topic:x 1:2:3:4\n"));
}

TEST_CASE("broker addresses are told from the tutorial's placeholders", "[e2e][drivers]") {
  CHECK(looks_like_broker_addresses("localhost:9092"));
  CHECK(looks_like_broker_addresses("a:1, b:2"));
  CHECK(looks_like_broker_addresses("SASL_SSL://kafka.example.com:9093"));
  CHECK_FALSE(looks_like_broker_addresses(""));
  CHECK_FALSE(looks_like_broker_addresses("pizza_stream_out_trends"));
  CHECK_FALSE(looks_like_broker_addresses("host:"));
  CHECK_FALSE(looks_like_broker_addresses("host:90x"));
  CHECK_FALSE(looks_like_broker_addresses("a:1,"));
}

TEST_CASE("graphs get the worker's bootstrap servers, the model's keys and restart policy", "[e2e][drivers]") {
  auto loaded = load_example("04-trends.json");
  WorkerSettings settings;
  settings.bootstrap_servers = "127.0.0.1:9";
  auto graphs = to_pipeline_graphs(loaded, settings);
  REQUIRE(graphs.size() == 1);
  const rt::PipelineGraph& g = graphs[0];
  CHECK(g.name == "04-trends");
  CHECK(g.restart.kind == rt::RestartPolicy::Kind::ExponentialDelay);  // none declared: Flink's default
  CHECK(g.definition.find("pipeline: 04-trends") != std::string::npos);
  CHECK_NOTHROW(rt::validate_graph(g));
  REQUIRE(g.nodes.front().kind == rt::NodeKind::Source);
  CHECK(g.nodes.front().topic == "pizzas");
  CHECK(g.nodes.back().kind == rt::NodeKind::Sink);
  CHECK(g.nodes.back().topic == "pizza_stream_out_trends");
  for (const auto& n : g.nodes)
    if (n.name == "window_aggregate") CHECK(n.key_columns.size() == 1);  // keyed by topping

  // Without worker bootstrap servers, the placeholder is an error at the option.
  CHECK_THROWS_WITH(to_pipeline_graphs(loaded, WorkerSettings{}), Catch::Contains("04-trends.json#/sources/0/create_table:") &&
                                                                      Catch::Contains("worker has no bootstrap.servers"));
}

TEST_CASE("restart policies and settings map onto the runtime", "[e2e][drivers]") {
  const std::string yaml = e2e::read_text(e2e::example("01-basic-filtering.yaml"));
  auto with_header = [&](const std::string& header) {
    return "pipeline: p\nparallelism: 1\n" + header + yaml.substr(yaml.find("sources:"));
  };
  auto loaded = load_text("p.yaml", with_header("restart: {strategy: fixed-delay, attempts: 4, delay: 250ms}\n"
                                                "settings: {checkpoint_interval: 3s}\n"),
                          pipeline::InputKind::Yaml);
  WorkerSettings settings;
  settings.bootstrap_servers = "127.0.0.1:9";
  auto g = to_pipeline_graphs(loaded, settings).at(0);
  CHECK(g.restart.kind == rt::RestartPolicy::Kind::FixedDelay);
  CHECK(g.restart.attempts == 4);
  CHECK(g.restart.delay == rt::Millis(250));
  CHECK(g.runtime.checkpoint_interval == rt::Millis(3000));

  auto none = load_text("p.yaml", with_header("restart: {strategy: none}\n"), pipeline::InputKind::Yaml);
  CHECK(to_pipeline_graphs(none, settings).at(0).restart.kind == rt::RestartPolicy::Kind::None);

  auto bad_connector = yaml;
  bad_connector.replace(bad_connector.find("connector: kafka"), 16, "connector: kafak");
  CHECK_THROWS_WITH(to_pipeline_graphs(load_text("c.yaml", bad_connector, pipeline::InputKind::Yaml), settings),
                    Catch::Contains("c.yaml:5:5: table 'pizza_source': unknown source connector 'kafak'") && Catch::Contains("did you mean 'kafka'"));
}

TEST_CASE("REST bodies: kind from the Content-Type or the text, name from a parameter", "[e2e][drivers]") {
  int generated = 0;
  auto next = [&generated] { return "pipeline-" + std::to_string(++generated); };
  auto sql = request_body_input("CREATE TABLE t (a INT)", "application/sql; name=rules", next);
  CHECK(sql.kind == pipeline::InputKind::Sql);
  CHECK(sql.path == "rules.sql");
  CHECK(request_body_input("{\"sources\": []}", "application/x-www-form-urlencoded; name=j", next).kind ==
        pipeline::InputKind::ApplicationJson);
  CHECK(request_body_input("  insert into x select 1", "; name=s", next).kind == pipeline::InputKind::Sql);
  // YAML is named by its own `pipeline:` key and uses up no generated name.
  auto yaml = request_body_input("# rules\npipeline: x # the first\nsources: 12\n", "", next);
  CHECK(yaml.kind == pipeline::InputKind::Yaml);
  CHECK(yaml.path == "x.yaml");
  CHECK(request_body_input("pipelines:\n  - pipeline: \"first\"\n", "application/yaml; name=ignored", next).path ==
        "first.yaml");
  CHECK(request_body_input("sources: []\n", "application/yaml", next).path == "body.yaml");
  CHECK(generated == 0);
  // Unnamed SQL and JSON bodies are numbered among themselves.
  CHECK(request_body_input("{}", "", next).path == "pipeline-1.json");
  CHECK(request_body_input("CREATE TABLE t (a INT)", "application/sql", next).path == "pipeline-2.sql");
}

TEST_CASE("the source driver decodes, tracks watermarks per partition and resumes at a position", "[e2e][drivers]") {
  connectors::EmbeddedBroker broker;
  const std::string bootstrap = broker.start(2, {"pizzas"});
  // Two records in partition 0 only: partition 1 holds the watermark back.
  {
    connectors::Options o = {{"topic", "pizzas"}, {"properties.bootstrap.servers", bootstrap}};
    auto sink = connectors::default_registry().create_sink("kafka", o, {"t", "t", {}});
    const std::string order = R"({"id": 1, "shop": "s", "name": "n", "phoneNumber": "p", "address": "a", "pizzas": []})";
    sink->write(std::nullopt, order, 0);
    sink->write(std::nullopt, "not json", 0);
    sink->write(std::nullopt, order, 0);
    REQUIRE(sink->flush(std::chrono::seconds(10)).empty());
  }
  auto loaded = load_example("03-windowing.json");
  const pipeline::BuiltPipeline& built = loaded->built.at(0);
  std::shared_ptr<const pipeline::BuiltSource> table(loaded, &built.sources.at(0));
  SourceDriverSpec spec;
  spec.pipeline = "03-windowing";
  spec.connector = "kafka";
  spec.options = {{"topic", "pizzas"}, {"properties.bootstrap.servers", bootstrap}, {"scan.startup.mode", "earliest-offset"}};

  ConnectorSourceDriver driver(spec, table);
  driver.open(std::nullopt);
  size_t rows = 0;
  uint64_t bad = 0;
  rt::SourcePoll last;
  for (int i = 0; i < 50 && rows < 2; ++i) {
    last = driver.poll(std::chrono::milliseconds(100));
    if (last.batch) rows += last.batch->num_rows();
    bad += last.bad_records;
  }
  CHECK(rows == 2);
  CHECK(bad == 1);
  CHECK(last.watermark == ops::kMinWatermark);  // partition 1 has delivered nothing
  CHECK(driver.position() == "pizzas:0:3\n");
  driver.commit(driver.position(), /*final=*/false);

  // A new driver opened at an earlier position reads from there, whatever the startup mode says.
  ConnectorSourceDriver resumed(spec, table);
  resumed.open(std::string("pizzas:0:2\n"));
  size_t again = 0;
  for (int i = 0; i < 30 && again < 1; ++i) {
    auto p = resumed.poll(std::chrono::milliseconds(100));
    if (p.batch) again += p.batch->num_rows();
    CHECK(p.bad_records == 0);  // offset 1 (the bad one) is before the position
  }
  CHECK(again == 1);
  CHECK(resumed.position() == "pizzas:0:3\n");
}

TEST_CASE("an exchange source keeps its de-duplication marks in its position, and a driver opened there drops "
          "re-sent rows",
          "[e2e][drivers]") {
  connectors::EmbeddedBroker broker;
  const std::string bootstrap = broker.start(1, {"ex"});
  connectors::Options o = {{"topic", "ex"}, {"properties.bootstrap.servers", bootstrap}};
  auto sink = connectors::default_registry().create_sink("kafka", o, {"t", "t", {}});
  // A scan writer's rows of source partition 3, offsets 10 and 11 (one row each).
  auto send = [&](int64_t offset, int64_t value) {
    const Value row[1] = {Value::integer(value)};
    const dataflow::ExchangeRowStamp stamp{0, 3, offset, 0};
    std::string record;
    dataflow::encode_exchange_row(RowKind::Insert, row, 1, record, &stamp);
    sink->write(std::nullopt, record, 0);
    REQUIRE(sink->flush(std::chrono::seconds(10)).empty());
  };
  send(10, 1);
  send(11, 2);

  pipeline::Source model;
  model.name = "filter.exchange";
  model.connector = "kafka";
  auto table = std::make_shared<pipeline::BuiltSource>();
  table->spec = &model;
  table->schema.columns.push_back(Column{"v", Type::bigint()});
  table->topics = {"ex"};
  SourceDriverSpec spec;
  spec.pipeline = "p";
  spec.connector = "kafka";
  spec.options = {{"topic", "ex"}, {"properties.bootstrap.servers", bootstrap}, {"scan.startup.mode", "earliest-offset"}};
  spec.on_error = pipeline::OnError::Fail;
  spec.make_decoder = [] { return std::make_unique<pipeline::ExchangeRowDecoder>(1); };
  auto read = [&](ConnectorSourceDriver& d, size_t want, uint64_t& duplicates) {
    std::vector<int64_t> values;
    for (int i = 0; i < 50 && values.size() + duplicates < want; ++i) {
      const rt::SourcePoll p = d.poll(std::chrono::milliseconds(100));
      duplicates += p.duplicate_records;
      if (p.batch)
        for (size_t r = 0; r < p.batch->num_rows(); ++r) values.push_back(p.batch->row(r)[0].as_int());
    }
    return values;
  };

  ConnectorSourceDriver first(spec, table);
  first.open(std::nullopt);
  uint64_t duplicates = 0;
  CHECK(read(first, 2, duplicates) == std::vector<int64_t>{1, 2});
  const std::string position = first.position();
  CHECK(position == "ex:0:2\n@ex:0 0:3:11:0\n");

  // The writer crashed after offset 11 and its successor sends 11 again, then 12.
  send(11, 2);
  send(12, 3);
  ConnectorSourceDriver resumed(spec, table);
  resumed.open(position);
  duplicates = 0;
  CHECK(read(resumed, 2, duplicates) == std::vector<int64_t>{3});
  CHECK(duplicates == 1);
  CHECK(resumed.position() == "ex:0:4\n@ex:0 0:3:12:0\n");

  // Without the marks, the re-sent row would be taken again.
  ConnectorSourceDriver forgetful(spec, table);
  forgetful.open(std::string("ex:0:2\n"));
  duplicates = 0;
  CHECK(read(forgetful, 2, duplicates) == std::vector<int64_t>{2, 3});
  CHECK(duplicates == 0);
}

TEST_CASE("the source driver counts records without a value and parse errors json.ignore-parse-errors drops",
          "[e2e][drivers]") {
  connectors::EmbeddedBroker broker;
  const std::string bootstrap = broker.start(1, {"in"});
  {
    connectors::Options o = {{"topic", "in"}, {"properties.bootstrap.servers", bootstrap}};
    auto sink = connectors::default_registry().create_sink("kafka", o, {"t", "t", {}});
    sink->write(std::nullopt, std::string(R"({"id": 1})"), 0);
    sink->write(std::string("k"), std::nullopt, 0);  // a tombstone
    sink->write(std::nullopt, std::string(), 0);     // an empty value
    sink->write(std::nullopt, std::string("null"), 0);
    sink->write(std::nullopt, std::string("not json"), 0);
    REQUIRE(sink->flush(std::chrono::seconds(10)).empty());
  }
  auto run = [&](const std::string& with) {
    auto loaded = load_text("t.sql",
                            "CREATE TABLE src (id INT) WITH ('connector' = 'kafka', 'topic' = 'in', "
                            "'properties.bootstrap.servers' = '" + bootstrap + "', 'format' = 'json'" + with + ");\n"
                            "CREATE TABLE dst (id INT) WITH ('connector' = 'blackhole');\n"
                            "INSERT INTO dst SELECT id FROM src;\n",
                            pipeline::InputKind::Sql);
    std::shared_ptr<const pipeline::BuiltSource> table(loaded, &loaded->built.at(0).sources.at(0));
    SourceDriverSpec spec;
    spec.pipeline = "t";
    spec.connector = "kafka";
    spec.options = {{"topic", "in"}, {"properties.bootstrap.servers", bootstrap}, {"scan.startup.mode", "earliest-offset"}};
    ConnectorSourceDriver driver(spec, table);
    driver.open(std::nullopt);
    rt::SourcePoll sum;
    size_t rows = 0;
    for (int i = 0; i < 50 && driver.position() != "in:0:5\n"; ++i) {
      auto p = driver.poll(std::chrono::milliseconds(100));
      if (p.batch) rows += p.batch->num_rows();
      sum.bad_records += p.bad_records;
      sum.no_value_records += p.no_value_records;
      sum.ignored_parse_errors += p.ignored_parse_errors;
    }
    CHECK(rows == 1);
    CHECK(sum.no_value_records == 3);
    return sum;
  };
  const auto strict = run("");
  CHECK(strict.bad_records == 1);
  CHECK(strict.ignored_parse_errors == 0);
  const auto lenient = run(", 'json.ignore-parse-errors' = 'true'");
  CHECK(lenient.bad_records == 0);
  CHECK(lenient.ignored_parse_errors == 1);
}

TEST_CASE("the sink driver encodes upsert rows as Flink does and flushes to the broker", "[e2e][drivers]") {
  REQUIRE_E2E_TOOLS();
  connectors::EmbeddedBroker broker;
  const std::string bootstrap = broker.start(1, {"pizza_stream_out_agg"});
  auto loaded = load_example("02-aggregating.json");
  const pipeline::BuiltPipeline& built = loaded->built.at(0);
  std::shared_ptr<const pipeline::BuiltSink> table(loaded, &built.sinks.at(0));
  SinkDriverSpec spec;
  spec.pipeline = "02-aggregating";
  spec.connector = "upsert-kafka";
  spec.options = {{"topic", "pizza_stream_out_agg"}, {"properties.bootstrap.servers", bootstrap}};
  ConnectorSinkDriver driver(spec, table);
  driver.open();

  // id INT, name STRING, nr_bad_items BIGINT, toppings STRING, orderTimestamp TIMESTAMP(3)
  auto batch = std::make_shared<Batch>(5);
  Value* row = batch->append_row(RowKind::Insert);
  row[0] = Value::integer(7);
  row[1] = Value::string(batch->arena().copy("Ann"));
  row[2] = Value::integer(4);
  row[3] = Value::string(batch->arena().copy("🍍 pineapple"));
  row[4] = Value::integer(1700000000000);
  Value* gone = batch->append_row(RowKind::Delete);  // invalidates `row`
  for (size_t c = 0; c < 5; ++c) gone[c] = batch->at(0, c);
  CHECK(driver.write(batch) == 2);
  driver.flush();
  auto out = e2e::kcat_dump(bootstrap, "pizza_stream_out_agg");
  REQUIRE(out.size() == 2);
  CHECK(out[0]["key"] == R"({"id":7})");
  CHECK(out[0]["payload"] ==
        R"({"id":7,"name":"Ann","nr_bad_items":4,"toppings":"🍍 pineapple","orderTimestamp":"2023-11-14 22:13:20"})");
  CHECK(out[1]["key"] == R"({"id":7})");
  CHECK(out[1]["payload"].is_null());  // a delete is a tombstone
}

TEST_CASE("the datagen source driver ends a bounded input and moves the watermark", "[e2e][drivers]") {
  auto [spec, table] = datagen_windowing_source("5");
  ConnectorSourceDriver driver(spec, table);
  driver.open(std::nullopt);
  size_t rows = 0;
  bool ended = false;
  int64_t watermark = ops::kMinWatermark;
  for (int i = 0; i < 20 && !ended; ++i) {
    auto p = driver.poll(std::chrono::milliseconds(50));
    if (p.batch) rows += p.batch->num_rows();
    CHECK(p.bad_records == 0);
    ended = p.end_of_input;
    watermark = p.watermark;
  }
  CHECK(ended);
  CHECK(rows == 5);
  CHECK(watermark > ops::kMinWatermark);  // its one partition has delivered
  CHECK(driver.position() == "pizzas:0:5\n");
}

TEST_CASE("the source driver hands its connector the byte bound: batches of a few orders, none lost", "[e2e][drivers]") {
  auto [spec, table] = datagen_windowing_source("200");
  spec.max_batch_bytes = 2048;  // a few orders (each ~200-1500 bytes)
  ConnectorSourceDriver driver(spec, table);
  driver.open(std::nullopt);
  size_t rows = 0, batches = 0, largest = 0;
  bool ended = false;
  for (int i = 0; i < 1000 && !ended; ++i) {
    auto p = driver.poll(std::chrono::milliseconds(50));
    if (p.batch) {
      ++batches;
      rows += p.batch->num_rows();
      largest = std::max(largest, p.batch->num_rows());
    }
    ended = p.end_of_input;
  }
  CHECK(ended);
  CHECK(rows == 200);
  // Without the bound the 200 orders come in one batch (max_batch_rows 1000).
  CHECK(largest < 20);
  CHECK(batches >= 10);
  CHECK(driver.position() == "pizzas:0:200\n");
}

TEST_CASE("the sink driver writes through the file connector", "[e2e][drivers]") {
  e2e::ScratchDir dir("file-sink");
  auto loaded = load_example("03-windowing.json");
  std::shared_ptr<const pipeline::BuiltSink> table(loaded, &loaded->built.at(0).sinks.at(0));
  SinkDriverSpec spec;
  spec.pipeline = "03-windowing";
  spec.connector = "file";
  spec.options = {{"path", dir.file("out.jsonl")}, {"file.include-key", "true"}};
  ConnectorSinkDriver driver(spec, table);
  driver.open();
  // window_time, window_start, window_end, topping, nr_orders
  auto batch = std::make_shared<Batch>(5);
  Value* row = batch->append_row(RowKind::Insert);
  row[0] = Value::integer(1700000004999);
  row[1] = Value::integer(1700000000000);
  row[2] = Value::integer(1700000005000);
  row[3] = Value::string(batch->arena().copy("🍌 banana"));
  row[4] = Value::integer(12);
  CHECK(driver.write(batch) == 1);
  driver.flush();
  CHECK(e2e::read_text(dir.file("out.jsonl")) ==
        "{\"topping\":\"🍌 banana\",\"window_start\":\"2023-11-14 22:13:20\",\"window_end\":\"2023-11-14 22:13:25\"}\t"
        "{\"window_time\":\"2023-11-14 22:13:24.999\",\"window_start\":\"2023-11-14 22:13:20\",\"window_end\":\"2023-11-14 "
        "22:13:25\",\"topping\":\"🍌 banana\",\"nr_orders\":12}\n");
}

TEST_CASE("source instances share one watermark over all the table's partitions", "[e2e][drivers]") {
  using connectors::PartitionId;
  SharedSourceWatermarks shared(2, /*idle_timeout_ms=*/1000);
  const PartitionId p0{"pizzas", 0}, p1{"pizzas", 1}, p2{"pizzas", 2};
  shared.declare({p0, p2}, 0);  // instance 0 owns partitions 0 and 2
  // Until the other instance has declared its partitions nothing advances:
  // partition 1 must not be overtaken before anyone said it exists.
  CHECK(shared.advance({{p0, 100}, {p2, 120}}, 10) == ops::kMinWatermark);
  shared.declare({p1}, 20);
  CHECK(shared.advance({}, 30) == ops::kMinWatermark);  // partition 1 has delivered nothing yet
  CHECK(shared.advance({{p1, 90}}, 40) == 90);          // the minimum over all three
  CHECK(shared.advance({{p1, 200}}, 50) == 100);        // now partition 0 holds it
  CHECK(shared.current() == 100);
  // Idleness counts per partition, whichever instance reads it: 0 and 2 go
  // quiet past the idle timeout while 1 keeps delivering.
  CHECK(shared.advance({{p1, 300}}, 1500) == 300);
}
