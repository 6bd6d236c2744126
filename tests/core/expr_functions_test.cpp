// Scalar functions: strings (code points), LIKE, math, time.
#include <catch2/catch.hpp>

#include "core/expr/binder.hpp"
#include "core/expr/coerce.hpp"
#include "core/timefmt.hpp"

using namespace ananas;
using namespace ananas::expr;

namespace {

struct Row {
  Schema schema;
  std::vector<Value> values;
  Arena arena;
  EvalContext ctx{&arena, nullptr, 0};

  Row& col(std::string name, Type t, Value v) {
    schema.columns.push_back({std::move(name), std::move(t)});
    values.push_back(v.kind == ValueKind::String ? Value::string(arena.copy(v.as_string())) : v);
    return *this;
  }
  Value value(std::string_view text) { return compile_expression(text, schema)->eval(values.data(), ctx); }
  std::string operator()(std::string_view text) {
    CompiledExprPtr e = compile_expression(text, schema);
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

TEST_CASE("string functions count code points, not bytes") {
  Row r;
  r.col("p", Type::string(), Value::string("🍍 pineapple")).col("n", Type::string(), Value::null());
  CHECK(r("CHAR_LENGTH(p)") == "11");
  CHECK(r("CHARACTER_LENGTH('')") == "0");
  CHECK(r("SUBSTRING(p FROM 3 FOR 4)") == "pine");
  CHECK(r("SUBSTRING(p, 1, 1)") == "🍍");
  CHECK(r("SUBSTR(p, 7)") == "apple");
  CHECK(r("SUBSTRING(p, -5)") == "apple");
  CHECK(r("SUBSTRING(p, 20)") == "");
  CHECK(r("POSITION('pine' IN p)") == "3");
  CHECK(r("POSITION('x' IN p)") == "0");
  CHECK(r("LOCATE('p', p, 4)") == "8");  // 🍍=1, ' '=2, p=3 ... a=7, p=8
  CHECK(r("UPPER(p)") == "🍍 PINEAPPLE");
  CHECK(r("UPPER('crème brûlée')") == "CRÈME BRÛLÉE");
  CHECK(r("lower('ÀB')") == "àb");
  CHECK(r("INITCAP('hello wORLD-x')") == "Hello World-X");
  CHECK(r("TRIM('  a b  ')") == "a b");
  CHECK(r("TRIM(LEADING 'x' FROM 'xxaxx')") == "axx");
  CHECK(r("TRIM(TRAILING 'x' FROM 'xxaxx')") == "xxa");
  CHECK(r("TRIM(BOTH 'xy' FROM 'xyaxy')") == "a");
  CHECK(r("LTRIM('  a ')") == "a ");
  CHECK(r("RTRIM('  a ')") == "  a");
  CHECK(r("REPLACE('a-b-c', '-', '+')") == "a+b+c");
  CHECK(r("CONCAT('a', 'b', 'c')") == "abc");
  CHECK(r("CONCAT('a', n)") == "NULL");
  CHECK(r("CONCAT('n=', 5)") == "n=5");
  CHECK(r("CONCAT_WS(',', 'a', n, 'b')") == "a,b");
  CHECK(r("'a' || 'b' || p") == "ab🍍 pineapple");
  CHECK(r("n || 'x'") == "NULL");
  CHECK(r("LPAD('7', 3, '0')") == "007");
  CHECK(r("RPAD('ab', 5, 'xy')") == "abxyx");
  CHECK(r("LPAD('abcdef', 3, '0')") == "abc");
  CHECK(r("LPAD('a', -1, '0')") == "NULL");
  CHECK(r("REGEXP('pizza42', '[0-9]+')") == "TRUE");
  CHECK(r("REGEXP_REPLACE('a1b22', '[0-9]+', '#')") == "a#b#");
  CHECK(r("REGEXP_EXTRACT('key=val', '(\\w+)=(\\w+)', 2)") == "val");
  Row big;
  big.col("s", Type::string(), Value::string(std::string(5000, 'a')));
  CHECK_THROWS_AS(big.value("REGEXP(s, '(a|b)*')"), EvalError);  // bounded instead of a stack overflow
}

TEST_CASE("LIKE matches code points with % and _ and honours ESCAPE") {
  Row r;
  r.col("p", Type::string(), Value::string("🍍 pineapple")).col("n", Type::string(), Value::null());
  CHECK(r("p LIKE '_ pine%'") == "TRUE");
  CHECK(r("p LIKE '__ pine%'") == "FALSE");
  CHECK(r("p LIKE '%apple'") == "TRUE");
  CHECK(r("p LIKE '%APPLE'") == "FALSE");
  CHECK(r("p NOT LIKE '%x%'") == "TRUE");
  CHECK(r("'100%' LIKE '100!%' ESCAPE '!'") == "TRUE");
  CHECK(r("'1000' LIKE '100!%' ESCAPE '!'") == "FALSE");
  CHECK(r("'a_b' LIKE 'a\\_b' ESCAPE '\\'") == "TRUE");
  CHECK(r("n LIKE '%'") == "NULL");
  CHECK(r("'' LIKE '%'") == "TRUE");
  CHECK(r("'abc' LIKE 'a%b%c%'") == "TRUE");
  CHECK(r("p LIKE p") == "TRUE");  // non-constant pattern
  CHECK_THROWS_AS(compile_expression("p LIKE 'a!x' ESCAPE '!'", r.schema), InputError);
}

TEST_CASE("math functions") {
  Row r;
  r.col("i", Type::integer(), Value::integer(-7)).col("d", Type::double_type(), Value::real(2.5));
  CHECK(r("ABS(i)") == "7");
  CHECK(r("ABS(-2.50)") == "2.50");
  CHECK(r("MOD(i, 3)") == "-1");
  CHECK(r("FLOOR(d)") == "2.0");
  CHECK(r("CEIL(d)") == "3.0");
  CHECK(r("FLOOR(-1.5)") == "-2");
  CHECK(r("CEILING(1.2)") == "2");
  CHECK(r("ROUND(2.345, 2)") == "2.35");
  CHECK(r("ROUND(-2.5)") == "-3");
  CHECK(r("ROUND(d)") == "3.0");
  CHECK(r("ROUND(1234, -2)") == "1200");
  CHECK(r("ROUND(2.675e0, 2)") == "2.68");
  CHECK(r("POWER(2, 10)") == "1024.0");
  CHECK(r("SQRT(16)") == "4.0");
  CHECK(r("LN(1)") == "0.0");
  CHECK(r("LOG10(1000)") == "3.0");
  CHECK(r("EXP(0)") == "1.0");
  CHECK(r("SIGN(i)") == "-1");
}

TEST_CASE("time functions use UTC wall clocks and the context's processing time") {
  Row r;
  r.col("t", Type::timestamp(3), Value::integer(ts(2023, 5, 17, 13, 4, 5, 67)))
      .col("u", Type::timestamp(3), Value::integer(ts(2023, 5, 17, 13, 6, 5, 0)));
  r.ctx.proctime_millis = ts(2024, 2, 29, 23, 59, 59, 999);
  CHECK(r("EXTRACT(YEAR FROM t)") == "2023");
  CHECK(r("EXTRACT(MONTH FROM t)") == "5");
  CHECK(r("EXTRACT(DAY FROM t)") == "17");
  CHECK(r("EXTRACT(QUARTER FROM t)") == "2");
  CHECK(r("EXTRACT(WEEK FROM t)") == "20");
  CHECK(r("HOUR(t)") == "13");
  CHECK(r("MINUTE(t)") == "4");
  CHECK(r("SECOND(t)") == "5");
  CHECK(r("YEAR(t)") == "2023");
  CHECK(r("DAYOFMONTH(t)") == "17");
  CHECK(r("DAYOFWEEK(t)") == "4");  // Wednesday, 1 = Sunday
  CHECK(r("DATE_FORMAT(t, 'yyyy-MM-dd HH:mm:ss.SSS')") == "2023-05-17 13:04:05.067");
  CHECK(r("DATE_FORMAT(t, 'yyyyMMdd''T''HH')") == "20230517T13");
  CHECK(r("TO_TIMESTAMP('2023-01-01 10:00:00')") == "2023-01-01 10:00:00.000");
  CHECK(r("TO_TIMESTAMP('01/02/2023 10:00', 'dd/MM/yyyy HH:mm')") == "2023-02-01 10:00:00.000");
  CHECK(r("TO_TIMESTAMP('garbage')") == "NULL");
  CHECK(r("TO_DATE('2023-03-04')") == "2023-03-04");
  CHECK(r("TIMESTAMPADD(MINUTE, 5, t)") == "2023-05-17 13:09:05.067");
  CHECK(r("TIMESTAMPADD(MONTH, 1, TIMESTAMP '2023-01-31 00:00:00')") == "2023-02-28 00:00:00");
  CHECK(r("TIMESTAMPDIFF(SECOND, t, u)") == "119");
  CHECK(r("TIMESTAMPDIFF(MINUTE, t, u)") == "1");
  CHECK(r("TIMESTAMPDIFF(MONTH, TIMESTAMP '2023-01-31 00:00:00', TIMESTAMP '2023-02-28 00:00:00')") == "0");
  CHECK(r("TIMESTAMPDIFF(YEAR, TIMESTAMP '2020-01-01 00:00:00', TIMESTAMP '2023-01-01 00:00:00')") == "3");
  CHECK(r("UNIX_TIMESTAMP('1970-01-01 00:01:00')") == "60");
  CHECK(r("UNIX_TIMESTAMP('nope')") == "-9223372036854775808");
  CHECK(r("FROM_UNIXTIME(60)") == "1970-01-01 00:01:00");
  CHECK(r("FLOOR(t TO HOUR)") == "2023-05-17 13:00:00.000");
  CHECK(r("CEIL(t TO MINUTE)") == "2023-05-17 13:05:00.000");
  CHECK(r("FLOOR(t TO MONTH)") == "2023-05-01 00:00:00.000");
  CHECK(r.value("PROCTIME()").as_int() == r.ctx.proctime_millis);
  CHECK(r("CURRENT_TIMESTAMP") == "2024-02-29 23:59:59.999");
  CHECK(r("LOCALTIMESTAMP") == "2024-02-29 23:59:59.999");
  CHECK(r("NOW()") == "2024-02-29 23:59:59.999");
  CHECK(r("UNIX_TIMESTAMP()") == std::to_string(r.ctx.proctime_millis / 1000));
  CHECK(compile_expression("PROCTIME()", r.schema)->type().time_attr == TimeAttr::Proctime);
}
