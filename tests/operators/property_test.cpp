// Property tests: seeded random inputs through the streaming operators,
// compared with straightforward batch recomputations written here from the
// spec's rules (not from the operators' code).
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <tuple>

#include "operators/calc.hpp"
#include "operators/group_aggregate.hpp"
#include "operators/window_aggregate.hpp"
#include "operators/watermark.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

Schema kv() { return Schema{{{"k", Type::integer()}, {"v", Type::integer()}}}; }

// Splits rows into batches of random size 1..max.
std::vector<BatchPtr> random_batches(std::mt19937& rng, const std::vector<Row>& rows, size_t width, int max = 17) {
  std::vector<BatchPtr> out;
  std::uniform_int_distribution<int> size(1, max);
  for (size_t at = 0; at < rows.size();) {
    size_t n = std::min<size_t>(size(rng), rows.size() - at);
    out.push_back(batch(width, std::vector<Row>(rows.begin() + static_cast<std::ptrdiff_t>(at),
                                                rows.begin() + static_cast<std::ptrdiff_t>(at + n))));
    at += n;
  }
  return out;
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

TEST_CASE("property: Calc filter equals a batch filter", "[property]") {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    std::vector<Row> rows;
    std::vector<std::string> expected;
    for (int n = 0; n < 300; ++n) {
      int64_t k = rng() % 10;
      bool is_null = rng() % 10 == 0;
      int64_t v = rng() % 100;
      rows.push_back(Row({i(k), is_null ? null() : i(v)}));
      if (!is_null && v > 50) expected.push_back("+I(" + std::to_string(k) + "," + std::to_string(v) + ")");
    }
    auto gt50 = fn(Type::boolean(), [](const Value* row, expr::EvalContext&) {
      return row[1].is_null() ? Value::null() : Value::boolean(row[1].as_int() > 50);
    });
    CalcOperator op(CalcConfig{kv(), gt50, std::nullopt, {}, {}});
    CHECK(run(op, random_batches(rng, rows, 2)) == expected);
  }
}

TEST_CASE("property: group aggregate changelog converges to the batch GROUP BY of the live rows", "[property]") {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    Schema in = kv();
    GroupAggregateConfig c;
    c.input = in;
    c.keys = {{"k", col(in, "k")}};
    auto agg = [&](AggregateKind kind, const char* name) {
      AggregateCall a;
      a.kind = kind;
      a.name = name;
      if (kind != AggregateKind::CountStar) a.args = {col(in, "v")};
      return a;
    };
    c.aggregates = {agg(AggregateKind::CountStar, "n"), agg(AggregateKind::Count, "nv"), agg(AggregateKind::Sum, "sum"),
                    agg(AggregateKind::Min, "min"),     agg(AggregateKind::Max, "max"),  agg(AggregateKind::Avg, "avg")};
    c.emit_update_before = seed % 2 == 0;
    GroupAggregateOperator op(std::move(c));

    // A random changelog over a live multiset of rows: inserts, deletes and update pairs.
    std::vector<std::pair<int64_t, std::optional<int64_t>>> live;
    std::vector<Row> log;
    auto cell = [](std::optional<int64_t> v) { return v ? i(*v) : null(); };
    for (int n = 0; n < 400; ++n) {
      int action = static_cast<int>(rng() % 10);
      if (action < 6 || live.empty()) {
        int64_t k = rng() % 6;
        std::optional<int64_t> v;
        if (rng() % 8 != 0) v = static_cast<int64_t>(rng() % 101) - 50;
        live.push_back({k, v});
        log.push_back(Row(RowKind::Insert, {i(k), cell(v)}));
      } else {
        size_t victim = rng() % live.size();
        auto [k, v] = live[victim];
        live.erase(live.begin() + static_cast<std::ptrdiff_t>(victim));
        if (action < 8) {
          log.push_back(Row(RowKind::Delete, {i(k), cell(v)}));
        } else {
          std::optional<int64_t> nv = static_cast<int64_t>(rng() % 101) - 50;
          log.push_back(Row(RowKind::UpdateBefore, {i(k), cell(v)}));
          log.push_back(Row(RowKind::UpdateAfter, {i(k), cell(nv)}));
          live.push_back({k, nv});
        }
      }
    }

    // Apply the output changelog to a table, checking it is self-consistent.
    std::map<std::string, std::string> table;
    std::vector<BatchPtr> out;
    for (auto& b : random_batches(rng, log, 2)) op.process(b, out);
    for (const auto& b : out)
      for (size_t r = 0; r < b->num_rows(); ++r) {
        std::string key = show(b->at(r, 0));
        std::string row = show_row(*b, r).substr(2);
        switch (b->kind(r)) {
          case RowKind::Insert: CHECK(table.count(key) == 0); table[key] = row; break;
          case RowKind::UpdateAfter: CHECK(table.count(key) == 1); table[key] = row; break;
          case RowKind::UpdateBefore:
          case RowKind::Delete:
            REQUIRE(table.count(key) == 1);
            CHECK(table[key] == row);
            if (b->kind(r) == RowKind::Delete) table.erase(key);
            break;
        }
      }

    // The batch GROUP BY of what is still live.
    std::map<int64_t, std::vector<std::optional<int64_t>>> groups;
    for (auto& [k, v] : live) groups[k].push_back(v);
    std::map<std::string, std::string> expected;
    for (auto& [k, vs] : groups) {
      int64_t n = static_cast<int64_t>(vs.size()), nv = 0, sum = 0, mn = INT64_MAX, mx = INT64_MIN;
      for (auto& v : vs)
        if (v) {
          ++nv;
          sum += *v;
          mn = std::min(mn, *v);
          mx = std::max(mx, *v);
        }
      std::string tail = nv == 0 ? "NULL,NULL,NULL,NULL"
                                 : std::to_string(sum) + "," + std::to_string(mn) + "," + std::to_string(mx) + "," +
                                       std::to_string(sum / nv);
      expected[std::to_string(k)] = "(" + std::to_string(k) + "," + std::to_string(n) + "," + std::to_string(nv) + "," + tail + ")";
    }
    CHECK(table == expected);
    CHECK(op.stats().state_entries == groups.size());
  }
}

namespace {

using WindowCounts = std::map<std::tuple<int64_t, int64_t, int64_t>, int64_t>;  // (key, start, end) → count

// Streams rows (key, ts) one by one through a window COUNT(*), watermark = ts − delay after each row.
WindowCounts stream_counts(const WindowSpec& spec, const std::vector<std::pair<int64_t, int64_t>>& rows, int64_t delay,
                           uint64_t& late) {
  Schema in{{{"k", Type::integer()}, {"t", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)}}};
  WindowAggregateConfig c;
  c.input = in;
  c.time_column = 1;
  c.window = spec;
  c.keys = {{"k", col(in, "k")}};
  AggregateCall count;
  count.kind = AggregateKind::CountStar;
  count.name = "n";
  c.aggregates = {count};
  WindowAggregateOperator op(std::move(c));
  PartitionWatermarks wm;
  wm.declare_partition(0, 0);
  std::vector<BatchPtr> out;
  for (auto& [k, t] : rows) {
    op.process(batch(2, {Row({i(k), i(t)})}), out);
    if (auto w = wm.on_record(0, t - delay, 0)) op.on_watermark(*w, out);
  }
  if (auto w = wm.advance_to_end()) op.on_watermark(*w, out);
  WindowCounts counts;
  for (auto& b : out)
    for (size_t r = 0; r < b->num_rows(); ++r) {
      auto key = std::make_tuple(b->at(r, 0).as_int(), b->at(r, 2).as_int(), b->at(r, 3).as_int());
      CHECK(counts.count(key) == 0);  // one row per (key, window)
      CHECK(b->at(r, 4).as_int() == b->at(r, 3).as_int() - 1);
      counts[key] = b->at(r, 1).as_int();
    }
  late = op.stats().late_records_dropped;
  CHECK(op.stats().state_entries == 0);
  return counts;
}

// The same counts by brute force: every window of the grid that contains the
// row and had not fired (end − 1 > W, W = max earlier ts − delay) when it arrived.
WindowCounts batch_counts(int64_t size, int64_t slide, const std::vector<std::pair<int64_t, int64_t>>& rows, int64_t delay,
                          uint64_t& late) {
  WindowCounts counts;
  late = 0;
  bool have_w = false;
  int64_t w = 0;
  for (auto& [k, t] : rows) {
    bool counted = false;
    for (int64_t start = floor_div(t, slide) * slide; start > t - size; start -= slide) {
      int64_t end = start + size;
      if (have_w && end - 1 <= w) continue;
      ++counts[{k, start, end}];
      counted = true;
    }
    if (!counted) ++late;
    w = have_w ? std::max(w, t - delay) : t - delay;
    have_w = true;
  }
  return counts;
}

}  // namespace

TEST_CASE("property: tumbling and hopping window counts equal a brute-force recomputation", "[property]") {
  for (uint32_t seed = 1; seed <= 12; ++seed) {
    std::mt19937 rng(seed);
    // Seeds 1–6 stay within the out-of-orderness envelope (no late rows); 7–12 go beyond it.
    int64_t jitter = seed <= 6 ? 3000 : 12000;
    std::vector<std::pair<int64_t, int64_t>> rows;
    for (int64_t n = 0; n < 500; ++n) rows.push_back({static_cast<int64_t>(rng() % 4), 100'000 + n * 50 + static_cast<int64_t>(rng() % jitter)});
    const int64_t delay = 5000;
    for (auto [size, slide] : {std::pair<int64_t, int64_t>{5000, 5000}, {10000, 2000}, {3000, 1000}}) {
      WindowSpec spec = size == slide ? WindowSpec{WindowKind::Tumble, size, 0, 0} : WindowSpec{WindowKind::Hop, size, slide, 0};
      uint64_t stream_late = 0, batch_late = 0;
      auto streamed = stream_counts(spec, rows, delay, stream_late);
      auto expected = batch_counts(size, slide, rows, delay, batch_late);
      CHECK(streamed == expected);
      CHECK(stream_late == batch_late);
      if (seed <= 6) CHECK(stream_late == 0);
    }
  }
}

TEST_CASE("group aggregate state returns to zero when every row is retracted", "[property][state]") {
  Schema in = kv();
  GroupAggregateConfig c;
  c.input = in;
  c.keys = {{"k", col(in, "k")}};
  AggregateCall count;
  count.kind = AggregateKind::CountStar;
  count.name = "n";
  c.aggregates = {count};
  GroupAggregateOperator op(std::move(c));
  std::vector<BatchPtr> out;
  uint64_t max_entries = 0;
  for (int64_t n = 0; n < 5000; ++n) {
    op.process(batch(2, {Row({i(n), i(1)}), Row({i(n + 1), i(1)})}), out);
    if (op.stats().state_entries != 2) FAIL("expected two live keys after the inserts of step " << n);
    op.process(batch(2, {Row(RowKind::Delete, {i(n), i(1)}), Row(RowKind::Delete, {i(n + 1), i(1)})}), out);
    max_entries = std::max(max_entries, op.stats().state_entries);
    out.clear();
  }
  CHECK(max_entries == 0);
  CHECK(op.stats().state_bytes == 0);
}
