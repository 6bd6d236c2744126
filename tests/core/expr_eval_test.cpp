// Evaluation of bound expressions: the seed predicates, three-valued logic,
// integer arithmetic, comparisons, CAST text (Flink docs, Functions > System (Built-in) Functions).
#include <catch2/catch.hpp>

#include "core/decimal.hpp"
#include "core/expr/binder.hpp"
#include "core/expr/coerce.hpp"
#include "core/timefmt.hpp"

using namespace ananas;
using namespace ananas::expr;

namespace {

// One input row over a schema; evaluates expression text and renders the
// result the way CAST(x AS STRING) would ("NULL" for NULL).
struct Row {
  Schema schema;
  std::vector<Value> values;
  std::unique_ptr<Arena> arena = std::make_unique<Arena>();  // a pointer, so a Row can be returned
  EvalContext ctx{arena.get(), nullptr, 0};

  Row& col(std::string name, Type t, Value v) {
    schema.columns.push_back({std::move(name), std::move(t)});
    values.push_back(v.kind == ValueKind::String ? Value::string(arena->copy(v.as_string())) : v);
    return *this;
  }
  CompiledExprPtr compile(std::string_view text) { return compile_expression(text, schema); }
  Value value(std::string_view text) { return compile(text)->eval(values.data(), ctx); }
  std::string operator()(std::string_view text) {
    CompiledExprPtr e = compile(text);
    Value v = e->eval(values.data(), ctx);
    if (v.is_null()) return "NULL";
    std::string out;
    detail::append_cast_text(out, v, e->type());
    return out;
  }
};

int64_t ts(int64_t y, unsigned mo, unsigned d, int64_t h, int64_t mi, int64_t s, int64_t ms) {
  return ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + s * 1000 + ms;
}

}  // namespace

TEST_CASE("seed 01: topping IN three emoji literals matches exact bytes only") {
  const char* pred = "topping IN ('🍍 pineapple', '🍓 strawberry','🍌 banana')";
  auto eval = [&](const char* topping) {
    Row r;
    r.col("topping", Type::string(), topping ? Value::string(topping) : Value::null());
    return r(pred);
  };
  CHECK(eval("🍍 pineapple") == "TRUE");
  CHECK(eval("🍓 strawberry") == "TRUE");
  CHECK(eval("🍌 banana") == "TRUE");
  CHECK(eval("🍍 pineapple ") == "FALSE");
  CHECK(eval("🍍 Pineapple") == "FALSE");
  CHECK(eval("🍍  pineapple") == "FALSE");
  CHECK(eval("pineapple") == "FALSE");
  CHECK(eval(nullptr) == "NULL");
  Row r;
  r.col("topping", Type::string(), Value::string("🧀 cheese"));
  CHECK(r("topping NOT IN ('🍍 pineapple', '🧀 cheese')") == "FALSE");
  CHECK(r("topping IN ('a', NULL)") == "NULL");
  CHECK(r("topping IN ('🧀 cheese', NULL)") == "TRUE");
}

TEST_CASE("seed 04: the trend predicate is DECIMAL(38,15) and exact at 30 %") {
  auto row = [](int64_t up, int64_t down) {
    Row r;
    r.col("up", Type::bigint(), Value::integer(up)).col("down", Type::bigint(), Value::integer(down));
    return r;
  };
  Row r = row(10, 7);
  CHECK(r.compile("(up - down)*100.0/up")->type() == Type::decimal(38, 15));
  CHECK(r.compile("(up - down)*100.0")->type() == Type::decimal(24, 1));
  CHECK(r("(up - down)*100.0/up") == "30.000000000000000");
  CHECK(r("(up - down)*100.0/up > 30") == "FALSE");
  Row r2 = row(9, 6);
  CHECK(r2("(up - down)*100.0/up") == "33.333333333333333");
  CHECK(r2("(up - down)*100.0/up > 30") == "TRUE");
  Row r3 = row(10, 6);
  CHECK(r3("(up - down)*100.0/up > 30") == "TRUE");
}

TEST_CASE("AND, OR, NOT follow three-valued logic") {
  const char* names[] = {"TRUE", "FALSE", "NULL"};
  auto v = [](int i) { return i == 0 ? Value::boolean(true) : i == 1 ? Value::boolean(false) : Value::null(); };
  // Expected results indexed [a][b] for a, b in TRUE, FALSE, NULL.
  const char* and_table[3][3] = {{"TRUE", "FALSE", "NULL"}, {"FALSE", "FALSE", "FALSE"}, {"NULL", "FALSE", "NULL"}};
  const char* or_table[3][3] = {{"TRUE", "TRUE", "TRUE"}, {"TRUE", "FALSE", "NULL"}, {"TRUE", "NULL", "NULL"}};
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 3; ++b) {
      Row r;
      r.col("a", Type::boolean(), v(a)).col("b", Type::boolean(), v(b));
      INFO(names[a] << " op " << names[b]);
      CHECK(r("a AND b") == and_table[a][b]);
      CHECK(r("a OR b") == or_table[a][b]);
    }
    Row r;
    r.col("a", Type::boolean(), v(a));
    const char* not_table[] = {"FALSE", "TRUE", "NULL"};
    CHECK(r("NOT a") == not_table[a]);
    CHECK(r("a IS NULL") == (a == 2 ? "TRUE" : "FALSE"));
    CHECK(r("a IS NOT NULL") == (a == 2 ? "FALSE" : "TRUE"));
    CHECK(r("a IS TRUE") == (a == 0 ? "TRUE" : "FALSE"));
    CHECK(r("a IS NOT TRUE") == (a == 0 ? "FALSE" : "TRUE"));
    CHECK(r("a IS FALSE") == (a == 1 ? "TRUE" : "FALSE"));
    CHECK(r("a IS NOT FALSE") == (a == 1 ? "FALSE" : "TRUE"));
    CHECK(r("a IS UNKNOWN") == (a == 2 ? "TRUE" : "FALSE"));
  }
  Row r;
  r.col("n", Type::integer(), Value::null());
  CHECK(r("n = 1") == "NULL");
  CHECK(r("n <> 1") == "NULL");
  CHECK(r("n IS DISTINCT FROM 1") == "TRUE");
  CHECK(r("n IS NOT DISTINCT FROM NULL") == "TRUE");
  CHECK(r.compile("n IS NULL")->type().nullable == false);
}

TEST_CASE("integer arithmetic: INT∘INT is INT, division truncates, overflow wraps") {
  Row r;
  r.col("i", Type::integer(), Value::integer(2147483647)).col("b", Type::bigint(), Value::integer(INT64_MAX));
  CHECK(r("7 / 2") == "3");
  CHECK(r("-7 / 2") == "-3");
  CHECK(r("7 % -2") == "1");
  CHECK(r("-7 % 2") == "-1");
  CHECK(r("MOD(-7, 2)") == "-1");
  CHECK(r.compile("i + 1")->type().id == TypeId::Int);
  CHECK(r("i + 1") == "-2147483648");
  CHECK(r("i * 2") == "-2");
  CHECK(r.compile("i + b")->type().id == TypeId::BigInt);
  CHECK(r("b + 1") == "-9223372036854775808");
  CHECK(r("-2147483648") == "-2147483648");
  CHECK(r.compile("-2147483648")->type().id == TypeId::Int);
  CHECK(r.compile("2147483648")->type().id == TypeId::BigInt);
  CHECK_THROWS_AS(r.value("i / 0"), EvalError);
  CHECK_THROWS_AS(r.value("i % 0"), EvalError);
  CHECK(r("1 + 1.5") == "2.5");
  CHECK(r.compile("1 + 1.5")->type() == Type::decimal(12, 1).with_nullable(false));
  CHECK(r("1 / 2.0e0") == "0.5");
  CHECK(r.compile("i + 1e0")->type().id == TypeId::Double);
  CHECK(r("10 / 4.0") == "2.500000");  // DECIMAL(10,0) / DECIMAL(2,1): scale max(6, 0+2+1)
}

TEST_CASE("comparisons widen exactly: INT vs DECIMAL never through double") {
  Row r;
  r.col("big", Type::bigint(), Value::integer(9007199254740993))
      .col("s", Type::string(), Value::string("é"))
      .col("t", Type::timestamp(3), Value::integer(ts(2023, 1, 1, 10, 0, 0, 0)));
  CHECK(r("big > 9007199254740992.0") == "TRUE");   // equal as doubles
  CHECK(r("big = 9007199254740993.0") == "TRUE");
  CHECK(r("1 = 1.0") == "TRUE");
  CHECK(r("3 < 3.0000000001") == "TRUE");
  CHECK(r("2 >= 2") == "TRUE");
  CHECK(r("1.5e0 < 2") == "TRUE");
  CHECK(r("'a' < 'b'") == "TRUE");
  CHECK(r("'Z' < 'a'") == "TRUE");   // byte order, no collation
  CHECK(r("s > 'z'") == "TRUE");     // U+00E9 sorts after ASCII
  CHECK(r("'ab' < 'abc'") == "TRUE");
  CHECK(r("TRUE > FALSE") == "TRUE");
  CHECK(r("t > TIMESTAMP '2023-01-01 09:59:59.999'") == "TRUE");
  CHECK(r("t = TIMESTAMP '2023-01-01 10:00:00'") == "TRUE");
  CHECK(r("t > DATE '2023-01-01'") == "TRUE");
  CHECK(r("5 BETWEEN 1 AND 5") == "TRUE");
  CHECK(r("5 NOT BETWEEN 1 AND 4") == "TRUE");
  CHECK(r("5 BETWEEN SYMMETRIC 9 AND 1") == "TRUE");
  CHECK(r("1 IN (1.0, 2)") == "TRUE");
  CHECK(r("3 IN (1, 2)") == "FALSE");
  CHECK(r("3 IN (1, NULL)") == "NULL");
}

TEST_CASE("timestamp minus an interval subtracts exact milliseconds") {
  Row r;
  r.col("t", Type::timestamp(3), Value::integer(ts(2023, 1, 1, 10, 0, 0, 0)));
  CHECK(r.value("t - INTERVAL '5' SECOND").as_int() == ts(2023, 1, 1, 9, 59, 55, 0));
  CHECK(r("t - INTERVAL '5' SECOND") == "2023-01-01 09:59:55.000");
  CHECK(r("t + INTERVAL '1:30' MINUTE TO SECOND") == "2023-01-01 10:01:30.000");
  CHECK(r("t + INTERVAL '1' MONTH") == "2023-02-01 10:00:00.000");
  CHECK(r("TIMESTAMP '2023-01-31 00:00:00' + INTERVAL '1' MONTH") == "2023-02-28 00:00:00");
  CHECK(r("INTERVAL '2' DAY + t") == "2023-01-03 10:00:00.000");
  CHECK(r.compile("t - INTERVAL '5' SECOND")->type().id == TypeId::Timestamp);
}

TEST_CASE("CAST to STRING prints Flink's text") {
  Row r;
  r.col("b", Type::bigint(), Value::integer(10))
      .col("t", Type::timestamp(3), Value::integer(ts(2023, 1, 1, 10, 0, 0, 120)))
      .col("d", Type::double_type(), Value::real(1e7));
  CHECK(r("CAST(b AS STRING)") == "10");
  CHECK(r("CAST(-b AS STRING)") == "-10");
  CHECK(r("CAST(t AS STRING)") == "2023-01-01 10:00:00.120");
  CHECK(r("CAST(TIMESTAMP '2023-01-01 10:00:00' AS STRING)") == "2023-01-01 10:00:00");
  CHECK(r("CAST(d AS STRING)") == "1.0E7");
  CHECK(r("CAST(0.1e0 AS STRING)") == "0.1");
  CHECK(r("CAST(1.50 AS STRING)") == "1.50");
  CHECK(r("CAST(TRUE AS STRING)") == "TRUE");
  CHECK(r("CAST(DATE '2023-03-04' AS STRING)") == "2023-03-04");
  CHECK(r("CAST('abcdef' AS VARCHAR(3))") == "abc");
  CHECK(r.value("CAST('ab' AS CHAR(4))").as_string() == "ab  ");
  CHECK(r("CAST(NULL AS STRING)") == "NULL");
  CHECK(r.compile("CAST(b AS STRING)")->type().id == TypeId::Varchar);
}

TEST_CASE("CAST between numbers, strings, booleans and times") {
  Row r;
  r.col("s", Type::string(), Value::string("abc"));
  CHECK(r("CAST(' 42 ' AS INT)") == "42");
  CHECK(r("CAST('-7' AS BIGINT)") == "-7");
  CHECK(r("CAST('12.7' AS INT)") == "12");
  CHECK_THROWS_AS(r.value("CAST(s AS INT)"), EvalError);
  CHECK_THROWS_AS(r.value("CAST('3000000000' AS INT)"), EvalError);
  CHECK(r("TRY_CAST(s AS INT)") == "NULL");
  CHECK(r.compile("TRY_CAST('1' AS INT)")->type().nullable);
  CHECK(r("CAST('12.5' AS DECIMAL(3, 0))") == "13");
  CHECK(r("CAST('123456' AS DECIMAL(3, 0))") == "NULL");
  CHECK(r("CAST('1.5' AS DOUBLE)") == "1.5");
  CHECK(r("CAST(' +1e3 ' AS DOUBLE)") == "1000.0");
  CHECK(r("CAST('-Infinity' AS DOUBLE)") == "-Infinity");
  CHECK(r("CAST('NaN' AS DOUBLE) = CAST('NaN' AS DOUBLE)") == "FALSE");  // Java primitive comparison
  CHECK_THROWS_AS(r.value("CAST('inf' AS DOUBLE)"), EvalError);
  CHECK_THROWS_AS(r.value("CAST('1.5x' AS DOUBLE)"), EvalError);
  CHECK(r("CAST(12.5 AS INT)") == "12");
  CHECK(r("CAST(-12.5 AS INT)") == "-12");
  CHECK(r("CAST(3000000000 AS INT)") == "-1294967296");
  CHECK(r("CAST(1e20 AS BIGINT)") == "9223372036854775807");
  CHECK(r("CAST(2.5e0 AS DECIMAL(5, 0))") == "3");
  CHECK(r("CAST(7 AS DECIMAL(5, 2))") == "7.00");
  CHECK(r("CAST(1.005 AS DECIMAL(4, 2))") == "1.01");
  CHECK(r("CAST('yes' AS BOOLEAN)") == "TRUE");
  CHECK(r("CAST('0' AS BOOLEAN)") == "FALSE");
  CHECK(r("CAST(0 AS BOOLEAN)") == "FALSE");
  CHECK(r("CAST(TRUE AS INT)") == "1");
  CHECK(r("CAST('2023-01-02 03:04:05.6' AS TIMESTAMP(3))") == "2023-01-02 03:04:05.600");
  CHECK(r("CAST('2023-01-02' AS DATE)") == "2023-01-02");
  CHECK(r("CAST(TIMESTAMP '2023-01-02 03:04:05' AS DATE)") == "2023-01-02");
  CHECK_THROWS_AS(r.value("CAST('2023-13-02' AS DATE)"), EvalError);
  CHECK(r("TRY_CAST('2023-13-02' AS DATE)") == "NULL");
}

TEST_CASE("CASE, COALESCE, NULLIF, IF pick branches lazily and type the result") {
  Row r;
  r.col("x", Type::integer(), Value::integer(2)).col("n", Type::integer(), Value::null());
  CHECK(r("CASE x WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END") == "two");
  CHECK(r("CASE WHEN x > 5 THEN 'big' END") == "NULL");
  CHECK(r("CASE WHEN x > 1 THEN 1 ELSE 2.5 END") == "1.0");
  CHECK(r.compile("CASE WHEN x > 1 THEN 1 ELSE 2.5 END")->type().id == TypeId::Decimal);
  CHECK(r("CASE WHEN x = 2 THEN 1 ELSE x / 0 END") == "1");  // the ELSE branch is not evaluated
  CHECK(r.value("CASE WHEN x = 2 THEN 'a' ELSE 'bb' END").as_string() == "a");  // VARCHAR(2), not padded
  CHECK(r.compile("CASE WHEN x = 2 THEN 'a' ELSE 'bb' END")->type().id == TypeId::Varchar);
  CHECK(r("x IN (1.5, 2.00)") == "TRUE");
  CHECK(r("x IN (1.5, 2.01)") == "FALSE");
  CHECK(r("COALESCE(n, x, 7)") == "2");
  CHECK(r("COALESCE(n, n)") == "NULL");
  CHECK_FALSE(r.compile("COALESCE(n, 1)")->type().nullable);
  CHECK(r("NULLIF(x, 2)") == "NULL");
  CHECK(r("NULLIF(x, 3)") == "2");
  CHECK(r("IF(x > 1, 'a', 'b')") == "a");
  CHECK(r("GREATEST(1, x, 0)") == "2");
  CHECK(r("LEAST(1, x, n)") == "NULL");
  CHECK(r("FALSE AND x / 0 = 1") == "FALSE");  // short-circuit keeps a decided row alive
}
