// Operator snapshots index their keyed entries, so that a durable checkpoint
// can write each entry as one changelog record.
#include <catch2/catch.hpp>

#include "operators/operator.hpp"
#include "state_test_support.hpp"

using namespace ananas;
using namespace ananas::ops;

TEST_CASE("a snapshot's entry index survives encoding and splits each key group into its entries", "[state]") {
  const OperatorSnapshot s = decode_snapshot(ananas::test::snapshot_of({{"a", "1"}, {"b", "22"}, {"c", "333"}}));
  size_t entries = 0;
  for (const auto& [group, bytes] : s.keyed) {
    for (const auto& [key, entry] : split_entries(s, group)) {
      StateReader r(entry);
      CHECK(r.bytes() == key);  // each entry starts with its own key (as snapshot_of writes it)
      r.bytes();
      CHECK(r.at_end());
      ++entries;
    }
  }
  CHECK(entries == 3);
}

TEST_CASE("an entry index that does not cover its key group's bytes is refused", "[state]") {
  OperatorSnapshot s = decode_snapshot(ananas::test::snapshot_of({{"a", "1"}, {"b", "22"}}));
  auto& index = s.entries.begin()->second;
  index.back().length += 1;  // overruns
  CHECK_THROWS_WITH(decode_snapshot(encode_snapshot(s)), Catch::Contains("overruns"));
  index.back().length -= 2;  // leaves a byte
  CHECK_THROWS_WITH(decode_snapshot(encode_snapshot(s)), Catch::Contains("uncovered"));
}
