#include <catch2/catch.hpp>

#include "operators/watermark.hpp"

using namespace ananas;
using namespace ananas::ops;

TEST_CASE("a partition's watermark keeps the last candidate but never goes back", "[watermark]") {
  PartitionWatermarks wm;
  wm.declare_partition(0, 0);
  CHECK(wm.on_record(0, 5000, 0) == std::optional<int64_t>(5000));
  CHECK(wm.on_record(0, 3000, 0) == std::nullopt);  // an out-of-order row: candidate 3 s < 5 s
  CHECK(wm.current() == 5000);
  CHECK(wm.on_record(0, 5000, 0) == std::nullopt);  // equal: no new watermark
  CHECK(wm.on_record(0, 5001, 0) == std::optional<int64_t>(5001));
}

TEST_CASE("a declared partition without records holds the source watermark back", "[watermark]") {
  PartitionWatermarks wm;
  for (int32_t p : {0, 1, 2}) wm.declare_partition(p, 0);
  CHECK(wm.on_record(0, 10'000, 0) == std::nullopt);
  CHECK(wm.on_record(1, 20'000, 0) == std::nullopt);
  CHECK(wm.current() == kMinWatermark);
  CHECK(wm.on_record(2, 15'000, 0) == std::optional<int64_t>(10'000));  // min over all three
  CHECK(wm.on_record(0, 30'000, 0) == std::optional<int64_t>(15'000));
  CHECK(wm.advance_to_end() == std::optional<int64_t>(kMaxWatermark));
  CHECK(wm.advance_to_end() == std::nullopt);
}

TEST_CASE("a silent partition that holds the watermark back is named, with since when", "[watermark]") {
  PartitionWatermarks wm;
  for (int32_t p : {0, 1, 2}) wm.declare_partition(p, 1'000);
  CHECK(wm.holding_back(60'000, 10'000).empty());  // nobody ahead yet: a quiet source, not one partition
  wm.on_record(0, 10'000, 2'000);
  wm.on_record(1, 20'000, 3'000);
  CHECK(wm.holding_back(5'000, 10'000).empty());  // partition 2 is behind, but not quiet for 10 s yet
  auto held = wm.holding_back(12'000, 10'000);
  REQUIRE(held.size() == 1);
  CHECK(held[0].partition == 2);
  CHECK(held[0].quiet_since_ms == 1'000);  // declared then, nothing since
  wm.on_record(2, 30'000, 13'000);          // it delivers: partition 0 is the lowest now, quiet since 2 s
  held = wm.holding_back(13'000, 10'000);
  REQUIRE(held.size() == 1);
  CHECK(held[0].partition == 0);
  CHECK(wm.holding_back(13'000, 20'000).empty());
}

TEST_CASE("idle partitions are excluded, a record re-activates, all idle = source idle", "[watermark]") {
  PartitionWatermarks wm(1000);
  wm.declare_partition(0, 0);
  wm.declare_partition(1, 0);
  CHECK(wm.on_record(0, 7000, 500) == std::nullopt);  // p1 silent, not idle yet
  CHECK(wm.on_processing_time(999) == std::nullopt);
  CHECK(wm.on_processing_time(1000) == std::optional<int64_t>(7000));  // p1 idle since 0 → excluded
  CHECK(wm.partition_idle(1));
  CHECK_FALSE(wm.idle());

  // p1 comes back behind: the source watermark does not go back and waits for p1.
  CHECK(wm.on_record(1, 2000, 1100) == std::nullopt);
  CHECK_FALSE(wm.partition_idle(1));
  CHECK(wm.on_record(0, 9000, 1100) == std::nullopt);
  CHECK(wm.current() == 7000);
  CHECK(wm.on_record(1, 8000, 1200) == std::optional<int64_t>(8000));

  CHECK(wm.on_processing_time(2200) == std::nullopt);
  CHECK(wm.idle());
  CHECK(wm.current() == 8000);
}

TEST_CASE("without an idle timeout nothing ever goes idle", "[watermark]") {
  PartitionWatermarks wm;
  wm.declare_partition(0, 0);
  wm.declare_partition(1, 0);
  wm.on_record(0, 1000, 0);
  CHECK(wm.on_processing_time(1'000'000'000) == std::nullopt);
  CHECK_FALSE(wm.idle());
  CHECK(wm.current() == kMinWatermark);
}

TEST_CASE("partition watermarks survive snapshot/restore", "[watermark][restore]") {
  PartitionWatermarks wm(1000);
  wm.declare_partition(0, 0);
  wm.declare_partition(1, 0);
  wm.on_record(0, 4000, 0);
  wm.on_record(1, 6000, 0);
  StateWriter w;
  wm.snapshot(w);
  PartitionWatermarks restored(1000);
  StateReader r(w.data());
  restored.restore(r);
  CHECK(restored.current() == 4000);
  CHECK(restored.partitions() == 2);
  CHECK(restored.on_record(0, 7000, 10) == wm.on_record(0, 7000, 10));
  CHECK(restored.current() == 6000);
}

TEST_CASE("InputWatermarks: min over active inputs, a returning input is ignored until it catches up", "[watermark]") {
  InputWatermarks in(2);
  CHECK(in.on_watermark(0, 100) == std::nullopt);
  CHECK(in.on_watermark(1, 50) == std::optional<int64_t>(50));
  CHECK(in.set_idle(1, true) == std::optional<int64_t>(100));
  CHECK(in.on_watermark(0, 200) == std::optional<int64_t>(200));
  // Input 1 returns at 150 < 200: not aligned, does not hold input 0 back.
  CHECK(in.on_watermark(1, 150) == std::nullopt);
  CHECK(in.on_watermark(0, 300) == std::optional<int64_t>(300));
  CHECK(in.on_watermark(1, 400) == std::nullopt);  // aligned again (400 ≥ 300), min is 300
  CHECK(in.on_watermark(0, 500) == std::optional<int64_t>(400));
  CHECK(in.set_idle(0, true) == std::nullopt);
  CHECK(in.set_idle(1, true) == std::nullopt);
  CHECK(in.idle());

  StateWriter w;
  in.snapshot(w);
  InputWatermarks copy(2);
  StateReader r(w.data());
  copy.restore(r);
  CHECK(copy.current() == 400);
  CHECK(copy.idle());
  InputWatermarks wrong(3);
  StateReader r2(w.data());
  CHECK_THROWS_AS(wrong.restore(r2), CorruptState);
}
