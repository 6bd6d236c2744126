// The kafka source and sink against the embedded broker, with kcat as the
// independent client on the other side.
#include <set>
#include <thread>

#include "connectors/embedded_broker.hpp"
#include "connectors/kafka/kafka_sink.hpp"
#include "connectors/kafka/kafka_source.hpp"
#include "kafka_test_support.hpp"

using namespace ananas::connectors;
using namespace ananas::connectors::kafka;
using namespace ananas::test;
using namespace std::chrono_literals;

namespace {

struct Seen {
  std::string key, value;
  int32_t partition;
  int64_t offset;
};

// Polls until `expected` records arrived or 20 s passed; then polls a bit
// more to catch any extra record.
std::vector<Seen> read(KafkaSource& source, size_t expected) {
  std::vector<Seen> out;
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (out.size() < expected && std::chrono::steady_clock::now() < deadline) {
    RawBatch batch = source.poll(100, 200ms);
    for (const std::string& e : batch.errors) FAIL("consumer error: " << e);
    for (const RawRecord& r : batch.records)
      out.push_back({r.key ? std::string(*r.key) : "<null>", r.value ? std::string(*r.value) : "<null>",
                     r.partition, r.offset});
  }
  RawBatch extra = source.poll(100, 300ms);
  for (const RawRecord& r : extra.records) out.push_back({std::string(r.key.value_or("")), "", r.partition, r.offset});
  return out;
}

Options source_options(const std::string& bootstrap, const std::string& topic, const std::string& mode) {
  return {{"topic", topic}, {"properties.bootstrap.servers", bootstrap}, {"scan.startup.mode", mode}};
}

std::string numbered_lines(int from, int to) {
  std::string s;
  for (int i = from; i < to; ++i) s += "k" + std::to_string(i) + ":v" + std::to_string(i) + "\n";
  return s;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Java's Utils.murmur2 and DefaultPartitioner, written from the Kafka source,
// to check librdkafka's murmur2_random places keys where Java would.
int32_t java_partition(const std::string& key, int32_t partitions) {
  const uint32_t m = 0x5bd1e995;
  const int r = 24;
  size_t length = key.size();
  uint32_t h = 0x9747b28c ^ static_cast<uint32_t>(length);
  const auto* data = reinterpret_cast<const unsigned char*>(key.data());
  for (size_t i = 0; i + 4 <= length; i += 4) {
    uint32_t k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (static_cast<uint32_t>(data[i + 3]) << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  size_t tail = length & ~size_t{3};
  switch (length % 4) {
    case 3: h ^= data[tail + 2] << 16; [[fallthrough]];
    case 2: h ^= data[tail + 1] << 8; [[fallthrough]];
    case 1: h ^= data[tail]; h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<int32_t>((h & 0x7fffffff) % static_cast<uint32_t>(partitions));
}

}  // namespace

TEST_CASE("kafka source reads what kcat produced, from the earliest offset") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  std::string bs = broker.start(2, {"in"});
  kcat_produce(bs, "in", numbered_lines(0, 5), 0);
  kcat_produce(bs, "in", numbered_lines(5, 8), 1);
  KafkaSource source(source_options(bs, "in", "earliest-offset"), {"p", "orders", {}});
  CHECK(source.group_id() == "ananas-p-orders");
  CHECK(source.partitions() == std::vector<PartitionId>{{"in", 0}, {"in", 1}});
  std::vector<Seen> seen = read(source, 8);
  REQUIRE(seen.size() == 8);
  std::set<std::string> values;
  for (const Seen& s : seen) {
    values.insert(s.value);
    CHECK(s.key == "k" + s.value.substr(1));
    CHECK(s.partition == (std::stoi(s.value.substr(1)) < 5 ? 0 : 1));
  }
  CHECK(values.size() == 8);
  // Timestamps: kcat's producer stamps CreateTime.
  KafkaSource again(source_options(bs, "in", "earliest-offset"), {"p", "orders2", {}});
  RawBatch batch;
  for (int i = 0; i < 50 && batch.empty(); ++i) batch = again.poll(10, 200ms);
  REQUIRE_FALSE(batch.empty());
  CHECK(batch.records[0].ts_type == TimestampType::CreateTime);
  CHECK(batch.records[0].timestamp_ms > now_ms() - 60000);
  CHECK(batch.records[0].topic == "in");
  auto lag = again.lag();
  CHECK(lag.size() == 2);
}

TEST_CASE("kafka source: a topic that does not exist is waited for, then read from the start") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  std::string bs = broker.start(2, {"other"});
  broker.set_topic_error("later", RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  const auto opened = std::chrono::steady_clock::now();
  KafkaSource source(source_options(bs, "later", "earliest-offset"), {"p", "orders", {}});
  // Opening does not wait for it (no 15 s metadata retry, no error).
  CHECK(std::chrono::steady_clock::now() - opened < 10s);
  CHECK(source.partitions().empty());
  CHECK(source.waiting_for().find("topic 'later' not found on " + bs) != std::string::npos);
  CHECK(source.reachable());
  CHECK(source.lag().empty());
  source.pause();  // back-pressure while waiting is remembered, not an error
  source.resume();
  for (int i = 0; i < 3; ++i) CHECK(source.poll(100, 100ms).empty());
  CHECK_FALSE(source.waiting_for().empty());

  // The topic appears (the mock made it when it was given the error, with
  // its default of 4 partitions).
  broker.set_topic_error("later", RD_KAFKA_RESP_ERR_NO_ERROR);
  kcat_produce(bs, "later", numbered_lines(0, 4), 0);
  kcat_produce(bs, "later", numbered_lines(4, 6), 1);
  std::vector<Seen> seen = read(source, 6);
  CHECK(seen.size() == 6);
  CHECK(source.waiting_for().empty());
  CHECK(source.partitions().size() == 4);
}

TEST_CASE("kafka source instances split the partitions and each reads and commits only its own") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  std::string bs = broker.start(3, {"in"});
  for (int p = 0; p < 3; ++p) kcat_produce(bs, "in", numbered_lines(p * 10, p * 10 + 4), p);
  ConnectorContext first{"p", "orders", {}}, second{"p", "orders", {}};
  first.instance = 0, second.instance = 1;
  first.instances = second.instances = 2;
  KafkaSource a(source_options(bs, "in", "earliest-offset"), first);
  KafkaSource b(source_options(bs, "in", "earliest-offset"), second);
  CHECK(a.partitions() == std::vector<PartitionId>{{"in", 0}, {"in", 2}});
  CHECK(b.partitions() == std::vector<PartitionId>{{"in", 1}});
  std::vector<Seen> from_a = read(a, 8), from_b = read(b, 4);
  CHECK(from_a.size() == 8);
  CHECK(from_b.size() == 4);
  for (const Seen& s : from_a) CHECK(s.partition != 1);
  for (const Seen& s : from_b) CHECK(s.partition == 1);
  // A checkpoint's position names every partition; each instance commits its own.
  const PartitionOffsets position = {{{"in", 0}, 4}, {{"in", 1}, 2}, {{"in", 2}, 3}};
  a.commit(position);
  b.commit(position);
  ConnectorContext whole{"p", "orders", {}};
  KafkaSource resumed(source_options(bs, "in", "group-offsets"), whole);
  std::vector<Seen> rest = read(resumed, 3);  // offsets 4.. of nothing, 2..3 of partition 1, 3 of partition 2
  CHECK(rest.size() == 3);
  // More instances than partitions: the extra one reads nothing and stays healthy.
  ConnectorContext fourth{"p", "orders", {}};
  fourth.instance = 3, fourth.instances = 4;
  KafkaSource idle(source_options(bs, "in", "earliest-offset"), fourth);
  CHECK(idle.partitions().empty());
  CHECK(idle.poll(100, 200ms).empty());
  CHECK(idle.waiting_for().empty());
  CHECK(idle.reachable());
}

TEST_CASE("kafka source: latest-offset skips what was there before") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  std::string bs = broker.start(1, {"in"});
  kcat_produce(bs, "in", numbered_lines(0, 3));
  KafkaSource source(source_options(bs, "in", "latest-offset"), {"p", "t", {}});
  // Let the consumer resolve "latest" before anything new arrives.
  CHECK(source.poll(100, 1500ms).empty());
  kcat_produce(bs, "in", numbered_lines(3, 5));
  std::vector<Seen> seen = read(source, 2);
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].value == "v3");
  CHECK(seen[1].value == "v4");
  CHECK(seen[0].offset == 3);
}

TEST_CASE("kafka source: specific-offsets starts each listed partition at its offset") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  std::string bs = broker.start(2, {"in"});
  kcat_produce(bs, "in", numbered_lines(0, 6), 0);
  kcat_produce(bs, "in", numbered_lines(6, 10), 1);
  Options o = source_options(bs, "in", "specific-offsets");
  o["scan.startup.specific-offsets"] = "partition:0,offset:4;partition:1,offset:1";
  KafkaSource source(o, {"p", "t", {}});
  std::vector<Seen> seen = read(source, 5);
  REQUIRE(seen.size() == 5);  // 2 from partition 0 (4, 5), 3 from partition 1 (1..3)
  std::set<std::string> values;
  for (const Seen& s : seen) values.insert(s.value);
  CHECK(values == std::set<std::string>{"v4", "v5", "v7", "v8", "v9"});
}

TEST_CASE("kafka source: timestamp mode starts at the first record at or after the time") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  std::string bs = broker.start(1, {"in"});
  kcat_produce(bs, "in", numbered_lines(0, 4));
  std::this_thread::sleep_for(50ms);
  int64_t cut = now_ms();
  std::this_thread::sleep_for(50ms);
  kcat_produce(bs, "in", numbered_lines(4, 7));
  Options o = source_options(bs, "in", "timestamp");
  o["scan.startup.timestamp-millis"] = std::to_string(cut);
  KafkaSource source(o, {"p", "t", {}});
  std::vector<Seen> seen = read(source, 3);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].value == "v4");
  CHECK(seen[0].offset == 4);
}

TEST_CASE("kafka source: group-offsets resumes after the committed offset") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  std::string bs = broker.start(1, {"in"});
  kcat_produce(bs, "in", numbered_lines(0, 10));
  Options first = source_options(bs, "in", "earliest-offset");
  first["properties.group.id"] = "resume-group";
  {
    KafkaSource source(first, {"p", "t", {}});
    REQUIRE(read(source, 10).size() == 10);
    // Only the first 6 are "durable": the restart must see 6..9 again.
    source.commit({{PartitionId{"in", 0}, 6}});
    source.close();
  }
  Options second = source_options(bs, "in", "group-offsets");
  second["properties.group.id"] = "resume-group";
  std::vector<std::string> notes;
  KafkaSource source(second, {"p", "t", [&](const std::string& n) { notes.push_back(n); }});
  std::vector<Seen> seen = read(source, 4);
  REQUIRE(seen.size() == 4);
  CHECK(seen.front().offset == 6);
  CHECK(seen.back().value == "v9");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("earliest") != std::string::npos);
}

TEST_CASE("kafka source: unreachable brokers are a clear, bounded error") {
  // (The 2.0.2 mock auto-creates unknown topics on a metadata request, so a
  // missing topic cannot be shown on it; a dead bootstrap can.)
  Options o = source_options("127.0.0.1:1", "nope", "earliest-offset");
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(KafkaSource(o, {"p", "t", {}}),
                    Catch::Contains("cannot get partitions of topic 'nope' from 127.0.0.1:1"));
  CHECK(std::chrono::steady_clock::now() - start < 40s);
}

TEST_CASE("kafka sink writes keyed records and tombstones that kcat reads back") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  std::string bs = broker.start(3, {"out"});
  KafkaSink sink({{"topic", "out"}, {"properties.bootstrap.servers", bs}}, {"p", "sink", {}});
  std::vector<std::string> keys = {"{\"id\":1}", "{\"id\":2}", "{\"id\":3}", "{\"topping\":\"🍍\"}"};
  for (const std::string& k : keys) sink.write(k, "{\"v\":\"" + k + "\"}");
  sink.write(std::string_view(keys[0]), std::nullopt);  // tombstone
  sink.write(std::nullopt, std::string_view(""));       // null key, empty (not null) value
  auto failures = sink.flush(10s);
  for (const auto& f : failures) FAIL(f.message);
  CHECK(sink.delivered() == 6);

  std::vector<nlohmann::json> records = kcat_consume(bs, "out");
  REQUIRE(records.size() == 6);
  int tombstones = 0, empty_values = 0;
  for (const auto& r : records) {
    CHECK(r["tstype"] == "create");  // producer timestamp left null: CreateTime = now
    CHECK(r["ts"].get<int64_t>() > now_ms() - 60000);
    if (r["key"].is_string()) {
      std::string key = r["key"];
      CHECK(r["partition"].get<int>() == java_partition(key, 3));
    }
    if (r["payload"].is_null()) {
      ++tombstones;
      CHECK(r["key"] == keys[0]);
    } else if (r["payload"] == "") {
      ++empty_values;
      CHECK(r["key"].is_null());
    }
  }
  CHECK(tombstones == 1);
  CHECK(empty_values == 1);
}

TEST_CASE("kafka sink runs an idempotent producer") {
  EmbeddedBroker broker;
  std::string bs = broker.start(1, {"out"});
  // librdkafka refuses acks=1 only when idempotence is on, so this proves the default.
  CHECK_THROWS_WITH(KafkaSink({{"topic", "out"}, {"properties.bootstrap.servers", bs}, {"properties.acks", "1"}},
                              {"p", "sink", {}}),
                    Catch::Contains("idempotence"));
  KafkaSink plain({{"topic", "out"},
                   {"properties.bootstrap.servers", bs},
                   {"properties.enable.idempotence", "false"},
                   {"properties.acks", "1"}},
                  {"p", "sink", {}});
  plain.write(std::string_view("k"), std::string_view("v"));
  CHECK(plain.flush(10s).empty());
}

TEST_CASE("kafka sink surfaces undeliverable records instead of dropping them") {
  // Nothing listens on port 1: every record must come back as a failure.
  KafkaSink sink({{"topic", "out"},
                  {"properties.bootstrap.servers", "127.0.0.1:1"},
                  {"properties.message.timeout.ms", "1000"}},
                 {"p", "sink", {}});
  sink.write(std::string_view("k"), std::string_view("v"));
  sink.write(std::string_view("k2"), std::string_view("v2"));
  auto failures = sink.flush(5s);
  REQUIRE(failures.size() >= 2);
  CHECK(failures[0].key == std::optional<std::string>("k"));
  CHECK(failures[0].message.find("out") != std::string::npos);
}

TEST_CASE("embedded broker with several brokers creates topics on demand and stops") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  EmbeddedBrokerOptions o;
  o.port = 0;
  o.brokers = 3;
  std::string bs = broker.start(o);
  CHECK(std::count(bs.begin(), bs.end(), ',') == 2);
  broker.create_topic("later", 4);
  ProcessResult list = run_process({"kcat", "-b", bs, "-L", "-t", "later"}, "", 20s);
  CHECK(list.out.find("with 4 partitions") != std::string::npos);
  CHECK_THROWS(broker.create_topic("bad", 0));
  broker.stop();
  CHECK_FALSE(broker.running());
  CHECK_THROWS(broker.create_topic("x", 1));
}
