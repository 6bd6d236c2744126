// How the kafka connectors batch: a source's batches bounded by bytes as well
// as records (ConnectorContext::max_batch_bytes), and a sink's write_batch
// (one rd_kafka_produce_batch call) keeping every record, its key, partition
// and order — kcat is the independent client on the other side.
#include <map>
#include <thread>

#include "connectors/datagen/datagen_source.hpp"
#include "connectors/embedded_broker.hpp"
#include "connectors/kafka/kafka_sink.hpp"
#include "connectors/kafka/kafka_source.hpp"
#include "kafka_test_support.hpp"

using namespace ananas::connectors;
using namespace ananas::connectors::kafka;
using namespace ananas::test;
using namespace std::chrono_literals;

namespace {

size_t bytes_of(const RawBatch& batch) {
  size_t n = 0;
  for (const RawRecord& r : batch.records) n += (r.key ? r.key->size() : 0) + (r.value ? r.value->size() : 0);
  return n;
}

ConnectorContext context_with_bound(size_t max_batch_bytes) {
  ConnectorContext c{"p", "orders", {}};
  c.max_batch_bytes = max_batch_bytes;
  return c;
}

}  // namespace

TEST_CASE("kafka source: a batch stops adding records once their bytes reach the bound, and none is lost") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  const std::string bs = broker.start(1, {"in"});
  // 40 records of ~10 KB, then one of 100 KB, then 200 small ones.
  std::string lines;
  for (int i = 0; i < 40; ++i) lines += "k" + std::to_string(i) + ":" + std::string(10000, 'a' + i % 26) + "\n";
  lines += "big:" + std::string(100000, 'B') + "\n";
  for (int i = 0; i < 200; ++i) lines += "s" + std::to_string(i) + ":small" + std::to_string(i) + "\n";
  kcat_produce(bs, "in", lines, 0);

  constexpr size_t kBound = 32 * 1024;
  KafkaSource source({{"topic", "in"}, {"properties.bootstrap.servers", bs}, {"scan.startup.mode", "earliest-offset"}},
                     context_with_bound(kBound));
  std::vector<std::string> keys;
  size_t batches = 0, largest_batch_bytes = 0, batch_of_big = 0;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (keys.size() < 241 && std::chrono::steady_clock::now() < deadline) {
    RawBatch batch = source.poll(1000, 200ms);
    if (batch.empty()) continue;
    ++batches;
    // Under the bound, or over it by the last record taken (chunks are sized
    // from the average record): never a whole 1,000-record poll of 10 KB ones.
    size_t largest_record = 0;
    for (const RawRecord& r : batch.records) {
      keys.emplace_back(*r.key);
      largest_record = std::max(largest_record, r.key->size() + r.value->size());
      if (*r.key == "big") batch_of_big = batch.size();
    }
    CHECK(bytes_of(batch) < kBound + largest_record);
    largest_batch_bytes = std::max(largest_batch_bytes, bytes_of(batch));
  }
  REQUIRE(keys.size() == 241);
  for (int i = 0; i < 40; ++i) CHECK(keys[i] == "k" + std::to_string(i));
  CHECK(keys[40] == "big");
  CHECK(keys[240] == "s199");
  CHECK(batch_of_big == 1);  // larger than the bound: a batch of its own
  // 400 KB of 10 KB records cannot come in fewer than 400/42 batches.
  CHECK(batches >= 10);
  CHECK(largest_batch_bytes >= 100000);
}

TEST_CASE("kafka source without a byte bound takes up to the record count in one poll") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  const std::string bs = broker.start(1, {"in"});
  std::string lines;
  for (int i = 0; i < 30; ++i) lines += "k" + std::to_string(i) + ":" + std::string(10000, 'x') + "\n";
  kcat_produce(bs, "in", lines, 0);
  KafkaSource source({{"topic", "in"}, {"properties.bootstrap.servers", bs}, {"scan.startup.mode", "earliest-offset"}},
                     context_with_bound(0));
  size_t most = 0, total = 0;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (total < 30 && std::chrono::steady_clock::now() < deadline) {
    RawBatch batch = source.poll(1000, 200ms);
    most = std::max(most, batch.size());
    total += batch.size();
  }
  CHECK(total == 30);
  CHECK(most > 3);  // more than a 32 KB bound would have let through
}

TEST_CASE("datagen source: a batch stops at the byte bound") {
  datagen::DatagenSource source({{"count", "500"}, {"seed", "7"}}, context_with_bound(4096));
  RawBatch batch = source.poll(1000, 100ms);
  REQUIRE_FALSE(batch.empty());
  CHECK(batch.size() < 500);
  size_t largest = 0;
  for (const RawRecord& r : batch.records) largest = std::max(largest, r.value->size() + (r.key ? r.key->size() : 0));
  CHECK(bytes_of(batch) < 4096 + largest);
}

TEST_CASE("kafka sink write_batch: keys, null keys, tombstones, chosen partitions, in order, through a full queue") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  const std::string bs = broker.start(3, {"out"});
  // A local queue of 50 messages: a batch of 2,000 fills it many times over,
  // so write_batch has to wait for room and go on where the queue stopped.
  KafkaSink sink({{"topic", "out"}, {"properties.bootstrap.servers", bs}, {"properties.queue.buffering.max.messages", "50"}},
                 {"p", "sink", {}});
  std::vector<std::string> keys, values;
  std::vector<SinkRecord> records;
  for (int i = 0; i < 2000; ++i) {
    keys.push_back("{\"id\":" + std::to_string(i % 7) + "}");
    values.push_back("{\"seq\":" + std::to_string(i) + "}");
  }
  for (int i = 0; i < 2000; ++i) {
    SinkRecord r;
    if (i % 100 == 3) r = {std::string_view(keys[i]), std::nullopt, -1};        // tombstone
    else if (i % 100 == 5) r = {std::nullopt, std::string_view(values[i]), 2};  // null key, partition 2
    else r = {std::string_view(keys[i]), std::string_view(values[i]), -1};
    records.push_back(r);
  }
  sink.write_batch(records);
  for (const auto& f : sink.flush(20s)) FAIL(f.message);
  CHECK(sink.delivered() == 2000);

  std::vector<nlohmann::json> read = kcat_consume(bs, "out");
  REQUIRE(read.size() == 2000);
  // Per partition, the records are in the order they were written.
  std::map<int, int> last_seq;
  int tombstones = 0, null_keys = 0;
  for (const auto& r : read) {
    const int partition = r["partition"].get<int>();
    if (r["payload"].is_null()) {
      ++tombstones;
      continue;
    }
    const int seq = nlohmann::json::parse(r["payload"].get<std::string>())["seq"].get<int>();
    if (r["key"].is_null()) {
      ++null_keys;
      CHECK(partition == 2);
      CHECK(seq % 100 == 5);
    } else {
      CHECK(r["key"] == keys[seq]);
    }
    if (last_seq.count(partition)) CHECK(seq > last_seq[partition]);
    last_seq[partition] = seq;
  }
  CHECK(tombstones == 20);
  CHECK(null_keys == 20);
}

TEST_CASE("kafka sink write_batch after a closed sink is a clear error") {
  EmbeddedBroker broker;
  const std::string bs = broker.start(1, {"out"});
  KafkaSink sink({{"topic", "out"}, {"properties.bootstrap.servers", bs}}, {"p", "sink", {}});
  sink.close();
  const std::vector<SinkRecord> one = {{std::nullopt, std::string_view("v"), -1}};
  CHECK_THROWS_WITH(sink.write_batch(one), Catch::Contains("closed Kafka sink"));
}
