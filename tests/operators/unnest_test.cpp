#include <catch2/catch.hpp>

#include "pizza_fixture.hpp"

using namespace optest;
using namespace ananas::ops;

TEST_CASE("two UNNESTs and the IN filter give the two matching toppings in order", "[unnest]") {
  ToppingChain chain;
  int64_t at = ts("2023-01-01 10:00:00.120");
  auto input = batch(4, {order(7, "Ann",
                               {pizza("Marinara", {"🍌 banana", "🧅 onion"}),
                                row({s("Diavola"), null()}),
                                pizza("Margherita", {"🍍 pineapple"})},
                               at)});
  // The projection the planner adds for 01's INSERT: id, name, topping, orderTimestamp.
  const Schema& s = chain.output_schema();
  CalcOperator project(CalcConfig{s, nullptr,
                                  std::vector<NamedExpr>{{"id", col(s, "id")},
                                                         {"name", col(s, "name")},
                                                         {"topping", col(s, "topping")},
                                                         {"orderTimestamp", col(s, "orderTimestamp")}},
                                  {}, {}});
  std::vector<BatchPtr> out;
  for (auto& b : chain.run(input)) project.process(b, out);
  CHECK(rows_of(out) == std::vector<std::string>{"+I(7,Ann,🍌 banana," + std::to_string(at) + ")",
                                                 "+I(7,Ann,🍍 pineapple," + std::to_string(at) + ")"});
  CHECK(project.output_schema().names() == std::vector<std::string>{"id", "name", "topping", "orderTimestamp"});
}

TEST_CASE("UNNEST output schema: input columns, then ROW fields or the aliased scalar", "[unnest]") {
  ToppingChain chain;
  CHECK(chain.pizzas.output_schema().names() ==
        std::vector<std::string>{"id", "name", "pizzas", "orderTimestamp", "pizzaName", "additionalToppings"});
  CHECK(chain.toppings.output_schema().names().back() == "topping");
  CHECK(chain.toppings.output_schema().columns.back().type == Type::string());
  // The rowtime attribute survives the correlate (Flink: UnnestRowsFunction).
  CHECK(chain.toppings.output_schema()[3].type.time_attr == TimeAttr::Rowtime);
}

TEST_CASE("UNNEST: NULL or empty arrays give no rows, NULL elements and duplicates are kept", "[unnest]") {
  Schema schema{{{"k", Type::integer()}, {"xs", Type::array(Type::string())}}};
  UnnestOperator op(UnnestConfig{schema, col(schema, "xs"), {"x"}, false, {}});
  auto out = run(op, {batch(2, {Row({i(1), null()}),
                                Row({i(2), arr({})}),
                                Row({i(3), arr({s("a"), null(), s("a")})}),
                                Row(RowKind::Delete, {i(4), arr({s("z")})})})});
  CHECK(out == std::vector<std::string>{"+I(3,[a,NULL,a],a)", "+I(3,[a,NULL,a],NULL)", "+I(3,[a,NULL,a],a)",
                                        "-D(4,[z],z)"});
}

TEST_CASE("UNNEST: a NULL ROW element yields all-NULL fields", "[unnest]") {
  Schema schema = pizza_schema();
  UnnestOperator op(UnnestConfig{schema, col(schema, "pizzas"), {}, false, {}});
  auto out = run(op, {batch(4, {order(1, "A", {null()}, 5)})});
  REQUIRE(out.size() == 1);
  CHECK(out[0] == "+I(1,A,[NULL],5,NULL,NULL)");
}

TEST_CASE("UNNEST WITH ORDINALITY numbers elements from 1", "[unnest]") {
  Schema schema{{{"xs", Type::array(Type::integer())}}};
  UnnestOperator op(UnnestConfig{schema, col(schema, "xs"), {"x", "n"}, true, {}});
  CHECK(op.output_schema().names() == std::vector<std::string>{"xs", "x", "n"});
  CHECK(op.output_schema()[2].type == Type::integer().with_nullable(false));
  CHECK(run(op, {batch(1, {Row({arr({i(10), i(20)})})})}) ==
        std::vector<std::string>{"+I([10,20],10,1)", "+I([10,20],20,2)"});
}

TEST_CASE("UNNEST output points into the input batch: no string bytes copied", "[unnest]") {
  Schema schema{{{"xs", Type::array(Type::string())}}};
  UnnestOperator op(UnnestConfig{schema, col(schema, "xs"), {}, false, {}});
  auto input = batch(1, {Row({arr({s("a long string that would be copied"), s("another")})})});
  std::vector<BatchPtr> out;
  op.process(input, out);
  REQUIRE(out.size() == 1);
  const Value& in_elem = input->at(0, 0).elements()[0];
  CHECK(out[0]->at(0, 1).as_string().data() == in_elem.as_string().data());
  CHECK(out[0]->retained().size() == 1);
  CHECK(out[0]->retained()[0] == input);
}

TEST_CASE("UNNEST rejects a non-collection argument and a wrong alias list", "[unnest]") {
  Schema schema{{{"k", Type::integer()}, {"xs", Type::array(Type::string())}}};
  CHECK_THROWS_WITH(UnnestOperator(UnnestConfig{schema, col(schema, "k"), {}, false, {}}),
                    Catch::Contains("ARRAY or MAP"));
  CHECK_THROWS_WITH(UnnestOperator(UnnestConfig{schema, col(schema, "xs"), {"a", "b"}, false, {}}),
                    Catch::Contains("2 column names"));
}

TEST_CASE("UNNEST reports a failing argument with its row and keeps going", "[unnest]") {
  Schema schema{{{"k", Type::integer()}, {"xs", Type::array(Type::integer())}}};
  std::vector<size_t> failed;
  auto failing = fn(Type::array(Type::integer()), [](const Value* row, expr::EvalContext&) {
    if (row[0].as_int() == 2) throw expr::EvalError("boom");
    return row[1];
  });
  UnnestOperator op(UnnestConfig{schema, failing, {}, false, [&](const RowError& e) { failed.push_back(e.row); }});
  auto out = run(op, {batch(2, {Row({i(1), arr({i(1)})}), Row({i(2), arr({i(2)})}), Row({i(3), arr({i(3)})})})});
  CHECK(out == std::vector<std::string>{"+I(1,[1],1)", "+I(3,[3],3)"});
  CHECK(failed == std::vector<size_t>{1});

  UnnestOperator strict(UnnestConfig{schema, failing, {}, false, {}});
  std::vector<BatchPtr> sink;
  CHECK_THROWS_AS(strict.process(batch(2, {Row({i(2), arr({})})}), sink), RowFailure);
}

TEST_CASE("LEFT JOIN UNNEST ON TRUE keeps a row whose array is NULL or empty, once, with NULL elements", "[unnest]") {
  Schema schema{{{"k", Type::integer()}, {"xs", Type::array(Type::string().with_nullable(false))}}};
  UnnestConfig config{schema, col(schema, "xs"), {"x", "n"}, true, {}};
  config.left_outer = true;
  UnnestOperator op(config);
  // The element and ordinality columns become nullable: a kept row has NULLs there.
  CHECK(op.output_schema()[2].type == Type::string());
  CHECK(op.output_schema()[3].type == Type::integer());
  auto out = run(op, {batch(2, {Row({i(1), null()}),
                                Row({i(2), arr({})}),
                                Row({i(3), arr({s("a"), s("b")})}),
                                Row(RowKind::Delete, {i(4), arr({})})})});
  CHECK(out == std::vector<std::string>{"+I(1,NULL,NULL,NULL)", "+I(2,[],NULL,NULL)", "+I(3,[a,b],a,1)",
                                        "+I(3,[a,b],b,2)", "-D(4,[],NULL,NULL)"});
}
