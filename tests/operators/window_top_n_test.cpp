// Window Top-N: each window's top, once, when the watermark passes the
// window's end; late rows dropped; snapshot/restore; and a property test
// against a batch recomputation of every (window, partition)'s top.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "operators/window_top_n.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

// (k, v, window_start, window_end)
Schema input() {
  return Schema{{{"k", Type::bigint()}, {"v", Type::bigint()}, {"window_start", Type::timestamp(3)}, {"window_end", Type::timestamp(3)}}};
}

WindowTopNConfig config(int64_t start, int64_t end, bool rank_number, bool by_key = true) {
  WindowTopNConfig c;
  c.input = input();
  c.window_start = 2;
  c.window_end = 3;
  if (by_key) c.partition_by = {0};
  c.order_by = {{1, true, false}};  // v DESC
  c.rank_start = start;
  c.rank_end = end;
  if (rank_number) c.rank_column = "rn";
  return c;
}

Row w(int64_t k, int64_t v, int64_t window) { return Row({i(k), i(v), i(window * 10), i(window * 10 + 10)}); }

std::vector<std::string> feed(WindowTopNOperator& op, const std::vector<Row>& rows, std::optional<int64_t> watermark = {}) {
  std::vector<BatchPtr> out;
  op.process(batch(4, rows), out);
  if (watermark) op.on_watermark(*watermark, out);
  return rows_of(out);
}

}  // namespace

TEST_CASE("window_top_n: nothing while the window is open, its top best first when it fires", "[window_top_n]") {
  WindowTopNOperator op(config(1, 2, true));
  CHECK(feed(op, {w(1, 5, 0), w(1, 7, 0), w(2, 1, 0), w(1, 6, 0), w(1, 9, 1)}, 8).empty());
  CHECK(feed(op, {w(1, 7, 0)}, 9) == std::vector<std::string>{"+I(1,7,0,10,1)", "+I(1,7,0,10,2)", "+I(2,1,0,10,1)"});
  CHECK(op.stats().state_entries == 1);  // window 1's row
  // A row of the fired window is late: dropped and counted.
  CHECK(feed(op, {w(1, 100, 0)}, 19) == std::vector<std::string>{"+I(1,9,10,20,1)"});
  CHECK(op.stats().late_records_dropped == 1);
  CHECK(op.stats().state_entries == 0);
}

TEST_CASE("window_top_n: an offset, no row number, one partition per window", "[window_top_n]") {
  WindowTopNOperator op(config(2, 3, false, false));
  CHECK(feed(op, {w(1, 5, 0), w(2, 7, 0), w(3, 1, 0), w(4, 6, 0)}, 100) ==
        std::vector<std::string>{"+I(4,6,0,10)", "+I(1,5,0,10)"});
}

TEST_CASE("window_top_n: a snapshot restores the open windows and the watermark", "[window_top_n][state]") {
  const WindowTopNConfig c = config(1, 2, true);
  WindowTopNOperator op(c);
  feed(op, {w(1, 5, 0), w(1, 7, 0), w(2, 3, 1)}, 5);
  StateWriter wr;
  op.snapshot(wr);
  WindowTopNOperator restored(c);
  StateReader rd(wr.data());
  restored.restore(rd);
  CHECK(feed(restored, {w(1, 6, 0)}, 9) == std::vector<std::string>{"+I(1,7,0,10,1)", "+I(1,6,0,10,2)"});
  CHECK(feed(restored, {}, 100) == std::vector<std::string>{"+I(2,3,10,20,1)"});
}

TEST_CASE("property: window Top-N output equals each window's top recomputed in batch", "[window_top_n][property]") {
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::mt19937 rng(seed);
    std::vector<std::tuple<int64_t, int64_t, int64_t>> raw;  // k, v, window
    std::vector<Row> rows;
    for (int n = 0; n < 400; ++n) {
      raw.emplace_back(static_cast<int64_t>(rng() % 4), static_cast<int64_t>(rng() % 30), static_cast<int64_t>(n / 40 + rng() % 2));
      rows.push_back(w(std::get<0>(raw.back()), std::get<1>(raw.back()), std::get<2>(raw.back())));
    }
    for (int64_t end : {1, 3}) {
      INFO("seed " << seed << " N " << end);
      WindowTopNOperator op(config(1, end, true));
      std::vector<BatchPtr> out;
      // Watermark after each batch: the windows before the batch's earliest one fire (rows arrive at most one window late).
      for (size_t at = 0; at < rows.size(); at += 20) {
        op.process(batch(4, std::vector<Row>(rows.begin() + static_cast<std::ptrdiff_t>(at),
                                             rows.begin() + static_cast<std::ptrdiff_t>(std::min(at + 20, rows.size())))),
                   out);
        op.on_watermark(static_cast<int64_t>(at / 40) * 10 - 1, out);
      }
      op.on_watermark(kMaxWatermark, out);
      std::vector<std::string> got = rows_of(out);
      CHECK(op.stats().late_records_dropped == 0);
      // Batch: per (window, k) the rows sorted by v DESC, ties in arrival order, the first N; windows in order, then k.
      std::vector<std::string> expected;
      std::map<std::pair<int64_t, int64_t>, std::vector<std::pair<int64_t, int64_t>>> groups;  // (window, k) -> (v, arrival)
      for (size_t n = 0; n < raw.size(); ++n)
        groups[{std::get<2>(raw[n]), std::get<0>(raw[n])}].push_back({std::get<1>(raw[n]), static_cast<int64_t>(n)});
      for (auto& [wk, vs] : groups) {
        std::stable_sort(vs.begin(), vs.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        for (size_t n = 0; n < vs.size() && static_cast<int64_t>(n) < end; ++n)
          expected.push_back("+I(" + std::to_string(wk.second) + "," + std::to_string(vs[n].first) + "," +
                             std::to_string(wk.first * 10) + "," + std::to_string(wk.first * 10 + 10) + "," +
                             std::to_string(n + 1) + ")");
      }
      CHECK(got == expected);
    }
  }
}
