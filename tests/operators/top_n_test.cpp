// Top-N on an insert-only input: the cases of Flink's TopNFunctionTestBase
// (AppendOnlyTopNFunction: with and without the row number, with an offset,
// without -U), Top-1 (FastTop1Function), the first N on processing time,
// snapshot/restore and rescale, and a property test against a batch
// recomputation of every partition's top.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <random>

#include "operators/top_n.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

// Flink's test rows: (category STRING, id BIGINT, sort INT), ranked by sort ascending.
TopNConfig config(int64_t start, int64_t end, bool rank_number, bool update_before = true) {
  TopNConfig c;
  c.input = Schema{{{"k", Type::string()}, {"id", Type::bigint()}, {"v", Type::integer()}}};
  c.partition_by = {0};
  c.order_by = {{2, false, true}};
  c.rank_start = start;
  c.rank_end = end;
  if (rank_number) c.rank_column = "rn";
  c.emit_update_before = update_before;
  return c;
}

std::vector<std::string> feed(TopNOperator& op, const std::vector<Row>& rows) {
  std::vector<BatchPtr> out;
  op.process(batch(3, rows), out);
  return rows_of(out);
}

Row r(const char* k, int64_t id, int64_t v) { return Row({s(k), i(id), i(v)}); }

}  // namespace

TEST_CASE("top_n: without the row number a row that enters is +I and the row it pushes out -D", "[top_n]") {
  TopNOperator op(config(1, 2, false));  // testConstantRankRangeWithoutOffset
  CHECK(feed(op, {r("book", 1, 12), r("book", 2, 19), r("book", 4, 11), r("fruit", 4, 33), r("fruit", 3, 44),
                  r("fruit", 5, 22)}) ==
        std::vector<std::string>{"+I(book,1,12)", "+I(book,2,19)", "-D(book,2,19)", "+I(book,4,11)", "+I(fruit,4,33)",
                                 "+I(fruit,3,44)", "-D(fruit,3,44)", "+I(fruit,5,22)"});
}

TEST_CASE("top_n: -D is sent even without update-before; ties keep arrival order and do not enter a full top", "[top_n]") {
  TopNOperator op(config(1, 2, false, false));  // testDisableGenerateUpdateBefore
  CHECK(feed(op, {r("book", 1, 12), r("book", 2, 19), r("book", 3, 19), r("book", 4, 11), r("book", 5, 11),
                  r("fruit", 4, 33), r("fruit", 3, 44), r("fruit", 5, 22)}) ==
        std::vector<std::string>{"+I(book,1,12)", "+I(book,2,19)", "-D(book,2,19)", "+I(book,4,11)", "-D(book,1,12)",
                                 "+I(book,5,11)", "+I(fruit,4,33)", "+I(fruit,3,44)", "-D(fruit,3,44)", "+I(fruit,5,22)"});
}

TEST_CASE("top_n: with the row number every moved row is -U/+U at its rank", "[top_n]") {
  const std::vector<Row> rows = {r("book", 1, 12), r("book", 2, 19), r("book", 4, 11), r("book", 5, 11),
                                 r("fruit", 4, 33), r("fruit", 3, 44), r("fruit", 5, 22)};
  TopNOperator op(config(1, 2, true));  // testOutputRankNumberWithConstantRankRange
  CHECK(feed(op, rows) == std::vector<std::string>{"+I(book,1,12,1)", "+I(book,2,19,2)", "-U(book,1,12,1)", "+U(book,4,11,1)",
                                                   "-U(book,2,19,2)", "+U(book,1,12,2)", "-U(book,1,12,2)", "+U(book,5,11,2)",
                                                   "+I(fruit,4,33,1)", "+I(fruit,3,44,2)", "-U(fruit,4,33,1)",
                                                   "+U(fruit,5,22,1)", "-U(fruit,3,44,2)", "+U(fruit,4,33,2)"});
  TopNOperator no_before(config(1, 2, true, false));  // testDisableGenerateUpdateBeforeAndOutputRankNumber
  CHECK(feed(no_before, rows) == std::vector<std::string>{"+I(book,1,12,1)", "+I(book,2,19,2)", "+U(book,4,11,1)",
                                                          "+U(book,1,12,2)", "+U(book,5,11,2)", "+I(fruit,4,33,1)",
                                                          "+I(fruit,3,44,2)", "+U(fruit,5,22,1)", "+U(fruit,4,33,2)"});
}

TEST_CASE("top_n: an offset emits only the ranks in range", "[top_n]") {
  TopNOperator op(config(2, 2, false));  // testConstantRankRangeWithOffset
  CHECK(feed(op, {r("book", 1, 12), r("book", 2, 19), r("book", 4, 11), r("fruit", 4, 33), r("fruit", 3, 44),
                  r("fruit", 5, 22)}) ==
        std::vector<std::string>{"+I(book,2,19)", "-U(book,2,19)", "+U(book,1,12)", "+I(fruit,3,44)", "-U(fruit,3,44)",
                                 "+U(fruit,4,33)"});
}

TEST_CASE("top_n: Top-1 replaces the kept row with a strictly better one (-U/+U), as FastTop1Function", "[top_n]") {
  TopNOperator op(config(1, 1, false));
  CHECK(feed(op, {r("book", 1, 12), r("book", 2, 19), r("book", 3, 12), r("book", 4, 11)}) ==
        std::vector<std::string>{"+I(book,1,12)", "-U(book,1,12)", "+U(book,4,11)"});
}

TEST_CASE("top_n: without an order every row ties: the first N to arrive (processing time ascending)", "[top_n]") {
  TopNConfig c = config(1, 2, true);
  c.order_by.clear();
  TopNOperator op(c);
  CHECK(feed(op, {r("book", 1, 12), r("book", 2, 19), r("book", 3, 1), r("fruit", 4, 33)}) ==
        std::vector<std::string>{"+I(book,1,12,1)", "+I(book,2,19,2)", "+I(fruit,4,33,1)"});
}

TEST_CASE("top_n: descending, NULLs last by default, NULLS FIRST when asked", "[top_n]") {
  TopNConfig c = config(1, 2, false);
  c.order_by = {{2, true, false}};
  TopNOperator op(c);
  CHECK(feed(op, {Row({s("a"), i(1), null()}), r("a", 2, 5), r("a", 3, 7)}) ==
        std::vector<std::string>{"+I(a,1,NULL)", "+I(a,2,5)", "-D(a,1,NULL)", "+I(a,3,7)"});
  c.order_by = {{2, true, true}};
  TopNOperator nulls_first(c);
  CHECK(feed(nulls_first, {r("a", 2, 5), r("a", 3, 7), Row({s("a"), i(1), null()})}) ==
        std::vector<std::string>{"+I(a,2,5)", "+I(a,3,7)", "-D(a,2,5)", "+I(a,1,NULL)"});
}

TEST_CASE("top_n: a snapshot restores each partition's top (rescale_test.cpp restores it at other parallelisms)", "[top_n][state]") {
  const TopNConfig c = config(1, 2, true);
  TopNOperator op(c);
  feed(op, {r("book", 1, 12), r("book", 2, 19), r("book", 4, 11), r("fruit", 4, 33)});
  StateWriter w;
  op.snapshot(w);
  TopNOperator restored(c);
  StateReader rd(w.data());
  restored.restore(rd);
  CHECK(restored.stats().state_entries == op.stats().state_entries);
  const std::vector<Row> more = {r("book", 7, 10), r("fruit", 8, 30), r("fruit", 9, 40)};
  TopNOperator reference(c);
  feed(reference, {r("book", 1, 12), r("book", 2, 19), r("book", 4, 11), r("fruit", 4, 33)});
  CHECK(feed(restored, more) == feed(reference, more));
}

TEST_CASE("property: applying a Top-N changelog gives each partition's top recomputed in batch", "[top_n][property]") {
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::mt19937 rng(seed);
    std::vector<std::tuple<int64_t, int64_t, int64_t>> raw;  // k, id, v in arrival order
    std::vector<Row> rows;
    for (int64_t n = 0; n < 300; ++n) {
      raw.emplace_back(static_cast<int64_t>(rng() % 5), n, static_cast<int64_t>(rng() % 40));
      rows.push_back(Row({i(std::get<0>(raw.back())), i(n), i(std::get<2>(raw.back()))}));
    }
    for (int64_t end : {1, 3}) {
      for (bool rank_number : {false, true}) {
        INFO("seed " << seed << " N " << end << " rank number " << rank_number);
        TopNConfig c;
        c.input = Schema{{{"k", Type::bigint()}, {"id", Type::bigint()}, {"v", Type::bigint()}}};
        c.partition_by = {0};
        c.order_by = {{2, true, false}};  // v DESC
        c.rank_end = end;
        if (rank_number) c.rank_column = "rn";
        TopNOperator op(c);
        std::vector<BatchPtr> out;
        for (size_t at = 0; at < rows.size(); at += 17)
          op.process(batch(3, std::vector<Row>(rows.begin() + static_cast<std::ptrdiff_t>(at),
                                               rows.begin() + static_cast<std::ptrdiff_t>(std::min(at + 17, rows.size())))),
                     out);
        // The changelog, applied: a multiset of rows (with their rank when output).
        std::multiset<std::vector<int64_t>> table;
        bool retractions_match = true;
        for (const auto& b : out)
          for (size_t x = 0; x < b->num_rows(); ++x) {
            std::vector<int64_t> row;
            for (size_t col = 0; col < b->num_columns(); ++col) row.push_back(b->at(x, col).as_int());
            if (b->kind(x) == RowKind::UpdateBefore || b->kind(x) == RowKind::Delete) {
              auto it = table.find(row);
              if (it == table.end()) retractions_match = false;
              else table.erase(it);
            } else if (b->kind(x) == RowKind::UpdateAfter && rank_number) {
              // +U replaces the row of the same partition and rank (upsert on (k, rn)).
              for (auto it = table.begin(); it != table.end(); ++it)
                if ((*it)[0] == row[0] && (*it)[3] == row[3]) {
                  table.erase(it);
                  break;
                }
              table.insert(row);
            } else if (b->kind(x) == RowKind::UpdateAfter) {
              for (auto it = table.begin(); it != table.end(); ++it)  // Top-1: one row per partition
                if ((*it)[0] == row[0]) {
                  table.erase(it);
                  break;
                }
              table.insert(row);
            } else {
              table.insert(row);
            }
          }
        CHECK(retractions_match);
        // Batch: each partition's rows sorted by v DESC, ties in arrival order, the first N.
        std::multiset<std::vector<int64_t>> expected;
        for (int64_t k = 0; k < 5; ++k) {
          std::vector<std::tuple<int64_t, int64_t, int64_t>> part;
          for (const auto& t : raw)
            if (std::get<0>(t) == k) part.push_back(t);
          std::stable_sort(part.begin(), part.end(), [](const auto& a, const auto& b) { return std::get<2>(a) > std::get<2>(b); });
          for (size_t n = 0; n < part.size() && static_cast<int64_t>(n) < end; ++n) {
            std::vector<int64_t> row{std::get<0>(part[n]), std::get<1>(part[n]), std::get<2>(part[n])};
            if (rank_number) row.push_back(static_cast<int64_t>(n) + 1);
            expected.insert(row);
          }
        }
        CHECK(table == expected);
      }
    }
  }
}
