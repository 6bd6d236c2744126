// Keyed state moves between parallelisms: a keyed operator runs at
// parallelism 2, is checkpointed into a CheckpointStore, restored at
// parallelism 3 (and 1), and the rest of the input gives per key exactly what
// an uninterrupted single instance gives. Rows are routed the way the worker
// routes them (key group of the key columns, core/key_group.hpp).
#include <catch2/catch.hpp>

#include <functional>
#include <map>

#include "core/key_group.hpp"
#include "operators/checkpoint_store.hpp"
#include "operators/group_aggregate.hpp"
#include "operators/over_aggregate.hpp"
#include "operators/top_n.hpp"
#include "operators/window_top_n.hpp"
#include "operators/upsert_materializer.hpp"
#include "operators/session_window_aggregate.hpp"
#include "operators/window_aggregate.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

using PerKey = std::map<std::string, std::vector<std::string>>;  // output rows by their first column

struct Instances {
  std::vector<OperatorPtr> ops;
  std::vector<size_t> key_columns;
  PerKey out;

  void collect(std::vector<BatchPtr>& batches) {
    for (const auto& b : batches)
      for (size_t r = 0; r < b->num_rows(); ++r) out[show(b->at(r, 0))].push_back(show_row(*b, r));
    batches.clear();
  }
  void process(const BatchPtr& input) {
    std::vector<std::shared_ptr<Batch>> parts(ops.size());
    for (size_t r = 0; r < input->num_rows(); ++r) {
      const auto p = static_cast<uint32_t>(ops.size());
      auto& part = parts[instance_of_key_group(key_group_of_row(input->row(r), key_columns, kDefaultKeyGroups), p,
                                               kDefaultKeyGroups)];
      if (!part) {
        part = std::make_shared<Batch>(input->num_columns());
        part->retain(input);
      }
      part->append_row(input->row(r), input->kind(r));
    }
    std::vector<BatchPtr> produced;
    for (size_t i = 0; i < ops.size(); ++i)
      if (parts[i]) ops[i]->process(parts[i], produced);
    collect(produced);
  }
  void watermark(int64_t wm) {
    std::vector<BatchPtr> produced;
    for (auto& op : ops) op->on_watermark(wm, produced);
    collect(produced);
  }
};

struct Step {
  BatchPtr batch;        // or a watermark when null
  int64_t watermark = 0;
};

// Runs `before` at parallelism `from`, checkpoints, restores at `to`, runs
// `after`; checks the result per key against one uninterrupted instance.
// Returns how many keys' results were compared.
size_t check_rescale(const std::function<OperatorPtr()>& make, const std::vector<size_t>& key_columns,
                   const std::vector<Step>& before, const std::vector<Step>& after, uint32_t from, uint32_t to) {
  auto run = [](Instances& in, const std::vector<Step>& steps) {
    for (const auto& s : steps) s.batch ? in.process(s.batch) : in.watermark(s.watermark);
  };
  Instances whole{{}, key_columns, {}};
  whole.ops.push_back(make());
  run(whole, before);
  run(whole, after);

  Instances old{{}, key_columns, {}};
  for (uint32_t i = 0; i < from; ++i) old.ops.push_back(make());
  run(old, before);
  CheckpointStore store;
  for (uint32_t i = 0; i < from; ++i) {
    StateWriter w;
    old.ops[i]->snapshot(w);
    store.add("agg", i, from, w.data());
  }
  CHECK(store.size() == from);

  Instances now{{}, key_columns, std::move(old.out)};
  uint64_t entries = 0;
  for (uint32_t i = 0; i < to; ++i) {
    now.ops.push_back(make());
    now.ops.back()->set_partition_key(key_columns);
    CHECK(store.restore("agg", *now.ops.back(), i, to));
    entries += now.ops.back()->stats().state_entries;
  }
  uint64_t old_entries = 0;
  for (const auto& op : old.ops) old_entries += op->stats().state_entries;
  CHECK(entries == old_entries);  // every entry restored exactly once
  run(now, after);
  CHECK(now.out == whole.out);
  return now.out.size();
}

Schema kv() { return Schema{{{"k", Type::string()}, {"v", Type::integer()}}}; }

std::vector<Row> rows_for(int from, int to, RowKind kind = RowKind::Insert) {
  std::vector<Row> rows;
  for (int n = from; n < to; ++n) rows.emplace_back(kind, std::vector<Cell>{s("k" + std::to_string(n % 23)), i(n)});
  return rows;
}

}  // namespace

TEST_CASE("group aggregate state taken at parallelism 2 restores at 3 and at 1", "[rescale]") {
  auto make = [] {
    AggregateCall count{AggregateKind::CountStar, {}, nullptr, false, "c"};
    AggregateCall sum{AggregateKind::Sum, {col(kv(), "v")}, nullptr, false, "s"};
    AggregateCall list{AggregateKind::ListAgg, {col(kv(), "k")}, nullptr, false, "l"};
    return std::make_unique<GroupAggregateOperator>(
        GroupAggregateConfig{kv(), {{"k", col(kv(), "k")}}, {count, sum, list}, true, {}});
  };
  std::vector<Step> before = {{batch(2, rows_for(0, 60)), 0}, {batch(2, rows_for(10, 20, RowKind::Delete)), 0}};
  std::vector<Step> after = {{batch(2, rows_for(60, 130)), 0}, {batch(2, rows_for(0, 40, RowKind::UpdateBefore)), 0}};
  CHECK(check_rescale(make, {0}, before, after, 2, 3) > 0);
  CHECK(check_rescale(make, {0}, before, after, 2, 1) > 0);
  CHECK(check_rescale(make, {0}, before, after, 3, 2) > 0);
}

TEST_CASE("window aggregate panes and watermark restore at another parallelism", "[rescale]") {
  Schema in{{{"k", Type::string()}, {"v", Type::integer()}, {"t", Type::timestamp(3)}}};
  auto make = [in] {
    WindowAggregateConfig c;
    c.input = in;
    c.time_column = 2;
    c.window = {WindowKind::Hop, 3000, 1000, 0};
    c.keys = {{"k", col(in, "k")}};
    c.aggregates = {AggregateCall{AggregateKind::Sum, {col(in, "v")}, nullptr, false, "s"}};
    return std::make_unique<WindowAggregateOperator>(c);
  };
  auto rows = [](int from, int to) {
    std::vector<Row> out;
    for (int n = from; n < to; ++n) out.push_back(Row({s("k" + std::to_string(n % 17)), i(n), i(n * 100)}));
    return batch(3, out);
  };
  // The watermark before the checkpoint must survive it: rows behind it stay late.
  std::vector<Step> before = {{rows(0, 40), 0}, {nullptr, 2999}, {rows(40, 55), 0}};
  std::vector<Step> after = {{rows(5, 12), 0}, {rows(55, 90), 0}, {nullptr, 6999}, {nullptr, 20000}};
  CHECK(check_rescale(make, {0}, before, after, 2, 3) > 0);
  CHECK(check_rescale(make, {0}, before, after, 2, 1) > 0);
}

TEST_CASE("session windows and the watermark restore at another parallelism, open sessions still merging", "[rescale]") {
  Schema in{{{"k", Type::string()}, {"v", Type::integer()}, {"t", Type::timestamp(3)}}};
  auto make = [in] {
    WindowAggregateConfig c;
    c.input = in;
    c.time_column = 2;
    c.window = {WindowKind::Session, 250, 0, 0};
    c.keys = {{"k", col(in, "k")}};
    c.aggregates = {AggregateCall{AggregateKind::Sum, {col(in, "v")}, nullptr, false, "s"},
                    AggregateCall{AggregateKind::Count, {col(in, "v")}, nullptr, true, "d"}};
    return std::make_unique<SessionWindowAggregateOperator>(c);
  };
  // Key n % 7 gets a row every 700 ms (its own session each, gap 250 ms); after the restore, rows 220 ms after
  // open sessions extend them and rows at +200 ms bridge two restored sessions; early rows are late.
  auto rows = [](int from, int to, int shift) {
    std::vector<Row> out;
    for (int n = from; n < to; ++n) out.push_back(Row({s("k" + std::to_string(n % 7)), i(n % 5), i(n / 7 * 700 + shift)}));
    return batch(3, out);
  };
  std::vector<Step> before = {{rows(0, 42, 0), 0}, {nullptr, 1999}, {rows(0, 42, 300), 0}};
  std::vector<Step> after = {{rows(0, 42, 520), 0}, {rows(21, 42, 200), 0}, {nullptr, 2999}, {nullptr, 20000}};
  CHECK(check_rescale(make, {0}, before, after, 2, 3) > 0);
  CHECK(check_rescale(make, {0}, before, after, 2, 1) > 0);
}

TEST_CASE("over aggregate partitions, waiting rows, frames and the watermark restore at another parallelism", "[rescale]") {
  Schema in{{{"k", Type::string()}, {"v", Type::integer()}, {"t", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)}}};
  for (const auto& [unit, preceding] : std::vector<std::pair<OverFrameUnit, std::optional<int64_t>>>{
           {OverFrameUnit::Rows, 2}, {OverFrameUnit::Range, 1500}, {OverFrameUnit::Range, std::nullopt}}) {
    auto make = [in, unit = unit, preceding = preceding] {
      OverAggregateConfig c;
      c.input = in;
      c.partition_by = {0};
      c.time_column = 2;
      c.unit = unit;
      c.preceding = preceding;
      c.aggregates = {AggregateCall{AggregateKind::Sum, {col(in, "v")}, nullptr, false, "s"},
                      AggregateCall{AggregateKind::Max, {col(in, "v")}, nullptr, false, "m"}};
      return std::make_unique<OverAggregateOperator>(c);
    };
    auto rows = [](int from, int to) {
      std::vector<Row> out;
      for (int n = from; n < to; ++n) out.push_back(Row({s("k" + std::to_string(n % 17)), i(n), i(1000 + n / 3 * 100)}));
      return batch(3, out);
    };
    // Rows 40-54 wait across the checkpoint; rows 5-11 come after it, behind the watermark.
    std::vector<Step> before = {{rows(0, 40), 0}, {nullptr, 2299}, {rows(40, 55), 0}};
    std::vector<Step> after = {{rows(5, 12), 0}, {rows(55, 90), 0}, {nullptr, 3999}, {nullptr, 20000}};
    CHECK(check_rescale(make, {0}, before, after, 2, 3) > 0);
    CHECK(check_rescale(make, {0}, before, after, 2, 1) > 0);
  }
}

TEST_CASE("upsert materializer rows per key restore at another parallelism", "[rescale]") {
  auto make = [] { return std::make_unique<UpsertMaterializerOperator>(UpsertMaterializerConfig{kv(), {0}, {}}); };
  std::vector<Step> before = {{batch(2, rows_for(0, 50)), 0}, {batch(2, rows_for(0, 10, RowKind::UpdateBefore)), 0}};
  std::vector<Step> after = {{batch(2, rows_for(10, 30, RowKind::Delete)), 0}, {batch(2, rows_for(50, 80)), 0}};
  CHECK(check_rescale(make, {0}, before, after, 2, 3) > 0);
  CHECK(check_rescale(make, {0}, before, after, 2, 1) > 0);
}

TEST_CASE("a partition key narrower than the state key still moves each entry with its rows", "[rescale]") {
  // GROUP BY (k, b) partitioned by k alone (a pipeline's explicit `key`): the
  // entry's group is its partition key's, which the state key cannot tell.
  Schema in{{{"k", Type::string()}, {"b", Type::integer()}, {"v", Type::integer()}}};
  auto make = [in] {
    auto op = std::make_unique<GroupAggregateOperator>(GroupAggregateConfig{
        in, {{"k", col(in, "k")}, {"b", col(in, "b")}}, {AggregateCall{AggregateKind::Sum, {col(in, "v")}, nullptr, false, "s"}},
        true, {}});
    op->set_partition_key({0});
    return op;
  };
  auto rows = [](int from, int to) {
    std::vector<Row> out;
    for (int n = from; n < to; ++n) out.push_back(Row({s("k" + std::to_string(n % 11)), i(n % 3), i(n)}));
    return batch(3, out);
  };
  CHECK(check_rescale(make, {0}, {{rows(0, 70), 0}}, {{rows(70, 140), 0}}, 2, 3) > 0);
}

TEST_CASE("the checkpoint store refuses incomplete or inconsistent checkpoints", "[rescale][restore]") {
  auto make = [] { return std::make_unique<UpsertMaterializerOperator>(UpsertMaterializerConfig{kv(), {0}, {}}); };
  auto a = make(), b = make();
  std::vector<BatchPtr> out;
  a->process(batch(2, rows_for(0, 10)), out);
  StateWriter wa, wb;
  a->snapshot(wa);
  b->snapshot(wb);

  CheckpointStore partial;
  partial.add("sink", 0, 2, wa.data());
  auto op = make();
  CHECK_THROWS_WITH(partial.restore("sink", *op, 0, 3), Catch::Contains("operator 'sink'") && Catch::Contains("1 of its 2"));
  CHECK_FALSE(partial.restore("other", *op, 0, 1));  // nothing stored for it: a fresh start

  CheckpointStore twice;
  twice.add("sink", 0, 2, wa.data());
  CHECK_THROWS_AS(twice.add("sink", 1, 2, wa.data()), CorruptState);  // both claim the same key groups
  CHECK_THROWS_AS(twice.add("sink", 0, 2, wb.data()), CorruptState);  // instance 0 twice
  CHECK_THROWS_AS(twice.add("sink", 1, 3, wb.data()), CorruptState);  // another parallelism
  CHECK_THROWS_WITH(twice.add("x", 0, 1, "garbage"), Catch::Contains("operator 'x'"));
}

TEST_CASE("top_n partitions restore at another parallelism and go on ranking as one instance", "[rescale]") {
  auto make = [] {
    TopNConfig c;
    c.input = kv();
    c.partition_by = {0};
    c.order_by = {{1, true, false}};
    c.rank_end = 3;
    c.rank_column = "rn";
    return std::make_unique<TopNOperator>(c);
  };
  // v = n * 7 % 101: each key's values rise and fall, so later rows both enter the top and miss it.
  auto rows = [](int from, int to) {
    std::vector<Row> out;
    for (int n = from; n < to; ++n) out.emplace_back(std::vector<Cell>{s("k" + std::to_string(n % 23)), i(n * 7 % 101)});
    return out;
  };
  std::vector<Step> before = {{batch(2, rows(0, 90)), 0}};
  std::vector<Step> after = {{batch(2, rows(90, 200)), 0}};
  CHECK(check_rescale(make, {0}, before, after, 2, 3) > 0);
  CHECK(check_rescale(make, {0}, before, after, 2, 1) > 0);
  CHECK(check_rescale(make, {0}, before, after, 3, 2) > 0);
}

TEST_CASE("window_top_n windows and watermark restore at another parallelism", "[rescale]") {
  auto make = [] {
    WindowTopNConfig c;
    c.input = Schema{{{"k", Type::string()}, {"v", Type::integer()}, {"ws", Type::timestamp(3)}, {"we", Type::timestamp(3)}}};
    c.window_start = 2;
    c.window_end = 3;
    c.partition_by = {0};
    c.order_by = {{1, true, false}};
    c.rank_end = 2;
    c.rank_column = "rn";
    return std::make_unique<WindowTopNOperator>(c);
  };
  auto rows = [](int from, int to) {
    std::vector<Row> out;
    for (int n = from; n < to; ++n)
      out.emplace_back(std::vector<Cell>{s("k" + std::to_string(n % 23)), i(n * 7 % 101), i(n / 50 * 1000), i(n / 50 * 1000 + 1000)});
    return out;
  };
  std::vector<Step> before = {{batch(4, rows(0, 80)), 0}, {nullptr, 999}};
  std::vector<Step> after = {{batch(4, rows(80, 200)), 0}, {nullptr, 10000}};
  CHECK(check_rescale(make, {0}, before, after, 2, 3) > 0);
  CHECK(check_rescale(make, {0}, before, after, 2, 1) > 0);
}
