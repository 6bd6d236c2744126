// The worker's partitioner routes by key group: each instance receives exactly
// the rows whose key group lies in its range, at every parallelism.
#include <catch2/catch.hpp>

#include "actors/partitioner.hpp"
#include "core/key_group.hpp"
#include "test_doubles.hpp"

using namespace ananas;
using namespace ananas::rt;
using namespace ananas::rt::testing;

TEST_CASE("partition_batch sends each row to the instance owning its key group", "[flow][key_group]") {
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (int64_t i = 0; i < 2000; ++i) rows.emplace_back(i * 7 % 1013, i);
  auto in = make_batch(rows);
  for (size_t p : {2u, 3u, 5u, 128u, 200u}) {
    auto parts = partition_batch(in, {0}, p);
    REQUIRE(parts.size() == p);
    size_t seen = 0;
    for (size_t inst = 0; inst < p; ++inst) {
      if (!parts[inst]) continue;
      seen += parts[inst]->num_rows();
      for (size_t r = 0; r < parts[inst]->num_rows(); ++r) {
        const uint32_t g = key_group_of_row(parts[inst]->row(r), {0}, kDefaultKeyGroups);
        CHECK(instance_of_key_group(g, static_cast<uint32_t>(p), kDefaultKeyGroups) == inst);
        if (p <= kDefaultKeyGroups)
          CHECK(key_group_range(static_cast<uint32_t>(inst), static_cast<uint32_t>(p), kDefaultKeyGroups).contains(g));
      }
    }
    CHECK(seen == rows.size());
  }
}
