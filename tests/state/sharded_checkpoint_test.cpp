// The shards of a keyed part (one per exchange partition, each on whichever
// worker owns that partition) checkpoint side by side into the same topics:
// each under its own key, into its own changelog partition, so that a shard
// restores its own state and positions only, a shard moves without the
// others, and `ananas reset` discards them all.
#include <catch2/catch.hpp>

#include "connectors/embedded_broker.hpp"
#include "state/kafka_checkpoint_storage.hpp"
#include "state/state_error.hpp"
#include "state/state_topics.hpp"
#include "state_test_support.hpp"

using namespace ananas;
using namespace ananas::state;
using ananas::test::contents_of;
using ananas::test::kOperator;
using ananas::test::store_of;

namespace {

constexpr const char* kPipeline = "keyed";
constexpr uint32_t kShards = 3;

StorageOptions shard_options(const std::string& bootstrap, std::optional<uint32_t> shard) {
  StorageOptions o;
  o.pipeline = kPipeline;
  o.kafka["properties.bootstrap.servers"] = bootstrap;
  o.timeout = std::chrono::seconds(10);
  if (shard) o.shard = StateShard{*shard, kShards};
  return o;
}

std::string start_broker(connectors::EmbeddedBroker& broker) {
  connectors::EmbeddedBrokerOptions o;
  o.partitions = static_cast<int>(kShards);
  o.topics = {changelog_topic(kPipeline, kOperator), checkpoints_topic(kPipeline)};
  return broker.start(o);
}

}  // namespace

TEST_CASE("shards checkpoint side by side and each restores its own state and position", "[state][kafka]") {
  connectors::EmbeddedBroker broker;
  const std::string bs = start_broker(broker);
  // Shard 0 and shard 2 run on two workers; shard 0 checkpoints twice.
  KafkaCheckpointStorage zero(shard_options(bs, 0)), two(shard_options(bs, 2));
  zero.persist(1, {{"ex", "ex:0:10\n"}}, store_of({{"a", "1"}, {"b", "2"}}, "wm0"));
  two.persist(1, {{"ex", "ex:2:7\n"}}, store_of({{"x", "9"}}, "wm2"));
  const auto zero_state = store_of({{"a", "10"}, {"c", "3"}}, "wm0b");
  zero.persist(2, {{"ex", "ex:0:25\n"}}, zero_state);

  // Shard 0 moves to a third worker: it gets its own latest checkpoint only.
  KafkaCheckpointStorage moved(shard_options(bs, 0));
  auto restored = moved.load();
  REQUIRE(restored);
  CHECK(restored->record.id == 2);
  REQUIRE(restored->record.shard);
  CHECK(*restored->record.shard == StateShard{0, kShards});
  CHECK(restored->record.positions.at("ex") == "ex:0:25\n");
  CHECK(contents_of(restored->state) == contents_of(zero_state));
  // Its record names its own changelog partition only.
  REQUIRE(restored->record.operators.count(kOperator));
  CHECK(restored->record.operators.at(kOperator).partitions.size() == 1);
  CHECK(restored->record.operators.at(kOperator).partitions.count(0) == 1);
  // Unchanged state writes nothing more: the restore knows what its partition holds.
  CHECK(moved.persist(3, {{"ex", "ex:0:25\n"}}, zero_state).records == 0);

  KafkaCheckpointStorage other(shard_options(bs, 2));
  auto restored_two = other.load();
  REQUIRE(restored_two);
  CHECK(restored_two->record.positions.at("ex") == "ex:2:7\n");
  CHECK(contents_of(restored_two->state) == contents_of(store_of({{"x", "9"}}, "wm2")));

  // A shard that never checkpointed starts afresh, whatever its siblings did.
  KafkaCheckpointStorage one(shard_options(bs, 1));
  CHECK_FALSE(one.load());

  // The whole pipeline's storage (as `ananas reset` opens it) sees every
  // shard, and discarding removes them all.
  KafkaCheckpointStorage whole(shard_options(bs, std::nullopt));
  CHECK_FALSE(whole.latest());
  const auto shards = whole.latest_shards();
  REQUIRE(shards.size() == 2);
  CHECK(shards.at(0).id == 3);
  CHECK(shards.at(2).id == 1);
  whole.discard();
  CHECK(whole.latest_shards().empty());
  KafkaCheckpointStorage after(shard_options(bs, 0));
  CHECK_FALSE(after.load());
}

TEST_CASE("a shard's checkpoint written for another number of shards is refused, naming the reset", "[state][kafka]") {
  connectors::EmbeddedBroker broker;
  const std::string bs = start_broker(broker);
  KafkaCheckpointStorage first(shard_options(bs, 1));
  first.persist(1, {{"ex", "ex:1:4\n"}}, store_of({{"a", "1"}}));
  StorageOptions more = shard_options(bs, 1);
  more.shard->count = 6;  // the exchange topic was recreated with 6 partitions
  KafkaCheckpointStorage changed(more);
  CHECK_THROWS_AS(changed.load(), StateError);
  CHECK_THROWS_WITH(changed.load(), Catch::Contains("written for 3 shards") && Catch::Contains("ananas reset keyed"));
}

TEST_CASE("checkpoint record keys of shards are told from other pipelines' keys", "[state]") {
  CHECK(checkpoint_record_key("p", std::nullopt) == "p");
  CHECK(checkpoint_record_key("p", StateShard{3, 8}) == "p#3");
  CHECK(shard_of_record_key("p#3", "p") == 3u);
  CHECK(shard_of_record_key("p#12", "p") == 12u);
  CHECK_FALSE(shard_of_record_key("p", "p"));
  CHECK_FALSE(shard_of_record_key("p#", "p"));
  CHECK_FALSE(shard_of_record_key("p#x", "p"));
  CHECK_FALSE(shard_of_record_key("p2#1", "p"));
  CHECK_FALSE(shard_of_record_key("q#1", "p"));
  const CheckpointRecord r{"p", StateShard{2, 4}, 7, 0, {}, {}, 0, 0};
  const CheckpointRecord back = decode_checkpoint_record(encode_checkpoint_record(r), "here");
  REQUIRE(back.shard);
  CHECK(*back.shard == StateShard{2, 4});
  CHECK_THROWS_WITH(decode_checkpoint_record(R"({"format":1,"pipeline":"p","shard":{"index":4,"count":4},)"
                                             R"("checkpoint":1,"completed_at_ms":0,"sources":{},"operators":{}})",
                                             "t[0] offset 9"),
                    Catch::Contains("t[0] offset 9") && Catch::Contains("bad shard"));
}
