#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/key_group.hpp"
#include "core/murmur2.hpp"
#include "core/row_codec.hpp"

using namespace ananas;

TEST_CASE("key-group ranges cover every group exactly once for every parallelism", "[key_group]") {
  for (uint32_t max : {1u, 7u, 128u}) {
    for (uint32_t p = 1; p <= max; ++p) {
      std::vector<int> owners(max, 0);
      uint32_t next = 0;
      for (uint32_t i = 0; i < p; ++i) {
        const KeyGroupRange r = key_group_range(i, p, max);
        REQUIRE_FALSE(r.empty());  // p <= max: every instance owns at least one group
        CHECK(r.first == next);    // contiguous, in instance order
        next = r.last + 1;
        for (uint32_t g = r.first; g <= r.last; ++g) {
          ++owners[g];
          CHECK(instance_of_key_group(g, p, max) == i);  // routing agrees with the ranges
        }
      }
      CHECK(next == max);
      for (uint32_t g = 0; g < max; ++g) CHECK(owners[g] == 1);
    }
  }
}

TEST_CASE("key-group ranges follow Flink's KeyGroupRangeAssignment", "[key_group]") {
  // computeKeyGroupRangeForOperatorIndex(128, 3, i): [0,42], [43,85], [86,127].
  CHECK(key_group_range(0, 3, 128).first == 0);
  CHECK(key_group_range(0, 3, 128).last == 42);
  CHECK(key_group_range(1, 3, 128).first == 43);
  CHECK(key_group_range(1, 3, 128).last == 85);
  CHECK(key_group_range(2, 3, 128).first == 86);
  CHECK(key_group_range(2, 3, 128).last == 127);
  CHECK(instance_of_key_group(42, 3, 128) == 0);
  CHECK(instance_of_key_group(43, 3, 128) == 1);
  CHECK_THROWS_AS(key_group_range(0, 129, 128), std::invalid_argument);
  CHECK_THROWS_AS(key_group_range(3, 3, 128), std::invalid_argument);
  CHECK_THROWS_AS(key_group_range(0, 0, 128), std::invalid_argument);
}

TEST_CASE("a key's group is murmur2 of its encoded key and never depends on the parallelism", "[key_group]") {
  std::vector<Value> row = {Value::string("shop-7"), Value::integer(42), Value::null()};
  std::string encoded;
  encode_value(row[0], encoded);
  encode_value(row[2], encoded);
  const uint32_t g = key_group_of_row(row.data(), {0, 2}, 128);
  CHECK(g == to_positive(murmur2(encoded)) % 128);
  CHECK(g == key_group_of(encoded, 128));
  // Across parallelism the group stays; the owning instance is the one whose range holds it.
  for (uint32_t p = 1; p <= 128; ++p) {
    CHECK(key_group_of_row(row.data(), {0, 2}, 128) == g);
    CHECK(key_group_range(instance_of_key_group(g, p, 128), p, 128).contains(g));
  }
  // Equal SQL values, equal groups; the encoding distinguishes NULL from a value.
  std::vector<Value> same = {Value::string("shop-7"), Value::integer(1), Value::null()};
  CHECK(key_group_of_row(same.data(), {0, 2}, 128) == g);
  std::vector<Value> keys(1000);
  std::vector<int> per_group(128, 0);
  for (int i = 0; i < 1000; ++i) {
    Value v = Value::integer(i);
    ++per_group[key_group_of_row(&v, {0}, 128)];
  }
  for (int n : per_group) CHECK(n < 30);  // about 8 each: no group collects the keys
}
