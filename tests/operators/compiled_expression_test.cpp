// The operators driven by the real expression compiler (core/expr), with the
// seed pipelines' own SQL text, rather than the test doubles.
#include <catch2/catch.hpp>

#include "core/expr/binder.hpp"
#include "operators/group_aggregate.hpp"
#include "operators/upsert_materializer.hpp"
#include "pizza_fixture.hpp"

using namespace optest;
using namespace ananas::ops;
using ananas::expr::compile_expression;

namespace {

// Seed 01's chain with its WHERE clause compiled from SQL.
struct CompiledChain {
  UnnestOperator pizzas;
  UnnestOperator toppings;
  CalcOperator filter;
  CompiledChain()
      : pizzas(UnnestConfig{pizza_schema(), compile_expression("pizzas", pizza_schema()), {}, false, {}}),
        toppings(UnnestConfig{pizzas.output_schema(), compile_expression("additionalToppings", pizzas.output_schema()),
                              {"topping"}, false, {}}),
        filter(CalcConfig{toppings.output_schema(),
                          compile_expression("topping in ('🍍 pineapple', '🍓 strawberry','🍌 banana')",
                                             toppings.output_schema()),
                          std::nullopt, {}, {}}) {}
  std::vector<BatchPtr> run(const BatchPtr& input) {
    std::vector<BatchPtr> a, b, c;
    pizzas.process(input, a);
    for (auto& x : a) toppings.process(x, b);
    for (auto& x : b) filter.process(x, c);
    return c;
  }
};

}  // namespace

TEST_CASE("compiled SQL: seed 01's IN filter matches bytes exactly", "[compiled]") {
  CompiledChain chain;
  auto input = batch(4, {order(1, "Bo",
                               {pizza("P", {"🍍 pineapple", "🍍 Pineapple", "🍍 pineapple ", "🍓 strawberry"}),
                                row({s("Q"), arr({null(), s("🍌 banana")})})},
                               10)});
  CHECK(rows_of(chain.run(input)).size() == 3);
  std::vector<std::string> toppings;
  for (const auto& r : rows_of(chain.run(input))) toppings.push_back(r.substr(r.rfind(',') + 1));
  CHECK(toppings == std::vector<std::string>{"🍍 pineapple)", "🍓 strawberry)", "🍌 banana)"});
}

TEST_CASE("compiled SQL: seed 02 end to end reproduces the tutorial outputs", "[compiled]") {
  CompiledChain chain;
  const Schema& in = chain.filter.output_schema();
  GroupAggregateConfig gc;
  gc.input = in;
  gc.keys = {{"id", compile_expression("id", in)},
             {"name", compile_expression("name", in)},
             {"orderTimestamp", compile_expression("orderTimestamp", in)}};
  AggregateCall count;
  count.kind = AggregateKind::CountStar;
  count.name = "nr_bad_items";
  AggregateCall list;
  list.kind = AggregateKind::ListAgg;
  list.args = {compile_expression("topping", in)};
  list.name = "list_bad_items";
  gc.aggregates = {count, list};
  GroupAggregateOperator agg(gc);
  const Schema& a = agg.output_schema();
  CalcOperator having(CalcConfig{a, compile_expression("nr_bad_items > 3", a),
                                 std::vector<NamedExpr>{{"id", compile_expression("id", a)},
                                                        {"name", compile_expression("name", a)},
                                                        {"nr_bad_items", compile_expression("nr_bad_items", a)},
                                                        {"toppings", compile_expression("list_bad_items", a)},
                                                        {"orderTimestamp", compile_expression("orderTimestamp", a)}},
                                 {}, {}});
  UpsertMaterializerOperator sink(UpsertMaterializerConfig{having.output_schema(), {0}, {}});

  auto input = batch(4, {order(7, "Ann",
                               {pizza("A", {"🍍 pineapple", "🍓 strawberry"}),
                                pizza("B", {"🍍 pineapple", "🍌 banana", "🍍 pineapple"})},
                               120)});
  std::vector<BatchPtr> x, y, z;
  for (auto& b : chain.run(input)) agg.process(b, x);
  for (auto& b : x) having.process(b, y);
  for (auto& b : y) sink.process(b, z);
  CHECK(rows_of(z) == std::vector<std::string>{"+I(7,Ann,4,🍍 pineapple,🍓 strawberry,🍍 pineapple,🍌 banana,120)",
                                               "-D(7,Ann,4,🍍 pineapple,🍓 strawberry,🍍 pineapple,🍌 banana,120)",
                                               "+I(7,Ann,5,🍍 pineapple,🍓 strawberry,🍍 pineapple,🍌 banana,🍍 pineapple,120)"});
}

TEST_CASE("compiled SQL: an integer division by zero is a row error, not a crash", "[compiled]") {
  Schema s{{{"a", Type::integer()}, {"b", Type::integer()}}};
  std::vector<size_t> failed;
  CalcOperator op(CalcConfig{s, nullptr, std::vector<NamedExpr>{{"q", compile_expression("a / b", s)}},
                             [&](const RowError& e) { failed.push_back(e.row); }, {}});
  auto out = run(op, {batch(2, {Row({i(7), i(2)}), Row({i(1), i(0)}), Row({i(-7), i(2)})})});
  CHECK(out == std::vector<std::string>{"+I(3)", "+I(-3)"});
  CHECK(failed == std::vector<size_t>{1});
}
