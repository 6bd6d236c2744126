#include <catch2/catch.hpp>

#include "aggregate_test_helpers.hpp"

using namespace optest;
using namespace ananas::ops;


TEST_CASE("aggregate result types follow Flink", "[aggregates]") {
  CHECK(aggregate_result_type(call(AggregateKind::CountStar, {})) == Type::bigint().with_nullable(false));
  CHECK(aggregate_result_type(call(AggregateKind::Count, Type::string())) == Type::bigint().with_nullable(false));
  CHECK(aggregate_result_type(call(AggregateKind::Sum, Type::integer().with_nullable(false))) == Type::integer());
  CHECK(aggregate_result_type(call(AggregateKind::Avg, Type::smallint())) == Type::smallint());
  CHECK(aggregate_result_type(call(AggregateKind::Sum, Type::decimal(10, 2))) == Type::decimal(38, 2));
  CHECK(aggregate_result_type(call(AggregateKind::Avg, Type::decimal(10, 2))) == Type::decimal(38, 6));
  CHECK(aggregate_result_type(call(AggregateKind::Max, Type::timestamp(3).with_time_attr(TimeAttr::Rowtime))) ==
        Type::timestamp(3));
  CHECK(aggregate_result_type(call(AggregateKind::ListAgg, Type::string())) == Type::string());
  CHECK_THROWS_WITH(aggregate_result_type(call(AggregateKind::Sum, Type::string())), Catch::Contains("numeric"));
  CHECK_THROWS_WITH(aggregate_result_type(call(AggregateKind::Min, Type::array(Type::integer()))),
                    Catch::Contains("cannot order"));
}

TEST_CASE("COUNT(*) counts rows, COUNT(x) non-NULL values, both retract", "[aggregates]") {
  CHECK(after(call(AggregateKind::CountStar, {}), {Value::null(), Value::null()}) == "2");
  CHECK(after(call(AggregateKind::Count, Type::integer()), {I(1), Value::null(), I(3)}) == "2");
  CHECK(after(call(AggregateKind::Count, Type::integer()), {I(1), I(3)}, {I(1)}) == "1");
  CHECK(after(call(AggregateKind::Count, Type::integer()), {}) == "0");
}

TEST_CASE("SUM: NULL until a value, INT wraps like Java int, retraction back to NULL", "[aggregates]") {
  auto sum_int = call(AggregateKind::Sum, Type::integer());
  CHECK(after(sum_int, {Value::null()}) == "NULL");
  CHECK(after(sum_int, {I(2147483647), I(1)}) == "-2147483648");
  CHECK(after(sum_int, {I(5), I(7)}, {I(5), I(7)}) == "NULL");
  CHECK(after(call(AggregateKind::Sum, Type::double_type()), {Value::real(1.5), Value::real(2.25)}) == "3.75");
  CHECK(after(call(AggregateKind::Sum, Type::decimal(5, 2)), {Value::decimal(150), Value::decimal(275)}) == "dec:425");
}

TEST_CASE("AVG of integers truncates toward zero, of DECIMAL rounds HALF_UP at scale 6", "[aggregates]") {
  auto avg_int = call(AggregateKind::Avg, Type::integer());
  CHECK(after(avg_int, {I(1), I(2)}) == "1");
  CHECK(after(avg_int, {I(-1), I(-2)}) == "-1");
  CHECK(after(avg_int, {I(10), I(20), I(40)}, {I(40)}) == "15");
  CHECK(after(call(AggregateKind::Avg, Type::double_type()), {Value::real(1), Value::real(2)}) == "1.5");
  // (1.00 + 1.00 + 2.00) / 3 = 1.333333 (scale 6); 2/3 → 0.666667
  CHECK(after(call(AggregateKind::Avg, Type::decimal(5, 2)), {Value::decimal(100), Value::decimal(100), Value::decimal(200)}) ==
        "dec:1333333");
  CHECK(after(call(AggregateKind::Avg, Type::decimal(5, 0)), {Value::decimal(0), Value::decimal(1), Value::decimal(1)}) ==
        "dec:666667");
}

TEST_CASE("MIN/MAX with retraction keep a multiset", "[aggregates]") {
  auto max = call(AggregateKind::Max, Type::integer());
  CHECK(after(max, {I(3), I(9), I(9), I(1)}, {I(9)}) == "9");
  CHECK(after(max, {I(3), I(9), I(9), I(1)}, {I(9), I(9)}) == "3");
  CHECK(after(call(AggregateKind::Min, Type::string()), {S("b"), S("🍍"), S("a")}, {S("a")}) == "b");
  // Byte order: the emoji (0xF0...) sorts after ASCII.
  CHECK(after(call(AggregateKind::Max, Type::string()), {S("z"), S("🍍")}) == "🍍");
  CHECK(after(max, {}, {I(4)}) == "NULL");
}

TEST_CASE("LISTAGG: arrival order, ',' default, NULLs skipped, retraction removes the first equal value", "[aggregates]") {
  auto listagg = call(AggregateKind::ListAgg, Type::string());
  CHECK(after(listagg, {S("a"), Value::null(), S("b"), S("a")}) == "a,b,a");
  CHECK(after(listagg, {S("a"), S("b"), S("a")}, {S("a")}) == "b,a");
  CHECK(after(listagg, {Value::null()}) == "NULL");
  CHECK(after(listagg, {S("a")}, {S("a")}) == "NULL");

  AggregateCall with_sep = listagg;
  with_sep.args.push_back(std::make_shared<ColumnExpr>(1, Type::string()));
  auto acc = make_accumulator(with_sep);
  Value a[2] = {S("x"), S("; ")}, b[2] = {S("y"), S("; ")};
  acc->accumulate(a);
  acc->accumulate(b);
  Arena arena;
  CHECK(show(acc->result(arena)) == "x; y");
}

TEST_CASE("DISTINCT feeds each value once and retracts it with its last copy", "[aggregates]") {
  auto count_distinct = call(AggregateKind::Count, Type::integer(), true);
  CHECK(after(count_distinct, {I(1), I(1), I(2)}) == "2");
  CHECK(after(count_distinct, {I(1), I(1), I(2)}, {I(1)}) == "2");
  CHECK(after(count_distinct, {I(1), I(1), I(2)}, {I(1), I(1)}) == "1");
  CHECK(after(call(AggregateKind::Sum, Type::integer(), true), {I(5), I(5), I(7)}) == "12");
}

TEST_CASE("accumulators survive save/load", "[aggregates]") {
  for (auto kind : {AggregateKind::Sum, AggregateKind::Max, AggregateKind::ListAgg, AggregateKind::Avg}) {
    Type t = kind == AggregateKind::ListAgg ? Type::string() : Type::integer();
    auto c = call(kind, t, kind == AggregateKind::Max);
    const RoundTrip rt = save_load_retract(c, kind == AggregateKind::ListAgg ? std::vector<Value>{S("p"), S("q"), S("p")}
                                                                             : std::vector<Value>{I(4), I(8), I(4)});
    CHECK(rt.read_all);
    CHECK(rt.restored == rt.original);
  }
}

// The group aggregate keeps accumulators packed between rows (Accumulator::pack):
// unpacking must give back exactly the state, whatever the accumulator held before.
TEST_CASE("accumulators survive pack/unpack", "[aggregates]") {
  struct Case {
    AggregateCall call;
    std::vector<std::vector<Value>> rows;  // each row: the call's arguments
  };
  auto one = [](std::vector<Value> vs) {
    std::vector<std::vector<Value>> rows;
    for (auto& v : vs) rows.push_back({v});
    return rows;
  };
  AggregateCall listagg_sep = call(AggregateKind::ListAgg, Type::string());
  listagg_sep.args.push_back(std::make_shared<ColumnExpr>(1, Type::string()));
  std::vector<Case> cases = {
      {call(AggregateKind::CountStar, Type::integer()), one({I(1), I(2), I(3)})},
      {call(AggregateKind::Count, Type::integer()), one({I(1), Value::null(), I(3)})},
      {call(AggregateKind::Sum, Type::bigint()), one({I(-5), I(INT64_MAX), I(3)})},
      {call(AggregateKind::Sum, Type::double_type()), one({Value::real(-0.5), Value::real(1e300), Value::real(2.25)})},
      {call(AggregateKind::Sum, Type::decimal(10, 2)), one({Value::decimal(-12345), Value::decimal(INT64_MAX), Value::decimal(7)})},
      {call(AggregateKind::Avg, Type::decimal(10, 2)), one({Value::decimal(-12345), Value::decimal(100), Value::decimal(7)})},
      {call(AggregateKind::Max, Type::integer()), one({I(4), I(8), I(4)})},
      {call(AggregateKind::VarSamp, Type::double_type()), one({Value::real(1), Value::real(2), Value::real(4)})},
      {call(AggregateKind::ListAgg, Type::string()), one({S("p"), S("a value longer than fifteen bytes"), S("p")})},
      {listagg_sep, {{S("x"), S("; ")}, {S("y"), S("; ")}, {S("x"), S("; ")}}},
      {listagg_sep, {{S("x"), S(",")}, {S("y"), Value::null()}, {S("z"), S("-")}}},
      {listagg_sep, {{S("x"), S("-")}, {S("z"), Value::null()}, {S("x"), Value::null()}}},
      {call(AggregateKind::Count, Type::integer(), true), one({I(1), I(1), I(2)})},
  };
  for (const auto& c : cases) {
    auto acc = make_accumulator(c.call);
    for (const auto& row : c.rows) acc->accumulate(row.data());
    std::string packed;
    acc->pack(packed);
    packed += "tail";
    auto copy = make_accumulator(c.call);
    copy->accumulate(c.rows[1].data());  // state that unpack must replace
    std::string_view in = packed;
    copy->unpack(in);
    CHECK(in == "tail");
    StateWriter a, b;
    acc->save(a);
    copy->save(b);
    CHECK(a.data() == b.data());
    acc->retract(c.rows[0].data());
    copy->retract(c.rows[0].data());
    Arena arena;
    CHECK(show(copy->result(arena)) == show(acc->result(arena)));
  }
}
