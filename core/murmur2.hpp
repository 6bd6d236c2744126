#pragma once
// The 32-bit murmur2 hash exactly as Kafka's default partitioner computes it
// (org.apache.kafka.common.utils.Utils.murmur2, seed 0x9747b28c; librdkafka's
// "murmur2_random" partitioner is the same function). A stable hash: the same
// bytes give the same value on every platform, build and run, which
// std::hash does not promise.
#include <cstdint>
#include <string_view>

namespace ananas {

// Utils.murmur2(byte[]): the signed 32-bit result, as Java returns it.
int32_t murmur2(std::string_view data);

// Utils.toPositive: clears the sign bit (not Math.abs, so INT_MIN maps to 0).
inline uint32_t to_positive(int32_t h) { return static_cast<uint32_t>(h) & 0x7fffffffu; }

// The partition Kafka's default partitioner picks for a keyed record:
// toPositive(murmur2(key)) % numPartitions.
inline uint32_t kafka_partition(std::string_view key, uint32_t partitions) {
  return to_positive(murmur2(key)) % partitions;
}

}  // namespace ananas
