// Deduplication: keep first / keep last on processing and event time, as
// Flink's deduplicate functions decide; snapshot/restore; and a property test
// against a brute-force choice of each key's row.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "operators/deduplicate.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

Schema kvt() {
  return Schema{{{"k", Type::integer()}, {"v", Type::integer()}, {"t", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)}}};
}

DeduplicateConfig config(bool event_time, bool keep_last, bool update_before = true) {
  DeduplicateConfig c;
  c.input = kvt();
  c.partition_by = {0};
  if (event_time) c.time_column = 2;
  c.keep_last = keep_last;
  c.emit_update_before = update_before;
  return c;
}

std::vector<std::string> feed(DeduplicateOperator& op, const std::vector<Row>& rows) {
  std::vector<BatchPtr> out;
  op.process(batch(3, rows), out);
  return rows_of(out);
}

const std::vector<Row> kRows = {Row({i(1), i(10), i(5000)}), Row({i(1), i(20), i(3000)}), Row({i(1), i(30), i(5000)}),
                                Row({i(2), i(40), i(1000)})};

}  // namespace

TEST_CASE("dedup: keep first on processing time emits each key's first row only", "[dedup]") {
  DeduplicateOperator op(config(false, false));
  CHECK(feed(op, kRows) == std::vector<std::string>{"+I(1,10,5000)", "+I(2,40,1000)"});
}

TEST_CASE("dedup: keep last on processing time replaces on every row", "[dedup]") {
  DeduplicateOperator op(config(false, true));
  CHECK(feed(op, kRows) == std::vector<std::string>{"+I(1,10,5000)", "-U(1,10,5000)", "+U(1,20,3000)", "-U(1,20,3000)",
                                                    "+U(1,30,5000)", "+I(2,40,1000)"});
}

TEST_CASE("dedup: keep first on event time takes an earlier row that arrives later", "[dedup]") {
  DeduplicateOperator op(config(true, false));
  CHECK(feed(op, kRows) == std::vector<std::string>{"+I(1,10,5000)", "-U(1,10,5000)", "+U(1,20,3000)", "+I(2,40,1000)"});
}

TEST_CASE("dedup: keep last on event time takes the same or a later time, without -U when not needed", "[dedup]") {
  DeduplicateOperator op(config(true, true, false));
  CHECK(feed(op, kRows) == std::vector<std::string>{"+I(1,10,5000)", "+U(1,30,5000)", "+I(2,40,1000)"});
}

TEST_CASE("dedup: a NULL rowtime is a row error, a snapshot restores the kept rows", "[dedup][state]") {
  DeduplicateConfig c = config(true, false);
  std::vector<std::string> errors;
  c.on_row_error = [&](const RowError& e) { errors.push_back(e.message); };
  DeduplicateOperator op(c);
  feed(op, {Row({i(1), i(10), i(5000)}), Row({i(1), i(11), null()})});
  CHECK(errors.size() == 1);
  StateWriter w;
  op.snapshot(w);
  DeduplicateOperator restored(c);
  StateReader r(w.data());
  restored.restore(r);
  CHECK(restored.stats().state_entries == 1);
  CHECK(feed(restored, {Row({i(1), i(12), i(6000)}), Row({i(1), i(13), i(4000)})}) ==
        std::vector<std::string>{"-U(1,10,5000)", "+U(1,13,4000)"});
}

TEST_CASE("property: the changelog of a deduplication ends in each key's row chosen by brute force", "[dedup][property]") {
  for (uint32_t seed = 1; seed <= 8; ++seed) {
    std::mt19937 rng(seed);
    std::vector<Row> rows;
    std::vector<std::tuple<int64_t, int64_t, int64_t>> raw;  // k, v, t in arrival order
    for (int64_t n = 0; n < 400; ++n) {
      raw.emplace_back(static_cast<int64_t>(rng() % 7), n, static_cast<int64_t>(rng() % 50) * 10);
      rows.push_back(Row({i(std::get<0>(raw.back())), i(n), i(std::get<2>(raw.back()))}));
    }
    for (bool event_time : {false, true})
      for (bool keep_last : {false, true}) {
        INFO("seed " << seed << " event_time " << event_time << " keep_last " << keep_last);
        // By definition: ROW_NUMBER() = 1 in the order (time, arrival) ASC or DESC; processing time is arrival.
        std::map<int64_t, std::pair<int64_t, int64_t>> chosen;  // k -> (v, t)
        for (const auto& [k, v, t] : raw) {
          auto it = chosen.find(k);
          const bool take = it == chosen.end() ||
                            (event_time ? (keep_last ? t >= it->second.second : t < it->second.second) : keep_last);
          if (take) chosen[k] = {v, t};
        }
        DeduplicateOperator op(config(event_time, keep_last));
        std::vector<BatchPtr> out;
        for (size_t at = 0; at < rows.size(); at += 13)
          op.process(batch(3, std::vector<Row>(rows.begin() + static_cast<std::ptrdiff_t>(at),
                                               rows.begin() + static_cast<std::ptrdiff_t>(std::min(at + 13, rows.size())))),
                     out);
        std::map<int64_t, std::pair<int64_t, int64_t>> table;
        bool retractions_match = true;
        for (const auto& b : out)
          for (size_t r = 0; r < b->num_rows(); ++r) {
            const int64_t k = b->at(r, 0).as_int();
            const std::pair<int64_t, int64_t> row{b->at(r, 1).as_int(), b->at(r, 2).as_int()};
            if (b->kind(r) == RowKind::UpdateBefore) {
              retractions_match = retractions_match && table.count(k) && table[k] == row;
              table.erase(k);
            } else {
              table[k] = row;
            }
          }
        CHECK(retractions_match);
        CHECK(table == chosen);
        if (!event_time && !keep_last) CHECK(out.size() <= rows.size());
      }
  }
}
