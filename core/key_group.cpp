#include "core/key_group.hpp"

#include <stdexcept>
#include <string>

#include "core/murmur2.hpp"
#include "core/row_codec.hpp"

namespace ananas {

uint32_t key_group_of(std::string_view encoded_key, uint32_t key_groups) {
  return to_positive(murmur2(encoded_key)) % key_groups;
}

uint32_t key_group_of_row(const Value* row, const std::vector<size_t>& key_columns, uint32_t key_groups) {
  std::string key;
  for (size_t c : key_columns) encode_value(row[c], key);
  return key_group_of(key, key_groups);
}

// 64-bit products: key_groups * parallelism may exceed 32 bits.
uint32_t instance_of_key_group(uint32_t key_group, uint32_t parallelism, uint32_t key_groups) {
  return static_cast<uint32_t>(uint64_t{key_group} * parallelism / key_groups);
}

KeyGroupRange key_group_range(uint32_t instance, uint32_t parallelism, uint32_t key_groups) {
  if (parallelism == 0 || parallelism > key_groups || instance >= parallelism)
    throw std::invalid_argument("no key-group range for instance " + std::to_string(instance) + " of " +
                                std::to_string(parallelism) + " over " + std::to_string(key_groups) + " key groups");
  const uint64_t n = key_groups, p = parallelism, i = instance;
  return {static_cast<uint32_t>((i * n + p - 1) / p), static_cast<uint32_t>(((i + 1) * n - 1) / p)};
}

}  // namespace ananas
