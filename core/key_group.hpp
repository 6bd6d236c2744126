#pragma once
// Key groups: Flink's max-parallelism idea (KeyGroupRangeAssignment). A keyed
// operator's key space is cut into a fixed number of key groups; a key's
// group depends only on the key's bytes and that number, never on the
// parallelism. Each parallel instance owns a contiguous range of groups, so
// changing the parallelism reassigns whole groups (and their state) instead of
// reshuffling keys.
//   key group        = toPositive(murmur2(encoded key)) % key_groups
//   owning instance  = key_group * parallelism / key_groups
//   instance's range = [ceil(i * key_groups / parallelism), ((i + 1) * key_groups - 1) / parallelism]
// The last two are Flink's computeOperatorIndexForKeyGroup and
// computeKeyGroupRangeForOperatorIndex; Flink hashes with murmur over the
// key's hashCode, we hash the encoded key with Kafka's murmur2 (core/murmur2.hpp).
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/value.hpp"

namespace ananas {

// Flink's default lower bound for maxParallelism; per operator later.
inline constexpr uint32_t kDefaultKeyGroups = 128;

// A contiguous, inclusive range of key groups; empty when first > last.
struct KeyGroupRange {
  uint32_t first = 0;
  uint32_t last = 0;
  bool contains(uint32_t g) const { return g >= first && g <= last; }
  bool empty() const { return first > last; }
  uint32_t size() const { return empty() ? 0 : last - first + 1; }
};

uint32_t key_group_of(std::string_view encoded_key, uint32_t key_groups);
// The key group of a row whose key is the given columns, encoded with the row codec.
uint32_t key_group_of_row(const Value* row, const std::vector<size_t>& key_columns, uint32_t key_groups);
uint32_t instance_of_key_group(uint32_t key_group, uint32_t parallelism, uint32_t key_groups);
// Throws std::invalid_argument when parallelism is 0, exceeds key_groups, or instance >= parallelism.
KeyGroupRange key_group_range(uint32_t instance, uint32_t parallelism, uint32_t key_groups);

}  // namespace ananas
