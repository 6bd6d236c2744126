#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "core/arena.hpp"
#include "core/json/java_number_text.hpp"
#include "core/json/json_encoder.hpp"
#include "core/json/json_text.hpp"

using namespace ananas;

namespace {

std::string enc(const Value& v, const Type& t, JsonEncodeOptions o = {}) {
  std::string out;
  encode_value(v, t, out, o);
  return out;
}

std::string dbl(double d) {
  std::string s;
  append_java_double(s, d);
  return s;
}

const int64_t k10am = 1672567200000;  // 2023-01-01 10:00:00 UTC

}  // namespace

TEST_CASE("worked value of 01's sink, byte for byte") {
  const Value row[] = {Value::integer(42), Value::string("Ann"), Value::string("🍍 pineapple"), Value::integer(k10am + 120)};
  const std::vector<EncodedColumn> cols = {{0, "id", Type::integer()},
                                           {1, "name", Type::string()},
                                           {2, "topping", Type::string()},
                                           {3, "orderTimestamp", Type::timestamp(3)}};
  std::string out;
  encode_row(row, cols, out);
  CHECK(out == "{\"id\":42,\"name\":\"Ann\",\"topping\":\"🍍 pineapple\",\"orderTimestamp\":\"2023-01-01 10:00:00.12\"}");
  // Jackson's defaults (Flink: JsonRowDataSerializationSchema): the emoji is raw UTF-8, never \ud83c escapes.
  CHECK(out.find("\"\xF0\x9F\x8D\x8D pineapple\"") != std::string::npos);
}

TEST_CASE("upsert key and values of 02 (key = PK columns, same code)") {
  const Value row[] = {Value::integer(7), Value::string("Ann"), Value::integer(4),
                       Value::string("🍍 pineapple,🍓 strawberry,🍍 pineapple,🍌 banana"), Value::integer(k10am + 120)};
  const std::vector<EncodedColumn> value_cols = {{0, "id", Type::integer()},
                                                 {1, "name", Type::string()},
                                                 {2, "nr_bad_items", Type::bigint()},
                                                 {3, "toppings", Type::string()},
                                                 {4, "orderTimestamp", Type::timestamp(3)}};
  const std::vector<EncodedColumn> key_cols = {{0, "id", Type::integer().with_nullable(false)}};
  std::string key, value;
  encode_row(row, key_cols, key);
  encode_row(row, value_cols, value);
  CHECK(key == "{\"id\":7}");
  CHECK(value ==
        "{\"id\":7,\"name\":\"Ann\",\"nr_bad_items\":4,\"toppings\":\"🍍 pineapple,🍓 strawberry,🍍 pineapple,🍌 banana\","
        "\"orderTimestamp\":\"2023-01-01 10:00:00.12\"}");
}

TEST_CASE("window key and value of 03") {
  const Value row[] = {Value::integer(k10am + 4999), Value::integer(k10am), Value::integer(k10am + 5000),
                       Value::string("🍍 pineapple"), Value::integer(12)};
  const Type ts = Type::timestamp(3);
  const std::vector<EncodedColumn> value_cols = {{0, "window_time", ts},
                                                 {1, "window_start", ts},
                                                 {2, "window_end", ts},
                                                 {3, "topping", Type::string()},
                                                 {4, "nr_orders", Type::bigint()}};
  const std::vector<EncodedColumn> key_cols = {{3, "topping", Type::string()}, {1, "window_start", ts}, {2, "window_end", ts}};
  std::string key, value;
  encode_row(row, key_cols, key);
  encode_row(row, value_cols, value);
  CHECK(key == "{\"topping\":\"🍍 pineapple\",\"window_start\":\"2023-01-01 10:00:00\",\"window_end\":\"2023-01-01 10:00:05\"}");
  CHECK(value ==
        "{\"window_time\":\"2023-01-01 10:00:04.999\",\"window_start\":\"2023-01-01 10:00:00\","
        "\"window_end\":\"2023-01-01 10:00:05\",\"topping\":\"🍍 pineapple\",\"nr_orders\":12}");
}

TEST_CASE("trends keys and values") {
  const Value row[] = {Value::string("🍍 pineapple"), Value::integer(k10am + 4999), Value::string("5,7,9,6,4")};
  const std::vector<EncodedColumn> key_cols = {{0, "topping", Type::string()}, {1, "trend_start", Type::timestamp(3)}};
  std::vector<EncodedColumn> value_cols = key_cols;
  value_cols.push_back({2, "trend_detail", Type::string()});
  std::string key, value;
  encode_row(row, key_cols, key);
  encode_row(row, value_cols, value);
  CHECK(key == "{\"topping\":\"🍍 pineapple\",\"trend_start\":\"2023-01-01 10:00:04.999\"}");
  CHECK(value == "{\"topping\":\"🍍 pineapple\",\"trend_start\":\"2023-01-01 10:00:04.999\",\"trend_detail\":\"5,7,9,6,4\"}");
}

TEST_CASE("NULL members are written, or omitted with ignore_null_fields") {
  const Value row[] = {Value::integer(1), Value::null()};
  const std::vector<EncodedColumn> cols = {{0, "id", Type::integer()}, {1, "shop", Type::string()}};
  std::string out;
  encode_row(row, cols, out);
  CHECK(out == "{\"id\":1,\"shop\":null}");
  out.clear();
  encode_row(row, cols, out, JsonEncodeOptions{.ignore_null_fields = true});
  CHECK(out == "{\"id\":1}");
}

TEST_CASE("Jackson string escaping") {
  std::string out;
  append_json_string(out, "q\" b\\ \b\t\n\f\r \x01\x1f / \x7f é");
  CHECK(out == "\"q\\\" b\\\\ \\b\\t\\n\\f\\r \\u0001\\u001F / \x7f é\"");
  out.clear();
  append_json_string(out, std::string("\0", 1));
  CHECK(out == "\"\\u0000\"");
}

TEST_CASE("integers, booleans, doubles and floats as Java prints them") {
  CHECK(enc(Value::integer(-3), Type::integer()) == "-3");
  CHECK(enc(Value::integer(INT64_MIN), Type::bigint()) == "-9223372036854775808");
  CHECK(enc(Value::boolean(true), Type::boolean()) == "true");
  CHECK(enc(Value::boolean(false), Type::boolean()) == "false");
  CHECK(dbl(1.0) == "1.0");
  CHECK(dbl(0.1) == "0.1");
  CHECK(dbl(1.0e7) == "1.0E7");
  CHECK(dbl(9999999.0) == "9999999.0");
  CHECK(dbl(1.0e-4) == "1.0E-4");
  CHECK(dbl(0.001) == "0.001");
  CHECK(dbl(-0.0) == "-0.0");
  CHECK(dbl(0.0) == "0.0");
  CHECK(dbl(123.456) == "123.456");
  CHECK(dbl(-1.5e300) == "-1.5E300");
  CHECK(dbl(1e21) == "1.0E21");
  CHECK(dbl(4.9e-324) == "4.9E-324");
  CHECK(dbl(1.7976931348623157e308) == "1.7976931348623157E308");
  CHECK(enc(Value::real(2.5), Type::double_type()) == "2.5");
  CHECK(enc(Value::real(0.1f), Type::float_type()) == "0.1");  // Float.toString, not 0.10000000149011612
  CHECK(enc(Value::real(1.0e10f), Type::float_type()) == "1.0E10");
  // Jackson's WRITE_NAN_AS_STRINGS default quotes non-finite numbers.
  CHECK(enc(Value::real(std::nan("")), Type::double_type()) == "\"NaN\"");
  CHECK(enc(Value::real(std::numeric_limits<double>::infinity()), Type::double_type()) == "\"Infinity\"");
  CHECK(enc(Value::real(-std::numeric_limits<double>::infinity()), Type::double_type()) == "\"-Infinity\"");
}

TEST_CASE("DECIMAL as BigDecimal.toString after Jackson's stripTrailingZeros (Flink JSON format: JsonRowDataSerializationSchema)") {
  const Type d52 = Type::decimal(5, 2);
  CHECK(enc(Value::decimal(1250), d52) == "12.5");
  CHECK(enc(Value::decimal(10000), d52) == "1E+2");
  CHECK(enc(Value::decimal(0), d52) == "0");
  CHECK(enc(Value::decimal(-5), d52) == "-0.05");
  CHECK(enc(Value::decimal(27), Type::decimal(10, 9)) == "2.7E-8");
  CHECK(enc(Value::decimal(1), Type::decimal(10, 6)) == "0.000001");
  CHECK(enc(Value::decimal(1), Type::decimal(10, 7)) == "1E-7");
  CHECK(enc(Value::decimal(123000), Type::decimal(10, 0)) == "1.23E+5");
  JsonEncodeOptions exact{.decimal_strip_trailing_zeros = false};
  CHECK(enc(Value::decimal(10000), d52, exact) == "100.00");
  CHECK(enc(Value::decimal(0), d52, exact) == "0.00");
  CHECK(enc(Value::decimal(27), Type::decimal(10, 9), exact) == "2.7E-8");
  JsonEncodeOptions plain{.decimal_as_plain_number = true};
  CHECK(enc(Value::decimal(27), Type::decimal(10, 9), plain) == "0.000000027");
  CHECK(enc(Value::decimal(10000), d52, plain) == "100");
  const __int128 big = static_cast<__int128>(INT64_MAX) * 1000 + 7;
  CHECK(enc(Value::big_decimal(&big), Type::decimal(38, 3)) == "9223372036854775807.007");
  CHECK(int128_to_string(-big) == "-9223372036854775807007");
}

TEST_CASE("temporal types, bytes and nested values") {
  CHECK(enc(Value::integer(k10am), Type::timestamp_ltz(3)) == "\"2023-01-01 10:00:00Z\"");
  CHECK(enc(Value::integer(k10am + 120), Type::timestamp(3), JsonEncodeOptions{.timestamp_iso8601 = true}) ==
        "\"2023-01-01T10:00:00.12\"");
  CHECK(enc(Value::integer(19358), Type::date()) == "\"2023-01-01\"");
  CHECK(enc(Value::integer(36000123), Type::time(3)) == "\"10:00:00\"");
  CHECK(enc(Value::string("hi!"), Type::bytes()) == "\"aGkh\"");

  const Value toppings[] = {Value::string("🍍 pineapple"), Value::null()};
  const Value pizza[] = {Value::string("Diavola"), Value::array(toppings, 2)};
  const Value pizzas[] = {Value::row(pizza, 2)};
  const Type pizza_t = Type::row({"pizzaName", "additionalToppings"}, {Type::string(), Type::array(Type::string())});
  CHECK(enc(Value::array(pizzas, 1), Type::array(pizza_t)) ==
        "[{\"pizzaName\":\"Diavola\",\"additionalToppings\":[\"🍍 pineapple\",null]}]");
  CHECK(enc(Value::array(nullptr, 0), Type::array(Type::integer())) == "[]");
  const Value kv[] = {Value::string("a"), Value::integer(1), Value::string("b\""), Value::null()};
  CHECK(enc(Value::map(kv, 2), Type::map(Type::string(), Type::integer())) == "{\"a\":1,\"b\\\"\":null}");
  CHECK(json_unsupported_type(Type::map(Type::integer(), Type::integer())).has_value());
  CHECK(json_unsupported_type(Type::array(Type::interval_day_time())).has_value());
  CHECK_FALSE(json_unsupported_type(Type::array(pizza_t)).has_value());
}
