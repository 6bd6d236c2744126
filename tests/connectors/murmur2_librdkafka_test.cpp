// Our murmur2 (core/murmur2.hpp) against librdkafka's, two ways: the library's
// murmur2 partitioner called directly, and the partition a real producer
// (kcat with partitioner=murmur2_random) picks on the project's test broker.
#include <librdkafka/rdkafka.h>

#include <map>
#include <string>

#include "connectors/embedded_broker.hpp"
#include "core/murmur2.hpp"
#include "kafka_test_support.hpp"

using namespace ananas;
using namespace ananas::test;
using ananas::connectors::EmbeddedBroker;

namespace {

std::string key_number(int i) { return "key-" + std::to_string(i * 7919) + std::string(static_cast<size_t>(i % 5), 'x'); }

}  // namespace

TEST_CASE("murmur2 agrees with librdkafka's murmur2 partitioner", "[murmur2]") {
  for (int i = 0; i < 2000; ++i) {
    std::string key = key_number(i);
    if (i % 3 == 0) key.push_back(static_cast<char>(0x80 + i % 128));  // bytes Java sees as negative
    for (int32_t partitions : {1, 3, 12, 128, INT32_MAX}) {
      const int32_t theirs = rd_kafka_msg_partitioner_murmur2(nullptr, key.data(), key.size(), partitions, nullptr, nullptr);
      CHECK(static_cast<int32_t>(kafka_partition(key, static_cast<uint32_t>(partitions))) == theirs);
    }
  }
}

TEST_CASE("kcat's murmur2_random producer puts keys where kafka_partition says", "[murmur2]") {
  REQUIRE_KCAT();
  EmbeddedBroker broker;
  const int partitions = 5;
  std::string bs = broker.start(partitions, {"keys"});
  std::string lines;
  std::map<std::string, int> expected;
  for (int i = 0; i < 200; ++i) {
    const std::string key = key_number(i);
    lines += key + ":" + std::to_string(i) + "\n";
    expected[std::to_string(i)] = static_cast<int>(kafka_partition(key, partitions));
  }
  ProcessResult r = run_process({"kcat", "-b", bs, "-P", "-t", "keys", "-K:", "-X", "topic.partitioner=murmur2_random"},
                                lines, std::chrono::seconds(30));
  INFO("kcat stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  auto records = kcat_consume(bs, "keys");
  REQUIRE(records.size() == expected.size());
  std::map<int, int> per_partition;
  for (const auto& rec : records) {
    CHECK(rec["partition"].get<int>() == expected.at(rec["payload"].get<std::string>()));
    ++per_partition[rec["partition"].get<int>()];
  }
  CHECK(per_partition.size() == static_cast<size_t>(partitions));  // the check is not vacuous
}
