#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include "core/json/json_decoder.hpp"
#include "core/json/json_encoder.hpp"

using namespace ananas;

namespace {

const Type kPizza = Type::row({"pizzaName", "additionalToppings"}, {Type::string(), Type::array(Type::string())});

Schema order_schema() {
  return Schema{{{"id", Type::integer()},
                 {"shop", Type::string()},
                 {"name", Type::string()},
                 {"phoneNumber", Type::string()},
                 {"address", Type::string()},
                 {"pizzas", Type::array(kPizza)},
                 {"timestamp", Type::bigint()}}};
}

struct Decoded {
  JsonDecodeResult result;
  Batch batch{1};
};

// Decodes one value into a fresh batch through decode_append.
Decoded decode(JsonRowDecoder& d, std::optional<std::string_view> value) {
  Decoded out{{}, Batch(d.row_width())};
  out.result = d.decode_append(value, out.batch);
  return out;
}

// A one-column decoder: {"v": <json>} as `type`.
Decoded decode_one(const Type& type, std::string_view member_json, JsonDecodeOptions o = {}) {
  JsonRowDecoder d(Schema{{{"v", type}}}, o);
  static std::string text;
  text = "{\"v\":" + std::string(member_json) + "}";
  return decode(d, text);
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::string kFixtures = std::string(ANANAS_SOURCE_DIR) + "/tests/core/fixtures/";

}  // namespace

TEST_CASE("null and empty values give no row and no error") {
  JsonRowDecoder d(order_schema());
  CHECK(decode(d, std::nullopt).result.status == JsonDecodeStatus::NoRow);
  CHECK(decode(d, std::string_view()).result.status == JsonDecodeStatus::NoRow);
  CHECK(decode(d, "null").result.status == JsonDecodeStatus::NoRow);
  auto r = decode(d, "{}");
  CHECK(r.result.ok());
  CHECK(r.batch.num_rows() == 1);
  CHECK(decode(d, std::nullopt).batch.num_rows() == 0);
}

TEST_CASE("members by exact name, any order, unknown ignored, missing NULL") {
  JsonRowDecoder d(order_schema());
  auto r = decode(d, R"({"x":{"deep":[1,2,{"a":null}]},"shop":"Mario","ID":5,"id":1})");
  REQUIRE(r.result.ok());
  CHECK(r.batch.at(0, 0).as_int() == 1);
  CHECK(r.batch.at(0, 1).as_string() == "Mario");
  for (size_t c = 2; c < 7; ++c) CHECK(r.batch.at(0, c).is_null());
  // Duplicates: the last one wins (Flink: JsonParserRowDataDeserializationSchema).
  auto dup = decode(d, R"({"id":1,"id":2})");
  REQUIRE(dup.result.ok());
  CHECK(dup.batch.at(0, 0).as_int() == 2);
}

TEST_CASE("fail-on-missing-field and the option conflict") {
  JsonRowDecoder strict(order_schema(), JsonDecodeOptions{.fail_on_missing_field = true});
  auto r = decode(strict, R"({"id":1})");
  CHECK(r.result.status == JsonDecodeStatus::Error);
  CHECK(r.result.error == "field 'shop': missing (fail-on-missing-field is set)");
  CHECK(r.batch.num_rows() == 0);
  CHECK_THROWS_WITH(JsonRowDecoder(order_schema(), JsonDecodeOptions{.fail_on_missing_field = true, .ignore_parse_errors = true}),
                    "fail-on-missing-field and ignore-parse-errors shouldn't both be true.");
}

TEST_CASE("only the fields given are filled, metadata cells are the caller's") {
  JsonRowDecoder d({{2, "id", Type::integer()}, {0, "shop", Type::string()}}, 3);
  auto r = decode(d, R"({"id":3,"shop":"S","ts":99})");
  REQUIRE(r.result.ok());
  CHECK(r.batch.at(0, 2).as_int() == 3);
  CHECK(r.batch.at(0, 0).as_string() == "S");
  CHECK(r.batch.at(0, 1).is_null());
  r.batch.mutable_row(0)[1] = Value::integer(1672567200123);
  CHECK(r.batch.at(0, 1).as_int() == 1672567200123);
  CHECK_THROWS(JsonRowDecoder({{3, "id", Type::integer()}}, 3));
}

TEST_CASE("lenient INT/BIGINT conversion") {
  CHECK(decode_one(Type::integer(), "1.9").batch.at(0, 0).as_int() == 1);
  CHECK(decode_one(Type::integer(), "-1.9").batch.at(0, 0).as_int() == -1);
  CHECK(decode_one(Type::integer(), "\" 12 \"").batch.at(0, 0).as_int() == 12);
  CHECK(decode_one(Type::bigint(), "9223372036854775807").batch.at(0, 0).as_int() == INT64_MAX);
  CHECK(decode_one(Type::bigint(), "1e3").batch.at(0, 0).as_int() == 1000);
  CHECK(decode_one(Type::tinyint(), "-128").batch.at(0, 0).as_int() == -128);
  CHECK(decode_one(Type::integer(), "null").batch.at(0, 0).is_null());
  auto abc = decode_one(Type::integer(), "\"abc\"");
  CHECK(abc.result.status == JsonDecodeStatus::Error);
  CHECK(abc.result.error == "field 'v': expected INT, got \"abc\"");
  CHECK(decode_one(Type::integer(), "3000000000").result.error == "field 'v': expected INT, got 3000000000");
  CHECK(decode_one(Type::integer(), "true").result.error == "field 'v': expected INT, got true");
  CHECK(decode_one(Type::integer(), "{}").result.error == "field 'v': expected INT, got object");
  CHECK(decode_one(Type::tinyint(), "128").result.status == JsonDecodeStatus::Error);
  CHECK(decode_one(Type::smallint(), "1.5").result.status == JsonDecodeStatus::Error);
  CHECK(decode_one(Type::bigint(), "9223372036854775808").result.status == JsonDecodeStatus::Error);
  CHECK(decode_one(Type::bigint(), "1e19").result.status == JsonDecodeStatus::Error);
}

TEST_CASE("VARCHAR takes numbers, booleans and nested values as JSON text") {
  CHECK(decode_one(Type::string(), "123").batch.at(0, 0).as_string() == "123");
  CHECK(decode_one(Type::string(), "1.50").batch.at(0, 0).as_string() == "1.50");
  CHECK(decode_one(Type::string(), "true").batch.at(0, 0).as_string() == "true");
  CHECK(decode_one(Type::string(), R"({ "a" : 1, "b": [ "x\u00e9", null ] })").batch.at(0, 0).as_string() ==
        "{\"a\":1,\"b\":[\"x\xC3\xA9\",null]}");
  CHECK(decode_one(Type::string(), "\"\"").batch.at(0, 0).as_string() == "");
}

TEST_CASE("strings: escapes, surrogate pairs, raw control characters") {
  auto r = decode_one(Type::string(), R"("\ud83c\udf4d pineapple")");
  REQUIRE(r.result.ok());
  CHECK(r.batch.at(0, 0).as_string() == "\xF0\x9F\x8D\x8D pineapple");
  CHECK(r.batch.at(0, 0).as_string() == decode_one(Type::string(), "\"🍍 pineapple\"").batch.at(0, 0).as_string());
  auto tab = decode_one(Type::string(), "\"a\tb\x01\"");
  REQUIRE(tab.result.ok());
  CHECK(tab.batch.at(0, 0).as_string() == "a\tb\x01");
  CHECK(decode_one(Type::string(), R"("a\"\\\/\n")").batch.at(0, 0).as_string() == "a\"\\/\n");
  CHECK(decode_one(Type::string(), R"("\ud83c oops")").result.status == JsonDecodeStatus::Error);
}

TEST_CASE("ARRAY, ROW and MAP") {
  JsonRowDecoder d(order_schema());
  auto r = decode(d, R"({"pizzas":[{"pizzaName":"A","additionalToppings":["x",null]},null,{"additionalToppings":[]}]})");
  REQUIRE(r.result.ok());
  const Value& pizzas = r.batch.at(0, 5);
  REQUIRE(pizzas.kind == ValueKind::Array);
  REQUIRE(pizzas.len == 3);
  const Value& first = pizzas.elements()[0];
  CHECK(first.elements()[0].as_string() == "A");
  CHECK(first.elements()[1].elements()[0].as_string() == "x");
  CHECK(first.elements()[1].elements()[1].is_null());
  CHECK(pizzas.elements()[1].is_null());
  CHECK(pizzas.elements()[2].elements()[0].is_null());
  CHECK(pizzas.elements()[2].elements()[1].len == 0);

  auto bad = decode(d, R"({"pizzas":[{"additionalToppings":[]},{},{"pizzaName":"C","additionalToppings":{"a":1}}]})");
  CHECK(bad.result.status == JsonDecodeStatus::Error);
  CHECK(bad.result.error == "field 'pizzas'[2].additionalToppings: expected ARRAY, got object");
  CHECK(decode(d, R"({"pizzas":{}})").result.error == "field 'pizzas': expected ARRAY, got object");
  CHECK(decode(d, R"({"pizzas":[1]})").result.error == "field 'pizzas'[0]: expected ROW, got 1");

  auto m = decode_one(Type::map(Type::string(), Type::integer()), R"({"a":1,"b":null,"a":3})");
  REQUIRE(m.result.ok());
  const Value& map = m.batch.at(0, 0);
  REQUIRE(map.len == 2);
  CHECK(map.elements()[0].as_string() == "a");
  CHECK(map.elements()[1].as_int() == 3);
  CHECK(map.elements()[3].is_null());
}

TEST_CASE("BOOLEAN, DOUBLE, DECIMAL, temporal and BYTES conversion") {
  CHECK(decode_one(Type::boolean(), "true").batch.at(0, 0).as_bool());
  CHECK(decode_one(Type::boolean(), "\" TRUE \"").batch.at(0, 0).as_bool());
  CHECK_FALSE(decode_one(Type::boolean(), "\"yes\"").batch.at(0, 0).as_bool());  // Boolean.parseBoolean
  CHECK(decode_one(Type::double_type(), "1.5e2").batch.at(0, 0).as_double() == 150.0);
  CHECK(decode_one(Type::double_type(), "\" 2.5 \"").batch.at(0, 0).as_double() == 2.5);
  CHECK(std::isnan(decode_one(Type::double_type(), "\"NaN\"").batch.at(0, 0).as_double()));
  CHECK(decode_one(Type::double_type(), "\"abc\"").result.status == JsonDecodeStatus::Error);
  CHECK(decode_one(Type::float_type(), "0.1").batch.at(0, 0).as_double() == static_cast<double>(0.1f));

  const Type d52 = Type::decimal(5, 2);
  CHECK(decode_one(d52, "12.345").batch.at(0, 0).unscaled() == 1235);  // HALF_UP
  CHECK(decode_one(d52, "-12.345").batch.at(0, 0).unscaled() == -1235);
  CHECK(decode_one(d52, "\"1e2\"").batch.at(0, 0).unscaled() == 10000);
  CHECK(decode_one(d52, "0.001").batch.at(0, 0).unscaled() == 0);
  auto overflow = decode_one(d52, "1000");  // DecimalData.fromBigDecimal gives null
  CHECK(overflow.result.ok());
  CHECK(overflow.batch.at(0, 0).is_null());
  auto big = decode_one(Type::decimal(38, 2), "123456789012345678901234567890.129");
  REQUIRE(big.result.ok());
  CHECK(big.batch.at(0, 0).kind == ValueKind::BigDecimal);
  std::string text;
  encode_value(big.batch.at(0, 0), Type::decimal(38, 2), text, JsonEncodeOptions{.decimal_strip_trailing_zeros = false});
  CHECK(text == "123456789012345678901234567890.13");
  CHECK(decode_one(d52, "true").result.status == JsonDecodeStatus::Error);

  CHECK(decode_one(Type::timestamp(3), "\"2023-01-01 10:00:00.123\"").batch.at(0, 0).as_int() == 1672567200123);
  CHECK(decode_one(Type::timestamp(3), "\"2023-01-01 10:00:00\"").batch.at(0, 0).as_int() == 1672567200000);
  CHECK(decode_one(Type::timestamp(3), "\"2023-01-01T10:00:00\"").result.error ==
        "field 'v': expected TIMESTAMP(3), got \"2023-01-01T10:00:00\"");
  CHECK(decode_one(Type::timestamp(3), "\"2023-01-01T10:00:00.5\"", JsonDecodeOptions{.timestamp_iso8601 = true})
            .batch.at(0, 0)
            .as_int() == 1672567200500);
  CHECK(decode_one(Type::timestamp_ltz(3), "\"2023-01-01 10:00:00Z\"").batch.at(0, 0).as_int() == 1672567200000);
  CHECK(decode_one(Type::timestamp(3), "1672567200000").result.status == JsonDecodeStatus::Error);
  CHECK(decode_one(Type::date(), "\"2023-01-01\"").batch.at(0, 0).as_int() == 19358);
  CHECK(decode_one(Type::date(), "\"2023-02-30\"").result.status == JsonDecodeStatus::Error);
  CHECK(decode_one(Type::time(0), "\"10:00:01.5\"").batch.at(0, 0).as_int() == 36001000);
  CHECK(decode_one(Type::bytes(), "\"aGkh\"").batch.at(0, 0).as_string() == "hi!");
}

TEST_CASE("ignore-parse-errors: bad fields become NULL, malformed documents are skipped") {
  JsonDecodeOptions lenient{.ignore_parse_errors = true};
  JsonRowDecoder d(order_schema(), lenient);
  auto r = decode(d, R"({"id":"abc","shop":"S","pizzas":[{"pizzaName":"A","additionalToppings":{}},5]})");
  REQUIRE(r.result.ok());
  CHECK(r.batch.at(0, 0).is_null());
  CHECK(r.batch.at(0, 1).as_string() == "S");
  const Value& pizzas = r.batch.at(0, 5);
  REQUIRE(pizzas.len == 2);
  CHECK(pizzas.elements()[0].elements()[1].is_null());
  CHECK(pizzas.elements()[1].is_null());
  auto skipped = decode(d, R"({"id":1,)");
  CHECK(skipped.result.status == JsonDecodeStatus::Skipped);
  CHECK(skipped.batch.num_rows() == 0);
  CHECK(decode(d, "[1]").result.status == JsonDecodeStatus::Skipped);
}

TEST_CASE("malformed documents: what and where") {
  JsonRowDecoder d(order_schema());
  auto err = [&](std::string_view text) {
    auto r = decode(d, text);
    CHECK(r.result.status == JsonDecodeStatus::Error);
    CHECK(r.batch.num_rows() == 0);
    return r.result.error;
  };
  CHECK(err(R"({"id":1,"shop":"Mar)") == "malformed JSON at byte 15: unclosed string");
  CHECK(err(R"({"id":[1,2})") == "malformed JSON at byte 10: unexpected '}'");
  CHECK(err(R"({"id":1)") == "malformed JSON at byte 0: unclosed object");
  CHECK(err("{\"a\":\"\xff\xfe\"}") == "value is not valid UTF-8 at byte 6");
  CHECK(err("  \t") == "malformed JSON at byte 3: no JSON value (only whitespace)");
  CHECK(err("[1,2]") == "top-level JSON value must be an object, got array");
  CHECK(err("\"x\"") == "top-level JSON value must be an object, got string");
  CHECK(err("42") == "top-level JSON value must be an object, got number");
  CHECK(err(R"({"id":tru})").find("invalid literal 'tru'") != std::string::npos);
  CHECK(err(R"({"id":1.2.3})").find("malformed JSON at byte 6: invalid number") == 0);
  CHECK(err(R"({"id" 1})").rfind("malformed JSON", 0) == 0);
  CHECK(err(R"({"id":1,})").rfind("malformed JSON", 0) == 0);
  CHECK(err("xyz").rfind("malformed JSON at byte 0", 0) == 0);
  // Text after the first complete value is ignored, as Jackson does (Flink: JsonParserRowDataDeserializationSchema).
  auto trailing = decode(d, R"({"id":1} xyz {"id":2})");
  REQUIRE(trailing.result.ok());
  CHECK(trailing.batch.at(0, 0).as_int() == 1);
}

TEST_CASE("huge values decode") {
  JsonRowDecoder d(order_schema());
  std::string big(10 * 1024 * 1024, 'x');
  big[12345] = '\n';
  std::string text = "{\"id\":1,\"address\":\"" + std::string(big).replace(12345, 1, "\\n") + "\"}";
  auto r = decode(d, text);
  REQUIRE(r.result.ok());
  CHECK(r.batch.at(0, 4).as_string() == big);
}

TEST_CASE("generated pizza orders round-trip to Flink's compact output") {
  const auto input = read_lines(kFixtures + "pizza_orders_seed1.jsonl");
  const auto expected = read_lines(kFixtures + "pizza_orders_seed1.flink.jsonl");
  REQUIRE(input.size() == 40);
  REQUIRE(expected.size() == input.size());
  const Schema schema = order_schema();
  JsonRowDecoder d(schema);
  std::vector<EncodedColumn> cols;
  for (size_t i = 0; i < schema.size(); ++i) cols.push_back({i, schema[i].name, schema[i].type});
  Batch batch(schema.size());
  for (size_t i = 0; i < input.size(); ++i) {
    auto r = d.decode_append(input[i], batch);
    REQUIRE(r.ok());
    std::string out;
    encode_row(batch.row(i), cols, out);
    CHECK(out == expected[i]);
  }
  CHECK(batch.num_rows() == input.size());
}

TEST_CASE("fuzz: random bytes and mutations of a real order never crash") {
  const auto orders = read_lines(kFixtures + "pizza_orders_seed1.jsonl");
  REQUIRE(!orders.empty());
  JsonRowDecoder strict(order_schema());
  JsonRowDecoder lenient(order_schema(), JsonDecodeOptions{.ignore_parse_errors = true});
  std::mt19937 rng(12345);
  const std::string alphabet = "{}[]\":,\\ 0123456789-.eEtrufalsn\x01\xff\xc3\xa9\xf0";
  size_t rows = 0, errors = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = orders[rng() % orders.size()];
    switch (i % 4) {
      case 0: text.resize(rng() % (text.size() + 1)); break;  // truncation
      case 1:
        for (int k = 0, n = 1 + static_cast<int>(rng() % 4); k < n; ++k) text[rng() % text.size()] = alphabet[rng() % alphabet.size()];
        break;
      case 2: text.erase(rng() % text.size(), 1 + rng() % 8); break;
      default:
        text.resize(rng() % 64);
        for (char& c : text) c = static_cast<char>(rng());
    }
    Batch batch(7);
    for (JsonRowDecoder* d : {&strict, &lenient}) {
      auto r = d->decode_append(text, batch);
      if (r.ok()) ++rows;
      else if (r.status == JsonDecodeStatus::Error || r.status == JsonDecodeStatus::Skipped) {
        ++errors;
        CHECK_FALSE(r.error.empty());
      }
    }
  }
  CHECK(rows > 0);
  CHECK(errors > 0);
}
