#include <catch2/catch.hpp>

#include "operators/group_aggregate.hpp"
#include "operators/upsert_materializer.hpp"
#include "pizza_fixture.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

// Seed 02's aggregate: GROUP BY id, name, orderTimestamp; COUNT(*), LISTAGG(topping).
GroupAggregateConfig seed02_aggregate(const Schema& in, bool update_before = true) {
  GroupAggregateConfig c;
  c.input = in;
  c.keys = {{"id", col(in, "id")}, {"name", col(in, "name")}, {"orderTimestamp", col(in, "orderTimestamp")}};
  AggregateCall count;
  count.kind = AggregateKind::CountStar;
  count.name = "nr_bad_items";
  AggregateCall list;
  list.kind = AggregateKind::ListAgg;
  list.args = {col(in, "topping")};
  list.name = "list_bad_items";
  c.aggregates = {count, list};
  c.emit_update_before = update_before;
  return c;
}

// The five-topping order: 02 writes value, tombstone, value (Flink: SinkUpsertMaterializer).
BatchPtr five_topping_order(int64_t at) {
  return batch(4, {order(7, "Ann",
                         {pizza("A", {"🍍 pineapple", "🍓 strawberry"}),
                          pizza("B", {"🍍 pineapple", "🍌 banana", "🍍 pineapple"})},
                         at)});
}

std::vector<std::string> counts_only(const std::vector<std::string>& rows) {
  // "+U(7,Ann,123,4,...)" → "+U(4)"
  std::vector<std::string> out;
  for (const auto& r : rows) {
    size_t p = 0;
    for (int comma = 0; comma < 3; ++comma) p = r.find(',', p) + 1;
    out.push_back(r.substr(0, 3) + r.substr(p, r.find(',', p) - p) + ")");
  }
  return out;
}

}  // namespace

TEST_CASE("one record with five matching toppings emits +I(1) then -U/+U pairs up to 5", "[group_aggregate]") {
  ToppingChain chain;
  GroupAggregateOperator agg(seed02_aggregate(chain.output_schema()));
  CHECK(agg.output_schema().names() ==
        std::vector<std::string>{"id", "name", "orderTimestamp", "nr_bad_items", "list_bad_items"});
  CHECK(agg.output_schema()[3].type == Type::bigint().with_nullable(false));
  auto rows = run(agg, chain.run(five_topping_order(1000)));
  CHECK(counts_only(rows) == std::vector<std::string>{"+I(1)", "-U(1)", "+U(2)", "-U(2)", "+U(3)", "-U(3)", "+U(4)",
                                                      "-U(4)", "+U(5)"});
  CHECK(rows.back() == "+U(7,Ann,1000,5,🍍 pineapple,🍓 strawberry,🍍 pineapple,🍌 banana,🍍 pineapple)");
}

TEST_CASE("group aggregate without UPDATE_BEFORE emits only +U", "[group_aggregate]") {
  ToppingChain chain;
  GroupAggregateOperator agg(seed02_aggregate(chain.output_schema(), false));
  auto rows = run(agg, chain.run(five_topping_order(1000)));
  CHECK(counts_only(rows) == std::vector<std::string>{"+I(1)", "+U(2)", "+U(3)", "+U(4)", "+U(5)"});
}

TEST_CASE("aggregate → HAVING count > 3 → materializer gives value, tombstone, value", "[group_aggregate]") {
  ToppingChain chain;
  GroupAggregateOperator agg(seed02_aggregate(chain.output_schema()));
  const Schema& a = agg.output_schema();
  auto more_than_three = fn(Type::boolean(), [](const Value* row, expr::EvalContext&) {
    return Value::boolean(row[3].as_int() > 3);
  });
  // HAVING plus the SELECT-list order of the INSERT: id, name, count, LISTAGG, orderTimestamp.
  CalcOperator having(CalcConfig{a, more_than_three,
                                 std::vector<NamedExpr>{{"id", col(a, "id")},
                                                        {"name", col(a, "name")},
                                                        {"nr_bad_items", col(a, "nr_bad_items")},
                                                        {"toppings", col(a, "list_bad_items")},
                                                        {"orderTimestamp", col(a, "orderTimestamp")}},
                                 {}, {}});
  UpsertMaterializerOperator materializer(UpsertMaterializerConfig{having.output_schema(), {0}, {}});

  int64_t at = ts("2023-01-01 10:00:00.120");
  std::vector<BatchPtr> aggregated, filtered, written;
  for (auto& b : chain.run(five_topping_order(at))) agg.process(b, aggregated);
  for (auto& b : aggregated) having.process(b, filtered);
  auto having_rows = rows_of(filtered);
  REQUIRE(having_rows.size() == 3);
  CHECK(having_rows[0].rfind("+U(7,Ann,4,", 0) == 0);
  CHECK(having_rows[1].rfind("-U(7,Ann,4,", 0) == 0);
  CHECK(having_rows[2].rfind("+U(7,Ann,5,", 0) == 0);
  for (auto& b : filtered) materializer.process(b, written);
  std::string t = std::to_string(at);
  CHECK(rows_of(written) ==
        std::vector<std::string>{"+I(7,Ann,4,🍍 pineapple,🍓 strawberry,🍍 pineapple,🍌 banana," + t + ")",
                                 "-D(7,Ann,4,🍍 pineapple,🍓 strawberry,🍍 pineapple,🍌 banana," + t + ")",
                                 "+I(7,Ann,5,🍍 pineapple,🍓 strawberry,🍍 pineapple,🍌 banana,🍍 pineapple," + t + ")"});
  // The key's list holds the one live row.
  CHECK(materializer.stats().state_entries == 1);
}

TEST_CASE("group aggregate consumes a changelog: retractions update, the last one deletes and frees", "[group_aggregate]") {
  Schema in{{{"k", Type::string()}, {"v", Type::integer()}}};
  GroupAggregateConfig c;
  c.input = in;
  c.keys = {{"k", col(in, "k")}};
  AggregateCall sum;
  sum.kind = AggregateKind::Sum;
  sum.args = {col(in, "v")};
  sum.name = "total";
  c.aggregates = {sum};
  GroupAggregateOperator agg(std::move(c));
  auto out = run(agg, {batch(2, {Row({s("a"), i(5)}),
                                 Row({s("a"), i(0)}),  // result unchanged: nothing
                                 Row(RowKind::UpdateBefore, {s("a"), i(5)}),
                                 Row(RowKind::UpdateAfter, {s("a"), i(6)}),
                                 Row(RowKind::Delete, {s("zz"), i(1)}),  // unknown key: ignored
                                 Row(RowKind::Delete, {s("a"), i(0)}),
                                 Row(RowKind::Delete, {s("a"), i(6)})})});
  CHECK(out == std::vector<std::string>{"+I(a,5)", "-U(a,5)", "+U(a,0)", "-U(a,0)", "+U(a,6)", "-D(a,6)"});
  CHECK(agg.stats().state_entries == 0);
}

TEST_CASE("group aggregate FILTER clause and failing rows", "[group_aggregate]") {
  Schema in{{{"k", Type::integer()}, {"v", Type::integer()}}};
  GroupAggregateConfig c;
  c.input = in;
  c.keys = {{"k", col(in, "k")}};
  AggregateCall big;
  big.kind = AggregateKind::CountStar;
  big.name = "big";
  big.filter = fn(Type::boolean(), [](const Value* row, expr::EvalContext&) {
    if (row[1].as_int() < 0) throw expr::EvalError("negative");
    return Value::boolean(row[1].as_int() > 10);
  });
  c.aggregates = {big};
  std::vector<size_t> failed;
  c.on_row_error = [&](const RowError& e) { failed.push_back(e.row); };
  GroupAggregateOperator agg(std::move(c));
  auto out = run(agg, {batch(2, {Row({i(1), i(50)}), Row({i(1), i(-1)}), Row({i(1), i(5)}), Row({i(1), i(11)})})});
  CHECK(out == std::vector<std::string>{"+I(1,1)", "-U(1,1)", "+U(1,2)"});
  CHECK(failed == std::vector<size_t>{1});
}

TEST_CASE("group aggregate restore(snapshot()) continues exactly", "[group_aggregate][restore]") {
  ToppingChain chain;
  auto first = chain.run(five_topping_order(1000));
  auto second = chain.run(five_topping_order(1000));  // same key again: counts 6..10

  GroupAggregateOperator uninterrupted(seed02_aggregate(chain.output_schema()));
  run(uninterrupted, first);
  auto expected = run(uninterrupted, second);

  GroupAggregateOperator before(seed02_aggregate(chain.output_schema()));
  run(before, first);
  StateWriter w;
  before.snapshot(w);
  GroupAggregateOperator after(seed02_aggregate(chain.output_schema()));
  StateReader r(w.data());
  after.restore(r);
  CHECK(r.at_end());
  CHECK(run(after, second) == expected);
  CHECK(counts_only(expected).back() == "+U(10)");
}
