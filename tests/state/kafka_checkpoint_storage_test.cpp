// Durable checkpoints against a real Kafka wire-protocol broker (librdkafka's
// mock cluster, in process): what one storage writes, a new one (a restarted
// worker) reads back; what never completed is not restored; what the broker
// no longer holds fails loudly.
#include <catch2/catch.hpp>

#include <librdkafka/rdkafkacpp.h>

#include "connectors/embedded_broker.hpp"
#include "state/changelog_diff.hpp"
#include "state/kafka_checkpoint_storage.hpp"
#include "state/state_error.hpp"
#include "state/state_topics.hpp"
#include "state_test_support.hpp"

using namespace ananas;
using namespace ananas::state;
using ananas::test::contents_of;
using ananas::test::Contents;
using ananas::test::kOperator;
using ananas::test::store_of;

namespace {

constexpr const char* kPipeline = "p";

// The broker with the pipeline's state topics created, as `ananas broker --topics` does.
std::string start_broker(connectors::EmbeddedBroker& broker, int changelog_partitions = 3) {
  connectors::EmbeddedBrokerOptions o;
  o.partitions = changelog_partitions;
  o.topics = {changelog_topic(kPipeline, kOperator), checkpoints_topic(kPipeline)};
  return broker.start(o);
}

StorageOptions options(const std::string& bootstrap) {
  StorageOptions o;
  o.pipeline = kPipeline;
  o.kafka["properties.bootstrap.servers"] = bootstrap;
  o.timeout = std::chrono::seconds(10);
  return o;
}

// Writes one record as a checkpoint that crashed before completing would have.
void produce_raw(const std::string& bootstrap, const std::string& topic, int32_t partition, const std::string& key,
                 const std::string& value) {
  std::string err;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", bootstrap, err);
  std::unique_ptr<RdKafka::Producer> p(RdKafka::Producer::create(conf.get(), err));
  REQUIRE(p);
  REQUIRE(p->produce(topic, partition, RdKafka::Producer::RK_MSG_COPY, const_cast<char*>(value.data()), value.size(),
                     key.data(), key.size(), 0, nullptr) == RdKafka::ERR_NO_ERROR);
  REQUIRE(p->flush(10000) == RdKafka::ERR_NO_ERROR);
}

std::string entry(const std::string& key, const std::string& value) {
  StateWriter w;
  w.bytes(key);
  w.bytes(value);
  return w.take();
}

}  // namespace

TEST_CASE("a restarted worker restores the last completed checkpoint from Kafka", "[state][kafka]") {
  connectors::EmbeddedBroker broker;
  const std::string bs = start_broker(broker);
  {
    KafkaCheckpointStorage fresh(options(bs));
    CHECK_FALSE(fresh.load());  // never checkpointed
  }
  KafkaCheckpointStorage storage(options(bs));
  const auto s1 = store_of({{"a", "1"}, {"b", "2"}, {"c", "3"}});
  const PersistStats first = storage.persist(1, {{"src", "t:0:10\n"}}, s1);
  CHECK(first.records == 4);  // shared + 3 entries
  const auto s2 = store_of({{"a", "1"}, {"b", "20"}, {"d", "4"}}, "wm2");
  const PersistStats second = storage.persist(2, {{"src", "t:0:25\n"}}, s2);
  CHECK(second.records == 4);  // shared, b, c's tombstone, d: never the whole state
  CHECK(second.written_bytes < second.state_bytes + 64);

  KafkaCheckpointStorage restarted(options(bs));
  auto restored = restarted.load();
  REQUIRE(restored);
  CHECK(restored->record.id == 2);
  CHECK(restored->record.positions.at("src") == "t:0:25\n");
  CHECK(contents_of(restored->state) == contents_of(s2));
  // The restored storage knows what the changelog holds: an unchanged state writes nothing.
  CHECK(restarted.persist(3, {{"src", "t:0:25\n"}}, s2).records == 0);
}

TEST_CASE("records of a checkpoint that never completed are not restored, and are overwritten next", "[state][kafka]") {
  connectors::EmbeddedBroker broker;
  const std::string bs = start_broker(broker, 1);
  const std::string changelog = changelog_topic(kPipeline, kOperator);
  KafkaCheckpointStorage storage(options(bs));
  const auto s1 = store_of({{"a", "1"}});
  storage.persist(1, {}, s1);
  // The worker crashed after writing part of checkpoint 2: a=99 and z=5 reached the changelog.
  produce_raw(bs, changelog, 0, keyed_record_key(key_group_of("a", kDefaultKeyGroups), "a"), entry("a", "99"));
  produce_raw(bs, changelog, 0, keyed_record_key(key_group_of("z", kDefaultKeyGroups), "z"), entry("z", "5"));

  KafkaCheckpointStorage restarted(options(bs));
  auto restored = restarted.load();
  REQUIRE(restored);
  CHECK(contents_of(restored->state) == contents_of(s1));
  // Its first checkpoint rewrites a (unchanged, but the log's last word is 99) and deletes z.
  CHECK(restarted.persist(2, {}, s1).records == 2);
  KafkaCheckpointStorage again(options(bs));
  auto after = again.load();
  REQUIRE(after);
  CHECK(contents_of(after->state) == contents_of(s1));
}

TEST_CASE("a changelog that no longer holds a checkpoint's records fails the restore loudly", "[state][kafka]") {
  connectors::EmbeddedBroker broker;
  const std::string bs = start_broker(broker, 1);
  KafkaCheckpointStorage storage(options(bs));
  storage.persist(1, {}, store_of({{"a", "1"}}));
  // The mock keeps at most 5 MiB per partition: 7 MiB more moves its start offset past checkpoint 1's records.
  const std::string big(512 * 1024, 'x');
  for (int i = 0; i < 14; ++i)
    produce_raw(bs, changelog_topic(kPipeline, kOperator), 0,
                keyed_record_key(key_group_of("big", kDefaultKeyGroups), "big" + std::to_string(i)), entry("big", big));
  KafkaCheckpointStorage restarted(options(bs));
  CHECK_THROWS_WITH(restarted.load(), Catch::Contains("retention deleted state") && Catch::Contains("ananas reset p"));
}

TEST_CASE("a discarded checkpoint is gone: the next start begins afresh", "[state][kafka]") {
  connectors::EmbeddedBroker broker;
  const std::string bs = start_broker(broker);
  {
    KafkaCheckpointStorage storage(options(bs));
    storage.persist(1, {{"src", "t:0:3\n"}}, store_of({{"a", "1"}}));
    REQUIRE(storage.latest());
    storage.discard();
    CHECK_FALSE(storage.latest());
  }
  KafkaCheckpointStorage restarted(options(bs));
  CHECK_FALSE(restarted.load());
  // A new run's state starts after what the old one left in the changelog.
  restarted.persist(1, {}, store_of({{"b", "2"}}));
  KafkaCheckpointStorage again(options(bs));
  auto restored = again.load();
  REQUIRE(restored);
  CHECK(contents_of(restored->state).entries == std::map<std::string, std::string>{{"b", "2"}});
}
