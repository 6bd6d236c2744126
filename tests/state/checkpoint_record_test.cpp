// The checkpoint record: what a restore needs, as JSON, and what it refuses.
#include <catch2/catch.hpp>

#include "state/checkpoint_record.hpp"
#include "state/state_compatibility.hpp"
#include "state/state_error.hpp"
#include "state/state_topics.hpp"

using namespace ananas;
using namespace ananas::state;

namespace {

CheckpointRecord sample() {
  CheckpointRecord r;
  r.pipeline = "02-aggregating";
  r.id = 42;
  r.completed_at_ms = 1796437905662;
  r.positions["pizza_source"] = "pizzas:0:1518\npizzas:1:511\n";
  OperatorRecord op;
  op.layout = {"group_aggregate", 1, 0x978688f3fd91d373ull, 128};
  op.parallelism = 2;
  op.changelog = changelog_topic(r.pipeline, "aggregate");
  op.partitions = {{0, {0, 640}}, {1, {12, 645}}};
  r.operators["aggregate"] = op;
  r.state_bytes = 797434;
  r.written_bytes = 1234;
  return r;
}

}  // namespace

TEST_CASE("a checkpoint record survives its JSON encoding, 64-bit fingerprints included", "[state]") {
  const CheckpointRecord r = sample();
  const CheckpointRecord back = decode_checkpoint_record(encode_checkpoint_record(r), "t[0] offset 7");
  CHECK(back.pipeline == r.pipeline);
  CHECK(back.id == 42);
  CHECK(back.completed_at_ms == r.completed_at_ms);
  CHECK(back.positions == r.positions);
  REQUIRE(back.operators.count("aggregate") == 1);
  const OperatorRecord& op = back.operators.at("aggregate");
  CHECK(op.layout.fingerprint == 0x978688f3fd91d373ull);
  CHECK(op.layout.kind == "group_aggregate");
  CHECK(op.layout.key_groups == 128);
  CHECK(op.parallelism == 2);
  CHECK(op.changelog == "ananas-02-aggregating-aggregate-changelog");
  CHECK(op.partitions.at(1).start == 12);
  CHECK(op.partitions.at(1).end == 645);
  CHECK(back.state_bytes == r.state_bytes);
}

TEST_CASE("a corrupt checkpoint record is refused with where it was read", "[state]") {
  CHECK_THROWS_WITH(decode_checkpoint_record("{not json", "ananas-p-checkpoints[0] offset 3"),
                    Catch::Contains("ananas-p-checkpoints[0] offset 3"));
  std::string text = encode_checkpoint_record(sample());
  const std::string from = "\"end\":640";
  text.replace(text.find(from), from.size(), "\"end\":-1");
  CHECK_THROWS_AS(decode_checkpoint_record(text, "here"), StateError);
  std::string future = encode_checkpoint_record(sample());
  future.replace(future.find("\"format\":1"), 10, "\"format\":9");
  CHECK_THROWS_WITH(decode_checkpoint_record(future, "here"), Catch::Contains("format 9"));
}

TEST_CASE("state topics are named from the pipeline and the operator, legal for Kafka and distinct", "[state]") {
  CHECK(checkpoints_topic("01-basic-filtering") == "ananas-01-basic-filtering-checkpoints");
  CHECK(changelog_topic("p", "window_aggregate") == "ananas-p-window_aggregate-changelog");
  const std::string odd = changelog_topic("my pipeline", "agg/1");
  CHECK(odd.find(' ') == std::string::npos);
  CHECK(odd.find('/') == std::string::npos);
  CHECK(changelog_topic("a b", "x") != changelog_topic("a_b", "x"));
}

TEST_CASE("a checkpoint is restored only into operators whose state means the same", "[state]") {
  const CheckpointRecord r = sample();
  std::map<std::string, ops::StateLayout> now = {{"aggregate", r.operators.at("aggregate").layout},
                                                 {"calc", {"calc", 1, 7, 128}}};
  CHECK_FALSE(incompatibility(r, now));  // a new or stateless operator is fine

  auto changed = now;
  changed["aggregate"].fingerprint ^= 1;
  auto why = incompatibility(r, changed);
  REQUIRE(why);
  CHECK_THAT(*why, Catch::Contains("operator 'aggregate'") && Catch::Contains("configuration or input schema changed") &&
                       Catch::Contains("ananas reset 02-aggregating"));

  auto renamed = now;
  renamed.erase("aggregate");
  why = incompatibility(r, renamed);
  REQUIRE(why);
  CHECK_THAT(*why, Catch::Contains("no longer in the pipeline"));

  auto other_kind = now;
  other_kind["aggregate"].kind = "window_aggregate";
  REQUIRE(incompatibility(r, other_kind));
}
