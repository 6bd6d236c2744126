#include <catch2/catch.hpp>

#include "operators/calc.hpp"
#include "operator_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {
Schema kv() { return Schema{{{"k", Type::integer()}, {"v", Type::integer()}}}; }
expr::CompiledExprPtr v_greater_than(int64_t n) {
  return fn(Type::boolean(), [n](const Value* row, expr::EvalContext&) {
    return row[1].is_null() ? Value::null() : Value::boolean(row[1].as_int() > n);
  });
}
}  // namespace

TEST_CASE("Calc filter keeps only TRUE: FALSE and NULL are dropped", "[calc]") {
  CalcOperator op(CalcConfig{kv(), v_greater_than(3), std::nullopt, {}, {}});
  auto out = run(op, {batch(2, {Row({i(1), i(5)}), Row({i(2), i(1)}), Row({i(3), null()}), Row({i(4), i(4)})})});
  CHECK(out == std::vector<std::string>{"+I(1,5)", "+I(4,4)"});
  CHECK(op.output_schema() == kv());
}

TEST_CASE("HAVING on a changelog filters every change independently, keeping RowKind", "[calc]") {
  CalcOperator having(CalcConfig{kv(), v_greater_than(3), std::nullopt, {}, {}});
  std::vector<Row> changes{Row(RowKind::Insert, {i(7), i(1)})};
  for (int n = 1; n < 5; ++n) {
    changes.push_back(Row(RowKind::UpdateBefore, {i(7), i(n)}));
    changes.push_back(Row(RowKind::UpdateAfter, {i(7), i(n + 1)}));
  }
  CHECK(run(having, {batch(2, changes)}) == std::vector<std::string>{"+U(7,4)", "-U(7,4)", "+U(7,5)"});
}

TEST_CASE("Calc projection computes items and passes RowKind through", "[calc]") {
  Schema s = kv();
  auto doubled = fn(Type::integer(), [](const Value* row, expr::EvalContext&) { return Value::integer(row[1].as_int() * 2); });
  CalcOperator op(CalcConfig{s, nullptr, std::vector<NamedExpr>{{"twice", doubled}, {"key", col(s, "k")}}, {}, {}});
  CHECK(op.output_schema().names() == std::vector<std::string>{"twice", "key"});
  CHECK(run(op, {batch(2, {Row(RowKind::Delete, {i(1), i(21)})})}) == std::vector<std::string>{"-D(42,1)"});
}

TEST_CASE("Calc reports EvalError with the row index, the row produces no output", "[calc]") {
  Schema s = kv();
  auto divide = fn(Type::integer(), [](const Value* row, expr::EvalContext&) {
    if (row[1].as_int() == 0) throw expr::EvalError("Division by zero");
    return Value::integer(100 / row[1].as_int());
  });
  std::vector<RowError> errors;
  CalcOperator op(CalcConfig{s, nullptr, std::vector<NamedExpr>{{"q", divide}},
                             [&](const RowError& e) { errors.push_back(e); }, {}});
  auto input = batch(2, {Row({i(1), i(4)}), Row({i(2), i(0)}), Row({i(3), i(50)})});
  CHECK(run(op, {input}) == std::vector<std::string>{"+I(25)", "+I(2)"});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].row == 1);
  CHECK(errors[0].batch == input.get());
  CHECK(errors[0].message == "Division by zero");
}

TEST_CASE("Calc rejects a non-BOOLEAN filter", "[calc]") {
  CHECK_THROWS_WITH(CalcOperator(CalcConfig{kv(), col(kv(), "v"), std::nullopt, {}, {}}), Catch::Contains("BOOLEAN"));
}

TEST_CASE("Calc passes strings through without copying their bytes", "[calc]") {
  Schema s{{{"name", Type::string()}}};
  CalcOperator op(CalcConfig{s, nullptr, std::vector<NamedExpr>{{"n", col(s, "name")}}, {}, {}});
  auto input = batch(1, {Row({optest::s("pineapple")})});
  std::vector<BatchPtr> out;
  op.process(input, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0]->at(0, 0).as_string().data() == input->at(0, 0).as_string().data());
}
