// Fields nobody reads (JsonField::keep = false, projection push-down) are
// checked, not kept: a decoder that keeps only some fields must accept and
// refuse exactly the records, with exactly the errors, of one that keeps them
// all (as Flink's Kafka source deserializes every physical column), give the
// same kept cells and leave the others NULL, on the fast and the slow path.
#include <catch2/catch.hpp>
#include <fstream>
#include <random>

#include "core/json/json_decoder.hpp"
#include "core/json/json_encoder.hpp"

using namespace ananas;

namespace {

const Type kPizza = Type::row({"pizzaName", "additionalToppings"}, {Type::string(), Type::array(Type::string())});

// The tutorial's order, an INT among the unread columns included.
std::vector<JsonField> order_fields(bool keep_all) {
  std::vector<JsonField> f = {{0, "id", Type::integer()},         {1, "shop", Type::string()},
                              {2, "name", Type::string()},        {3, "phoneNumber", Type::string()},
                              {4, "address", Type::string()},     {5, "pizzas", Type::array(kPizza)},
                              {6, "timestamp", Type::bigint()}};
  if (!keep_all)
    for (size_t i : {1, 3, 4, 6}) f[i].keep = false;
  return f;
}

struct Decoded {
  JsonDecodeResult result;
  std::string kept;  // the kept cells (id, name, pizzas) as compact JSON
};

Decoded run(JsonRowDecoder& d, std::string_view text, bool fast) {
  Arena arena;
  std::vector<Value> row(7, Value::null());
  Decoded out;
  out.result = fast ? d.decode(text, row.data(), arena) : d.decode_without_fast_path(text, row.data(), arena);
  if (!out.result.ok()) return out;
  const std::vector<EncodedColumn> kept = {{0, "id", Type::integer()}, {2, "name", Type::string()},
                                           {5, "pizzas", Type::array(kPizza)}};
  encode_row(row.data(), kept, out.kept);
  return out;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("unread fields: checked like read ones, kept never, over 10,000 mutated orders") {
  const auto orders = read_lines(std::string(ANANAS_SOURCE_DIR) + "/tests/core/fixtures/pizza_orders_seed1.jsonl");
  REQUIRE(!orders.empty());
  for (bool lenient : {false, true}) {
    JsonDecodeOptions options{.ignore_parse_errors = lenient};
    JsonRowDecoder all(order_fields(true), 7, options);
    JsonRowDecoder some(order_fields(false), 7, options);
    std::mt19937 rng(4242);
    const std::string alphabet = "{}[]\":,\\ \t\n0123456789-.eEtrufalsnq\x01\xff\xc3\xa9";
    size_t rows = 0, errors = 0, mismatches = 0;
    for (int i = 0; i < 10000; ++i) {
      std::string text = orders[rng() % orders.size()];
      if (i % 4 != 0)
        for (int k = 0, n = 1 + static_cast<int>(rng() % 3); k < n; ++k)
          text[rng() % text.size()] = alphabet[rng() % alphabet.size()];
      Decoded expected = run(all, text, true);
      for (bool fast : {true, false}) {
        Decoded got = run(some, text, fast);
        // The unread cells: NULL whatever the record held.
        std::vector<Value> row(7, Value::integer(1));
        Arena arena;
        JsonDecodeResult r = fast ? some.decode(text, row.data(), arena) : some.decode_without_fast_path(text, row.data(), arena);
        bool unread_null = !r.ok() || (row[1].is_null() && row[3].is_null() && row[4].is_null() && row[6].is_null());
        const bool same = got.result.status == expected.result.status && got.result.error == expected.result.error &&
                          got.kept == expected.kept && unread_null;
        if (!same && ++mismatches <= 5) {
          INFO("record: " << text << "\nall: " << expected.result.error << expected.kept << "\nsome (fast=" << fast
                          << "): " << got.result.error << got.kept);
          CHECK(same);
        }
      }
      if (expected.result.ok()) ++rows;
      else ++errors;
    }
    CHECK(mismatches == 0);
    CHECK(rows > 1000);   // plenty of good records compared
    CHECK(errors > 500);  // and plenty of bad ones
  }
}

TEST_CASE("unread fields: a wrong type or a bad escape in one is the same error as in a read one") {
  JsonRowDecoder all(order_fields(true), 7);
  JsonRowDecoder some(order_fields(false), 7);
  for (std::string_view text : {R"({"id":1,"timestamp":"soon"})", R"({"id":1,"shop":"a\qb"})", R"({"id":1,"address":"\ud83c"})"}) {
    INFO("record: " << text);
    Decoded expected = run(all, text, true);
    Decoded got = run(some, text, true);
    CHECK(expected.result.status == JsonDecodeStatus::Error);
    CHECK(got.result.status == JsonDecodeStatus::Error);
    CHECK(got.result.error == expected.result.error);
  }
  // Any JSON value is a STRING's: no error, nothing kept.
  Decoded ok = run(some, R"({"id":1,"shop":{"x":[1,true]},"phoneNumber":42,"name":"n"})", true);
  REQUIRE(ok.result.ok());
  CHECK(ok.kept == R"({"id":1,"name":"n","pizzas":null})");
}
