// Rows an operator fails on (here a CAST of 'abc' to INT) under `on_error:
// dead-letter`: the source record each row was decoded from goes to the
// dead-letter topic unchanged (key and value, byte for byte), with the same
// headers as a record its source could not decode plus the failing operator,
// once per record however many of its rows fail; the good rows reach the
// output and the worker keeps running. First the worker's drivers in process
// over an embedded broker, then `ananas run` against `ananas broker`, read
// back with kcat -J.
#include <catch2/catch.hpp>

#include <signal.h>

#include <map>
#include <set>

#include "actors/drivers/worker_pipelines.hpp"
#include "actors/partitioner.hpp"
#include "connectors/connector_registry.hpp"
#include "connectors/embedded_broker.hpp"
#include "e2e_kafka.hpp"

using namespace ananas;
using namespace ananas::e2e;

namespace {

// orders(id, qty STRING, items ARRAY<STRING>) -> UNNEST(items) -> CAST(qty AS
// INT) in two instances keyed by id -> orders_out. An order whose qty is not a
// number fails once per item.
const char* kCastsYaml = R"yaml(pipeline: casts
parallelism: 1
on_error: dead-letter
dead_letter_topic: orders_dlq
settings: {checkpoint_interval: 500ms}
sources:
  - name: orders
    connector: kafka
    format: json
    options:
      properties.bootstrap.servers: ""
      scan.startup.mode: earliest-offset
      topic: orders
    columns:
      - {name: id, type: INT}
      - {name: qty, type: STRING}
      - {name: items, type: "ARRAY<STRING>"}
operators:
  - name: unnest_items
    type: unnest
    input: orders
    array: items
    columns: [item]
  - name: cast_qty
    type: calc
    input: unnest_items
    parallelism: 2
    key: [id]
    select:
      - {name: id, expr: id}
      - {name: item, expr: item}
      - {name: qty, expr: "CAST(qty AS INT)"}
sinks:
  - name: out
    input: cast_qty
    connector: kafka
    format: json
    options:
      properties.bootstrap.servers: ""
      topic: orders_out
    columns:
      - {name: id, type: INT}
      - {name: item, type: STRING}
      - {name: qty, type: INT}
)yaml";

// A kcat -J header list ["k1","v1","k2","v2",...] as a map.
std::map<std::string, std::string> headers_of(const nlohmann::json& record) {
  std::map<std::string, std::string> out;
  const auto& h = record["headers"];
  if (!h.is_array()) return out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) out[h[i].get<std::string>()] = h[i + 1].get<std::string>();
  return out;
}

std::string text_of(const nlohmann::json& v) { return v.is_null() ? "<null>" : v.get<std::string>(); }

struct Order {
  std::string key, value;
  int id = 0;
  std::string qty;
  std::vector<std::string> items;
  bool malformed = false;  // not JSON: its source cannot decode it
};

std::string order_json(const Order& o) {
  nlohmann::json j = {{"id", o.id}, {"qty", o.qty}, {"items", o.items}};
  return j.dump();
}

}  // namespace

TEST_CASE("the worker's drivers dead-letter a failing row's source record, flushed with the sink", "[e2e][drivers][dead-letter]") {
  REQUIRE_E2E_TOOLS();
  connectors::EmbeddedBroker broker;
  const std::string bootstrap = broker.start(1, {"orders", "orders_out", "orders_dlq"});
  {
    connectors::Options o = {{"topic", "orders"}, {"properties.bootstrap.servers", bootstrap}};
    auto sink = connectors::default_registry().create_sink("kafka", o, {"t", "t", {}});
    sink->write(std::string_view("k1"), R"({"id": 1, "qty": "3", "items": ["a", "b"]})", 0);
    sink->write(std::string_view("k2"), R"({"id": 2, "qty": "abc", "items": ["c", "d"]})", 0);  // fails twice
    sink->write(std::string_view("k3"), "not json", 0);                                        // a decode error
    sink->write(std::string_view("k4"), R"({"id": 4, "qty": "x", "items": []})", 0);            // no row, no failure
    sink->write(std::nullopt, R"({"id": 5, "qty": "7", "items": ["e"]})", 0);
    REQUIRE(sink->flush(std::chrono::seconds(10)).empty());
  }
  auto metrics = std::make_shared<rt::Metrics>();
  auto loaded = rt::drivers::load_worker_pipelines({pipeline::InputFile{"casts.yaml", pipeline::InputKind::Yaml, kCastsYaml}},
                                                   metrics);
  rt::drivers::WorkerSettings settings;
  settings.bootstrap_servers = bootstrap;
  rt::PipelineGraph graph = rt::drivers::to_pipeline_graphs(loaded, settings).at(0);
  REQUIRE(graph.nodes.size() == 4);  // orders, unnest_items, cast_qty, out

  auto source = graph.nodes[0].make_source();
  source->open(std::nullopt);
  std::vector<BatchPtr> batches;
  size_t rows = 0;
  for (int i = 0; i < 100 && rows < 4; ++i) {
    auto p = source->poll(std::chrono::milliseconds(100));
    if (p.batch) {
      rows += p.batch->num_rows();
      batches.push_back(p.batch);
    }
  }
  REQUIRE(rows == 4);
  for (const auto& b : batches) CHECK(b->origin());  // dead-letter: rows know their records

  // unnest_items, then cast_qty's two instances fed by the key partitioner.
  auto unnest = graph.nodes[1].make_operator();
  std::vector<BatchPtr> unnested;
  for (const auto& b : batches) unnest->process(b, unnested);
  std::vector<ops::OperatorPtr> casts;
  casts.push_back(graph.nodes[2].make_operator());
  casts.push_back(graph.nodes[2].make_operator());
  std::vector<BatchPtr> cast;
  for (const auto& b : unnested) {
    auto parts = rt::partition_batch(b, graph.nodes[2].key_columns, casts.size());
    for (size_t i = 0; i < parts.size(); ++i)
      if (parts[i]) casts[i]->process(parts[i], cast);
  }
  // A row computed from operator state (no origin) cannot be dead-lettered: skipped, counted.
  auto stateful_row = std::make_shared<Batch>(4);
  Value* row = stateful_row->append_row();
  row[0] = Value::integer(6);
  row[1] = Value::string(stateful_row->arena().copy("abc"));
  row[3] = Value::string(stateful_row->arena().copy("f"));
  CHECK_NOTHROW(casts[0]->process(stateful_row, cast));

  // The sink flushes the pipeline's dead letters with its own records.
  auto sink = graph.nodes[3].make_sink();
  sink->open();
  size_t written = 0;
  for (const auto& b : cast) written += sink->write(b);
  CHECK(written == 3);  // 1a, 1b, 5e
  CHECK(loaded->dead_letters.at(0)->pending() > 0);
  sink->flush();
  CHECK(loaded->dead_letters.at(0)->pending() == 0);

  auto dlq = kcat_dump(bootstrap, "orders_dlq");
  REQUIRE(dlq.size() == 2);
  std::map<std::string, nlohmann::json> by_key;
  for (const auto& r : dlq) by_key[text_of(r["key"])] = r;
  REQUIRE(by_key.count("k2"));
  REQUIRE(by_key.count("k3"));
  CHECK(by_key["k2"]["payload"] == R"({"id": 2, "qty": "abc", "items": ["c", "d"]})");
  auto h = headers_of(by_key["k2"]);
  CHECK(h["__ananas.errors.pipeline"] == "casts");
  CHECK(h["__ananas.errors.topic"] == "orders");
  CHECK(h["__ananas.errors.partition"] == "0");
  CHECK(h["__ananas.errors.offset"] == "1");
  CHECK(h["__ananas.errors.operator"] == "cast_qty");
  CHECK(h["__ananas.errors.exception.message"].find("cannot cast 'abc'") != std::string::npos);
  CHECK(by_key["k3"]["payload"] == "not json");
  CHECK(headers_of(by_key["k3"]).count("__ananas.errors.operator") == 0);  // its source rejected it

  const std::string exposition = metrics->serialize();
  INFO(exposition);
  CHECK(metric_sum(exposition, "ananas_row_errors_total", "operator=\"cast_qty\"") == 3);  // c, d, and the stateful row
  CHECK(metric_sum(exposition, "ananas_row_errors_not_dead_lettered_total", "operator=\"cast_qty\"") == 1);
}

TEST_CASE("ananas run dead-letters the orders a CAST fails on and keeps running", "[e2e][dead-letter]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("row-dlq");
  BrokerProcess broker(dir, 2, {"orders", "orders_out", "orders_dlq"});
  write_text(dir.file("casts.yaml"), kCastsYaml);
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {dir.file("casts.yaml")});
  INFO("worker stderr:\n" << worker.process().err());

  // 300 orders with 0-3 items; every 7th has qty 'abc', every 50th is not JSON.
  std::vector<Order> orders;
  std::string lines;
  for (int n = 0; n < 300; ++n) {
    Order o;
    o.key = "order-" + std::to_string(n);
    o.id = n;
    o.qty = n % 7 == 3 ? "abc" : std::to_string(n % 5);
    for (int k = 0; k < n % 4; ++k) o.items.push_back("item" + std::to_string(k));
    o.malformed = n % 50 == 49;
    o.value = o.malformed ? "{\"id\": " + std::to_string(n) + ", broken" : order_json(o);
    lines += o.key + "\t" + o.value + "\n";
    orders.push_back(o);
  }
  Result produced = run({"kcat", "-b", broker.bootstrap(), "-P", "-t", "orders", "-K", "\t"}, 30s, lines);
  REQUIRE(produced.exit_code == 0);

  // What must come out: every good row, and every record that failed once.
  std::multiset<std::string> expected_rows;
  std::set<std::string> expected_dead;  // keys
  size_t failing_rows = 0;
  for (const Order& o : orders) {
    if (o.malformed) {
      expected_dead.insert(o.key);
      continue;
    }
    if (o.qty == "abc") {
      failing_rows += o.items.size();
      if (!o.items.empty()) expected_dead.insert(o.key);
      continue;
    }
    for (const auto& item : o.items)
      expected_rows.insert(nlohmann::json({{"id", o.id}, {"item", item}, {"qty", std::stoi(o.qty)}}).dump());
  }
  REQUIRE(failing_rows > 0);

  // Both counts are known: wait for them (a duplicate would show below as a
  // second dead letter of one record, or an extra output row).
  size_t out_count = 0, dead_count = 0;
  CHECK(wait_until_true(
      [&] {
        out_count = kcat_dump(broker.bootstrap(), "orders_out").size();
        dead_count = kcat_dump(broker.bootstrap(), "orders_dlq").size();
        return out_count >= expected_rows.size() && dead_count >= expected_dead.size();
      },
      60s, 200ms));
  CHECK(out_count == expected_rows.size());
  CHECK(dead_count == expected_dead.size());

  std::multiset<std::string> rows;
  for (const auto& r : kcat_dump(broker.bootstrap(), "orders_out"))
    rows.insert(nlohmann::json::parse(r["payload"].get<std::string>()).dump());
  CHECK(rows == expected_rows);

  // Each dead letter is its input record, byte for byte, and says where it came from.
  std::map<std::string, nlohmann::json> input;  // "partition@offset" -> record
  for (const auto& r : kcat_dump(broker.bootstrap(), "orders"))
    input[std::to_string(r["partition"].get<int>()) + "@" + std::to_string(r["offset"].get<int64_t>())] = r;
  REQUIRE(input.size() == orders.size());
  std::set<std::string> dead;
  for (const auto& d : kcat_dump(broker.bootstrap(), "orders_dlq")) {
    auto h = headers_of(d);
    INFO("dead letter: " << d.dump());
    CHECK(h["__ananas.errors.pipeline"] == "casts");
    CHECK(h["__ananas.errors.topic"] == "orders");
    const auto from = input.find(h["__ananas.errors.partition"] + "@" + h["__ananas.errors.offset"]);
    REQUIRE(from != input.end());
    CHECK(d["key"] == from->second["key"]);
    CHECK(d["payload"] == from->second["payload"]);
    const bool malformed = h.count("__ananas.errors.operator") == 0;
    if (!malformed) {
      CHECK(h["__ananas.errors.operator"] == "cast_qty");
      CHECK(h["__ananas.errors.exception.message"].find("cannot cast 'abc' to INT") != std::string::npos);
    }
    CHECK(dead.insert(text_of(d["key"])).second);  // once per record
  }
  CHECK(dead == expected_dead);

  // The worker goes on: the pipeline runs, every failing row was counted.
  const std::string base = worker.base_url();
  CHECK(http_get(base + "/pipelines/casts/status").second.find("RUNNING") != std::string::npos);
  const std::string metrics = http_get(base + "/metrics").second;
  CHECK(metric_sum(metrics, "ananas_row_errors_total", "pipeline=\"casts\"") == static_cast<double>(failing_rows));
  CHECK(metric_sum(metrics, "ananas_row_errors_not_dead_lettered_total", "pipeline=\"casts\"") == 0);
  CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
}
