// STDDEV_POP / STDDEV_SAMP / VAR_POP / VAR_SAMP: Flink 1.x's rewrite
// (SUM(x*x) - SUM(x)*SUM(x)/COUNT(x)) / COUNT(x) [or COUNT(x) - 1], in the
// argument type's arithmetic, with retraction and state that survives save/load.
#include <catch2/catch.hpp>

#include <cmath>

#include "aggregate_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;

namespace {

// The double result, bit for bit (show() prints only 6 digits).
double real_after(const AggregateCall& c, std::vector<Value> adds, std::vector<Value> retracts = {}) {
  auto acc = make_accumulator(c);
  for (auto& v : adds) acc->accumulate(&v);
  for (auto& v : retracts) acc->retract(&v);
  Arena arena;
  Value v = acc->result(arena);
  REQUIRE(v.kind == ValueKind::Double);
  return v.as_double();
}

Value D(double v) { return Value::real(v); }

std::vector<Value> doubles(std::initializer_list<double> xs) {
  std::vector<Value> out;
  for (double x : xs) out.push_back(D(x));
  return out;
}

}  // namespace

TEST_CASE("statistical aggregates are typed as their argument, DECIMAL refused with a hint", "[aggregates]") {
  for (auto kind : {AggregateKind::VarPop, AggregateKind::VarSamp, AggregateKind::StddevPop, AggregateKind::StddevSamp}) {
    CHECK(aggregate_result_type(call(kind, Type::double_type().with_nullable(false))) == Type::double_type());
    CHECK(aggregate_result_type(call(kind, Type::integer())) == Type::integer());
    CHECK(aggregate_result_type(call(kind, Type::smallint())) == Type::smallint());
    CHECK_THROWS_WITH(aggregate_result_type(call(kind, Type::string())), Catch::Contains("numeric"));
    CHECK_THROWS_WITH(aggregate_result_type(call(kind, Type::decimal(10, 2))), Catch::Contains("CAST the argument to DOUBLE"));
  }
}

TEST_CASE("VAR/STDDEV of DOUBLE: the textbook values, NULL for no value, *_SAMP NULL for one", "[aggregates]") {
  const auto xs = doubles({2, 4, 4, 4, 5, 5, 7, 9});
  CHECK(after(call(AggregateKind::VarPop, Type::double_type()), xs) == "4");
  CHECK(after(call(AggregateKind::StddevPop, Type::double_type()), xs) == "2");
  CHECK(real_after(call(AggregateKind::VarSamp, Type::double_type()), xs) == 4.571428571428571);
  CHECK(real_after(call(AggregateKind::StddevSamp, Type::double_type()), xs) == 2.138089935299395);
  // Not exact in binary: the rewrite's rounding, step by step.
  const auto ys = doubles({1.5, 2.5, 4.0});
  CHECK(real_after(call(AggregateKind::VarPop, Type::double_type()), ys) == 1.055555555555556);
  CHECK(real_after(call(AggregateKind::StddevPop, Type::double_type()), ys) == 1.027402333828163);
  CHECK(real_after(call(AggregateKind::VarSamp, Type::double_type()), ys) == 1.583333333333334);
  CHECK(real_after(call(AggregateKind::StddevSamp, Type::double_type()), ys) == 1.2583057392117918);
  for (auto kind : {AggregateKind::VarPop, AggregateKind::VarSamp, AggregateKind::StddevPop, AggregateKind::StddevSamp})
    CHECK(after(call(kind, Type::double_type()), {Value::null()}) == "NULL");
  CHECK(after(call(AggregateKind::VarPop, Type::double_type()), doubles({3.5})) == "0");
  CHECK(after(call(AggregateKind::VarSamp, Type::double_type()), doubles({3.5})) == "NULL");
  CHECK(after(call(AggregateKind::StddevSamp, Type::double_type()), {D(3.5), Value::null()}) == "NULL");
}

TEST_CASE("VAR/STDDEV cancel as Flink 1.x does: equal values can give a tiny negative variance and a NaN deviation", "[aggregates]") {
  // SUM(x*x) = 0.030000000000000006, SUM(x)^2/3 = 0.030000000000000009: the rewrite
  // subtracts them, so Flink 1.19/1.20 answer -1.1564823173178713E-18 and NaN here.
  const auto xs = doubles({0.1, 0.1, 0.1});
  CHECK(real_after(call(AggregateKind::VarPop, Type::double_type()), xs) == -1.1564823173178713e-18);
  CHECK(std::isnan(real_after(call(AggregateKind::StddevPop, Type::double_type()), xs)));
}

TEST_CASE("VAR/STDDEV of INT: integer sums and divisions, the root truncated back to INT", "[aggregates]") {
  const std::vector<Value> xs = {I(2), I(4), I(4), I(4), I(5), I(5), I(7), I(9)};
  CHECK(after(call(AggregateKind::VarPop, Type::integer()), xs) == "4");
  CHECK(after(call(AggregateKind::StddevPop, Type::integer()), xs) == "2");
  // (232 - 1600/8) / 7 = 32 / 7 = 4 (long division); sqrt(4) = 2.
  CHECK(after(call(AggregateKind::VarSamp, Type::integer()), xs) == "4");
  CHECK(after(call(AggregateKind::StddevSamp, Type::integer()), xs) == "2");
  // 1, 2: SUM(x)^2 / 2 = 9 / 2 = 4 (truncated), (5 - 4) / 2 = 0.
  CHECK(after(call(AggregateKind::VarPop, Type::integer()), {I(1), I(2)}) == "0");
  CHECK(after(call(AggregateKind::VarSamp, Type::integer()), {I(1), I(2)}) == "1");
  // x*x of an INT wraps like Java int: 50000^2 = 2500000000 -> -1794967296.
  CHECK(after(call(AggregateKind::VarPop, Type::integer()), {I(50000)}) == "0");
  CHECK(after(call(AggregateKind::VarPop, Type::bigint()), {I(50000), I(-50000)}) == "2500000000");
}

TEST_CASE("VAR/STDDEV retract: removing values gives the aggregate of the rest, all of them NULL", "[aggregates]") {
  const auto xs = doubles({2, 4, 4, 4, 5, 5, 7, 9, 100});
  CHECK(after(call(AggregateKind::StddevPop, Type::double_type()), xs, doubles({100})) == "2");
  CHECK(after(call(AggregateKind::VarSamp, Type::integer()), {I(1), I(2), I(6)}, {I(6)}) == "1");
  CHECK(after(call(AggregateKind::StddevSamp, Type::double_type()), doubles({1, 2}), doubles({2})) == "NULL");
  CHECK(after(call(AggregateKind::VarPop, Type::double_type()), doubles({1, 2}), doubles({1, 2})) == "NULL");
}

TEST_CASE("VAR/STDDEV accumulators survive save/load", "[aggregates]") {
  for (auto kind : {AggregateKind::VarPop, AggregateKind::VarSamp, AggregateKind::StddevPop, AggregateKind::StddevSamp}) {
    for (const Type& t : {Type::double_type(), Type::integer(), Type::float_type()}) {
      const RoundTrip rt = save_load_retract(call(kind, t), t.is_integer() ? std::vector<Value>{I(4), I(8), I(15)}
                                                                          : doubles({4.5, 8.25, 15}));
      CHECK(rt.read_all);
      CHECK(rt.restored == rt.original);
      CHECK(rt.restored != "NULL");
    }
  }
}
