// The OVER aggregation operator: frames, peers, lateness as Flink's runtime
// functions decide it, state freed, snapshot/restore; and a property test
// against a brute-force recomputation written from the SQL definition of the
// frames (not from the operator's code).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include "operators/over_aggregate.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

// (k INT, v INT, t TIMESTAMP(3) *ROWTIME*)
Schema kvt() {
  return Schema{{{"k", Type::integer()}, {"v", Type::integer()}, {"t", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)}}};
}

AggregateCall call(AggregateKind kind, const Schema& in, const char* arg, const char* name) {
  AggregateCall c;
  c.kind = kind;
  c.name = name;
  if (arg) c.args.push_back(col(in, arg));
  return c;
}

OverAggregateConfig config(OverFrameUnit unit, std::optional<int64_t> preceding) {
  OverAggregateConfig c;
  c.input = kvt();
  c.partition_by = {0};
  c.time_column = 2;
  c.unit = unit;
  c.preceding = preceding;
  c.aggregates = {call(AggregateKind::CountStar, c.input, nullptr, "n"), call(AggregateKind::Sum, c.input, "v", "s"),
                  call(AggregateKind::Min, c.input, "v", "lo"), call(AggregateKind::Max, c.input, "v", "hi")};
  return c;
}

std::vector<std::string> feed(OverAggregateOperator& op, const std::vector<Row>& rows, std::optional<int64_t> watermark) {
  std::vector<BatchPtr> out;
  op.process(batch(3, rows), out);
  if (watermark) op.on_watermark(*watermark, out);
  return rows_of(out);
}

}  // namespace

TEST_CASE("over: ROWS 1 PRECEDING slides one row at a time, peers one by one", "[over]") {
  OverAggregateOperator op(config(OverFrameUnit::Rows, 1));
  CHECK(feed(op, {Row({i(1), i(10), i(1000)}), Row({i(1), i(20), i(2000)}), Row({i(1), i(5), i(2000)})}, std::nullopt).empty());
  CHECK(feed(op, {}, 2000) == std::vector<std::string>{"+I(1,10,1000,1,10,10,10)", "+I(1,20,2000,2,30,10,20)",
                                                        "+I(1,5,2000,2,25,5,20)"});
  CHECK(feed(op, {Row({i(1), i(7), i(3000)})}, 3000) == std::vector<std::string>{"+I(1,7,3000,2,12,5,7)"});
  CHECK(op.stats().state_entries == 1 + 2);  // the partition and the two rows of its frame
}

TEST_CASE("over: RANGE peers see each other and rows older than the range leave", "[over]") {
  OverAggregateOperator op(config(OverFrameUnit::Range, 1000));
  CHECK(feed(op, {Row({i(1), i(10), i(1000)}), Row({i(1), i(20), i(2000)}), Row({i(1), i(5), i(2000)}), Row({i(2), i(1), i(1500)})},
             3000) == std::vector<std::string>{"+I(1,10,1000,1,10,10,10)", "+I(2,1,1500,1,1,1,1)", "+I(1,20,2000,3,35,5,20)",
                                               "+I(1,5,2000,3,35,5,20)"});
  // 3001 - 1000 > 2000: the 2000 rows leave, the 1000 row left already.
  CHECK(feed(op, {Row({i(1), i(3), i(3001)})}, 3001) == std::vector<std::string>{"+I(1,3,3001,1,3,3,3)"});
}

TEST_CASE("over: UNBOUNDED ROWS and RANGE", "[over]") {
  OverAggregateOperator rows(config(OverFrameUnit::Rows, std::nullopt));
  OverAggregateOperator range(config(OverFrameUnit::Range, std::nullopt));
  const std::vector<Row> in = {Row({i(1), i(1), i(1000)}), Row({i(1), i(2), i(1000)}), Row({i(1), i(4), i(900)})};
  CHECK(feed(rows, in, 1000) == std::vector<std::string>{"+I(1,4,900,1,4,4,4)", "+I(1,1,1000,2,5,1,4)", "+I(1,2,1000,3,7,1,4)"});
  CHECK(feed(range, in, 1000) == std::vector<std::string>{"+I(1,4,900,1,4,4,4)", "+I(1,1,1000,3,7,1,4)", "+I(1,2,1000,3,7,1,4)"});
}

TEST_CASE("over: lateness is the watermark for unbounded frames and the partition's last timestamp for bounded ones",
          "[over]") {
  // Flink: AbstractRowTimeUnboundedPrecedingOver drops ts <= watermark;
  // RowTime{Rows,Range}BoundedPrecedingFunction drop ts <= lastTriggeringTs (0 at first).
  OverAggregateOperator unbounded(config(OverFrameUnit::Rows, std::nullopt));
  OverAggregateOperator bounded(config(OverFrameUnit::Rows, 5));
  for (auto* op : {&unbounded, &bounded}) feed(*op, {Row({i(1), i(1), i(5000)})}, 5000);
  const std::vector<Row> behind = {Row({i(2), i(9), i(4000)}), Row({i(1), i(9), i(5000)}), Row({i(1), i(8), i(0)})};
  CHECK(feed(unbounded, behind, std::nullopt).empty());
  CHECK(unbounded.stats().late_records_dropped == 3);
  CHECK(feed(bounded, behind, std::nullopt).empty());
  CHECK(bounded.stats().late_records_dropped == 2);  // key 2 has emitted nothing: its 4000 row waits
  CHECK(feed(bounded, {}, 6000) == std::vector<std::string>{"+I(2,9,4000,1,9,9,9)"});
}

TEST_CASE("over: a RANGE partition is freed 1.5 ranges after its last row, its last timestamp with it", "[over]") {
  OverAggregateOperator op(config(OverFrameUnit::Range, 1000));
  feed(op, {Row({i(1), i(1), i(10'000)})}, 10'000);
  CHECK(op.stats().state_entries == 2);
  feed(op, {}, 11'500);  // cleanup at 10000 + 1500 + 1
  CHECK(op.stats().state_entries == 2);
  feed(op, {}, 11'501);
  CHECK(op.stats().state_entries == 0);
  // Forgotten, as Flink forgets it: an old row of the key is accepted again and emitted at the next watermark.
  CHECK(feed(op, {Row({i(1), i(2), i(9000)})}, 11'502) == std::vector<std::string>{"+I(1,2,9000,1,2,2,2)"});
}

TEST_CASE("over: a NULL rowtime is a row error and a snapshot restores waiting rows and frames", "[over][state]") {
  OverAggregateConfig c = config(OverFrameUnit::Rows, 1);
  std::vector<std::string> errors;
  c.on_row_error = [&](const RowError& e) { errors.push_back(e.message); };
  OverAggregateOperator op(c);
  feed(op, {Row({i(1), i(10), i(1000)}), Row({i(1), i(20), null()})}, 1000);
  CHECK(errors.size() == 1);
  feed(op, {Row({i(1), i(30), i(2000)}), Row({i(3), i(4), i(2500)})}, std::nullopt);
  StateWriter w;
  op.snapshot(w);
  OverAggregateOperator restored(c);
  StateReader r(w.data());
  restored.restore(r);
  CHECK(restored.stats().state_entries == op.stats().state_entries);
  CHECK(feed(restored, {}, 3000) == std::vector<std::string>{"+I(1,30,2000,2,40,10,30)", "+I(3,4,2500,1,4,4,4)"});
  CHECK(feed(restored, {Row({i(1), i(1), i(1500)})}, std::nullopt).empty());
  CHECK(restored.stats().late_records_dropped == 1);
}

namespace {

struct In {
  int64_t k, v, t;
  int64_t epoch = 0;  // a RANGE-bounded partition starts afresh after Flink's cleanup
};
using Out = std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t>;  // k, v, t, n, s, lo, hi

// Which rows Flink keeps: unbounded frames drop ts <= the watermark at arrival;
// bounded ones ts <= the last timestamp their partition emitted (0 at first),
// a partition emitting its waiting timestamps <= W at each watermark W. A
// RANGE-bounded partition forgets its last timestamp when Flink's cleanup timer
// fires: W >= its last row + 1.5 x range + 1, with nothing waiting; its rows
// after that form a new epoch, whose frames see none of the earlier rows.
std::vector<In> accepted_rows(const std::vector<In>& rows, int64_t delay, bool bounded, std::optional<int64_t> range,
                              uint64_t& late) {
  std::vector<In> kept;
  std::map<int64_t, int64_t> last;                 // partition -> last emitted timestamp
  std::map<int64_t, std::vector<int64_t>> waiting;  // partition -> waiting timestamps
  std::map<int64_t, int64_t> cleanup;              // partition -> cleanup time
  std::map<int64_t, int64_t> epoch;                // partition -> cleanups so far
  std::optional<int64_t> w;
  late = 0;
  for (const auto& r : rows) {
    const bool is_late = bounded ? r.t <= (last.count(r.k) ? last[r.k] : 0) : (w && r.t <= *w);
    if (is_late) {
      ++late;
    } else {
      kept.push_back(r);
      kept.back().epoch = epoch[r.k];
      waiting[r.k].push_back(r.t);
      if (range && (!cleanup.count(r.k) || cleanup[r.k] < r.t + *range + 1))
        cleanup[r.k] = r.t + static_cast<int64_t>(static_cast<double>(*range) * 1.5) + 1;
    }
    const int64_t candidate = r.t - delay;
    if (!w || candidate > *w) {
      w = candidate;
      for (auto& [k, ts] : waiting)
        for (int64_t t : ts)
          if (t <= *w) last[k] = std::max(last.count(k) ? last[k] : t, t);
      for (auto& [k, ts] : waiting) ts.erase(std::remove_if(ts.begin(), ts.end(), [&](int64_t t) { return t <= *w; }), ts.end());
      for (auto it = cleanup.begin(); it != cleanup.end();) {
        if (it->second <= *w && waiting[it->first].empty()) {
          last.erase(it->first);
          ++epoch[it->first];
          it = cleanup.erase(it);
        } else {
          ++it;
        }
      }
    }
  }
  return kept;
}

// The frame of each row, by definition: its partition ordered by (timestamp, arrival).
std::vector<Out> brute_force(const std::vector<In>& kept, OverFrameUnit unit, std::optional<int64_t> preceding) {
  std::vector<Out> out;
  for (size_t x = 0; x < kept.size(); ++x) {
    std::vector<size_t> part;
    for (size_t y = 0; y < kept.size(); ++y)
      if (kept[y].k == kept[x].k && kept[y].epoch == kept[x].epoch) part.push_back(y);
    std::stable_sort(part.begin(), part.end(), [&](size_t a, size_t b) { return kept[a].t < kept[b].t; });
    const size_t pos = static_cast<size_t>(std::find(part.begin(), part.end(), x) - part.begin());
    std::vector<size_t> frame;
    for (size_t p = 0; p < part.size(); ++p) {
      const In& o = kept[part[p]];
      bool in;
      if (unit == OverFrameUnit::Rows) in = p <= pos && (!preceding || pos - p <= static_cast<size_t>(*preceding));
      else in = o.t <= kept[x].t && (!preceding || kept[x].t - o.t <= *preceding);
      if (in) frame.push_back(part[p]);
    }
    int64_t s = 0, lo = INT64_MAX, hi = INT64_MIN;
    for (size_t f : frame) {
      s += kept[f].v;
      lo = std::min(lo, kept[f].v);
      hi = std::max(hi, kept[f].v);
    }
    out.emplace_back(kept[x].k, kept[x].v, kept[x].t, static_cast<int64_t>(frame.size()), s, lo, hi);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The operator, row by row with watermark = ts - delay, snapshotted and restored halfway.
std::vector<Out> streamed(const std::vector<In>& rows, int64_t delay, OverFrameUnit unit, std::optional<int64_t> preceding,
                          uint64_t& late) {
  const OverAggregateConfig c = config(unit, preceding);
  auto op = std::make_unique<OverAggregateOperator>(c);
  std::vector<BatchPtr> out;
  int64_t w = kMinWatermark;
  uint64_t late_before_restore = 0;  // counters are the instance's, not state
  for (size_t n = 0; n < rows.size(); ++n) {
    op->process(batch(3, {Row({i(rows[n].k), i(rows[n].v), i(rows[n].t)})}), out);
    if (rows[n].t - delay > w) op->on_watermark(w = rows[n].t - delay, out);
    if (n == rows.size() / 2) {
      StateWriter sw;
      op->snapshot(sw);
      late_before_restore = op->stats().late_records_dropped;
      op = std::make_unique<OverAggregateOperator>(c);
      StateReader sr(sw.data());
      op->restore(sr);
    }
  }
  const uint64_t before_end = op->stats().late_records_dropped;
  op->on_watermark(kMaxWatermark, out);
  late = late_before_restore + before_end;
  std::vector<Out> result;
  for (const auto& b : out)
    for (size_t r = 0; r < b->num_rows(); ++r)
      result.emplace_back(b->at(r, 0).as_int(), b->at(r, 1).as_int(), b->at(r, 2).as_int(), b->at(r, 3).as_int(),
                          b->at(r, 4).as_int(), b->at(r, 5).as_int(), b->at(r, 6).as_int());
  std::sort(result.begin(), result.end());
  return result;
}

}  // namespace

TEST_CASE("property: OVER frames equal a brute-force recomputation, late rows as Flink drops them", "[over][property]") {
  for (uint32_t seed = 1; seed <= 10; ++seed) {
    std::mt19937 rng(seed);
    std::vector<In> rows;
    for (int64_t n = 0; n < 300; ++n)
      rows.push_back({static_cast<int64_t>(rng() % 3), static_cast<int64_t>(rng() % 100) - 50,
                      10'000 + n * 40 + static_cast<int64_t>(rng() % 3000) / 100 * 100});  // many equal timestamps
    const int64_t delay = seed <= 5 ? 4000 : 500;  // seeds 6-10 produce late rows
    const std::vector<std::pair<OverFrameUnit, std::optional<int64_t>>> frames = {
        {OverFrameUnit::Rows, 0}, {OverFrameUnit::Rows, 3}, {OverFrameUnit::Rows, std::nullopt},
        {OverFrameUnit::Range, 0}, {OverFrameUnit::Range, 700}, {OverFrameUnit::Range, std::nullopt}};
    for (const auto& [unit, preceding] : frames) {
      uint64_t expected_late = 0, late = 0;
      INFO("seed " << seed << (unit == OverFrameUnit::Rows ? " rows " : " range ") << (preceding ? std::to_string(*preceding) : "unbounded"));
      const auto kept = accepted_rows(rows, delay, preceding.has_value(),
                                      unit == OverFrameUnit::Range ? preceding : std::nullopt, expected_late);
      CHECK(streamed(rows, delay, unit, preceding, late) == brute_force(kept, unit, preceding));
      CHECK(late == expected_late);
      if (seed <= 5 && !preceding) CHECK(late == 0);
    }
  }
}
