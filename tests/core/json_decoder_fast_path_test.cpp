// The JSON decoder's fast path (whole record straight into simdjson) must
// decode exactly what the slow path (JsonFirstValue pre-scan) decodes: same
// status, same error text, same row. Records that only the slow path can
// handle are checked one by one, then random mutations are compared wholesale.
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <random>

#include "core/json/json_decoder.hpp"
#include "core/json/json_encoder.hpp"
#include "core/json/json_first_value.hpp"
#include "core/json/json_text.hpp"

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

// Reads only some members, so the others (arrays included) are skipped.
Schema id_only_schema() { return Schema{{{"id", Type::integer()}, {"name", Type::string()}}}; }

// Nested values as text, as a ROW and as a MAP.
Schema nested_schema() {
  return Schema{{{"id", Type::string()},
                 {"pizzas", Type::string()},
                 {"shop", Type::map(Type::string(), Type::string())},
                 {"x", Type::row({"pizzaName"}, {Type::string()})}}};
}

struct Outcome {
  JsonDecodeResult result;
  std::string row_json;  // the decoded row as compact JSON, when there is one
};

class Decoders {
 public:
  explicit Decoders(const Schema& schema, JsonDecodeOptions options = {})
      : decoder_(schema, options), row_(schema.size()) {
    for (size_t i = 0; i < schema.size(); ++i) columns_.push_back({i, schema[i].name, schema[i].type});
  }

  Outcome fast(std::string_view text) { return run(text, true); }
  Outcome reference(std::string_view text) { return run(text, false); }

 private:
  Outcome run(std::string_view text, bool with_fast_path) {
    Arena arena;
    std::fill(row_.begin(), row_.end(), Value::null());
    Outcome out;
    out.result = with_fast_path ? decoder_.decode(text, row_.data(), arena)
                                : decoder_.decode_without_fast_path(text, row_.data(), arena);
    if (out.result.ok()) encode_row(row_.data(), columns_, out.row_json);
    return out;
  }

  JsonRowDecoder decoder_;
  std::vector<Value> row_;
  std::vector<EncodedColumn> columns_;
};

// Both paths agree; returns what they produced.
Outcome agreed(Decoders& d, std::string_view text) {
  Outcome fast = d.fast(text);
  Outcome reference = d.reference(text);
  INFO("record: " << text);
  CHECK(static_cast<int>(fast.result.status) == static_cast<int>(reference.result.status));
  CHECK(fast.result.error == reference.result.error);
  CHECK(fast.row_json == reference.row_json);
  return fast;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::string kFixtures = std::string(ANANAS_SOURCE_DIR) + "/tests/core/fixtures/";

}  // namespace

TEST_CASE("fast path: plain records decode as before") {
  Decoders d(order_schema());
  auto r = agreed(d, R"(  {"id":7,"shop":"S","pizzas":[{"pizzaName":"A","additionalToppings":["x"]}],"timestamp":5}  )");
  REQUIRE(r.result.ok());
  CHECK(r.row_json ==
        R"({"id":7,"shop":"S","name":null,"phoneNumber":null,"address":null,"pizzas":[{"pizzaName":"A","additionalToppings":["x"]}],"timestamp":5})");
  // Decoding many records in a row: the reused buffer must not leak a longer
  // previous record into a shorter one.
  CHECK(agreed(d, R"({"id":1,"address":")" + std::string(500, 'a') + "\"}").result.ok());
  CHECK(agreed(d, R"({"id":2})").row_json ==
        R"({"id":2,"shop":null,"name":null,"phoneNumber":null,"address":null,"pizzas":null,"timestamp":null})");
}

TEST_CASE("fast path boundary: raw control characters inside strings") {
  Decoders d(order_schema());
  auto r = agreed(d, "{\"id\":1,\"name\":\"a\tb\nc\x01\",\"shop\":\"s\"}");
  REQUIRE(r.result.ok());
  CHECK(r.row_json ==
        R"({"id":1,"shop":"s","name":"a\tb\nc\u0001","phoneNumber":null,"address":null,"pizzas":null,"timestamp":null})");
  Decoders nested(nested_schema());
  auto text = agreed(nested, "{\"pizzas\":[\"x\ty\"],\"shop\":{\"k\n\":\"v\r\"}}");
  REQUIRE(text.result.ok());
  CHECK(text.row_json == R"({"id":null,"pizzas":"[\"x\\ty\"]","shop":{"k\n":"v\r"},"x":null})");
}

TEST_CASE("fast path boundary: content after the first value is ignored") {
  Decoders d(id_only_schema());
  for (std::string_view text : {R"({"id":1} xyz)", R"({"id":1}})", R"({"id":1} {"id":2})", R"({"id":1}])",
                                "{\"id\":1}\n\"open", "{\"id\":1} \xff"}) {
    auto r = agreed(d, text);
    REQUIRE(r.result.ok());
    CHECK(r.row_json == R"({"id":1,"name":null})");
  }
}

TEST_CASE("fast path boundary: duplicate members, the last wins") {
  Decoders d(id_only_schema());
  CHECK(agreed(d, R"({"id":1,"name":"a","id":2,"name":"b"})").row_json == R"({"id":2,"name":"b"})");
  Decoders nested(nested_schema());
  CHECK(agreed(nested, R"({"shop":{"k":"1","k":"2"},"x":{"pizzaName":"a","pizzaName":"b"}})").row_json ==
        R"({"id":null,"pizzas":null,"shop":{"k":"2"},"x":{"pizzaName":"b"}})");
}

TEST_CASE("fast path boundary: invalid UTF-8 is reported at its byte") {
  Decoders d(id_only_schema());
  // In a member nobody reads, so only a UTF-8 check can notice it.
  auto r = agreed(d, "{\"id\":1,\"other\":\"ab\xc3\x28\"}");
  CHECK(r.result.status == JsonDecodeStatus::Error);
  CHECK(r.result.error == "value is not valid UTF-8 at byte 19");
  CHECK(agreed(d, "{\"id\":1,\"name\":\"\xed\xa0\x80\"}").result.error == "value is not valid UTF-8 at byte 16");
  CHECK(agreed(d, "{\"id\":1,\"name\":\"\xf4\x90\x80\x80\"}").result.error == "value is not valid UTF-8 at byte 16");
  Decoders lenient(id_only_schema(), {.ignore_parse_errors = true});
  CHECK(agreed(lenient, "{\"id\":1,\"other\":\"\xff\"}").result.status == JsonDecodeStatus::Skipped);
}

TEST_CASE("fast path boundary: lone surrogates and bad escapes are errors") {
  Decoders d(id_only_schema());
  auto lone = agreed(d, R"({"id":1,"name":"\ud83c oops"})");
  CHECK(lone.result.status == JsonDecodeStatus::Error);
  CHECK(lone.result.error.rfind("malformed JSON at byte", 0) == 0);
  CHECK(agreed(d, R"({"id":1,"name":"\x41"})").result.status == JsonDecodeStatus::Error);
  CHECK(agreed(d, R"({"id":1,"name":"\ud83c\udf4d"})").row_json == "{\"id\":1,\"name\":\"\xF0\x9F\x8D\x8D\"}");
}

TEST_CASE("fast path boundary: mismatched brackets in skipped members are still errors") {
  // simdjson skips unread values by depth alone; the pre-scan matches kinds.
  Decoders d(id_only_schema());
  auto r = agreed(d, R"({"id":1,"pizzas":[1}})");
  CHECK(r.result.status == JsonDecodeStatus::Error);
  CHECK(r.result.error == "malformed JSON at byte 19: unexpected '}'");
  CHECK(agreed(d, R"({"pizzas":{"a":[]]},"id":1})").result.status == JsonDecodeStatus::Error);
  CHECK(agreed(d, R"({"pizzas":[{"a":"]}"}],"id":1})").row_json == R"({"id":1,"name":null})");
  Decoders lenient(order_schema(), {.ignore_parse_errors = true});
  // A field error turned into NULL leaves the rest of its value unread too.
  CHECK(agreed(lenient, R"({"id":{"a":[1}},"shop":"s"})").result.status == JsonDecodeStatus::Skipped);
  CHECK(agreed(lenient, R"({"id":{"a":[1]},"shop":"s"})").result.ok());
}

// Found by fuzz/json_record: a pizza order cut and spliced so that the
// skipped string "(283)zzaName" is followed by ':'. On Demand, skipping an
// unread string that a ':' follows, takes it for a key and skips on by depth
// alone: the fast path gave a row, the slow path (whose pre-scan saw the
// `[...}` mismatch) an error. Jackson fails such a record (Flink: a parse
// error, or a skipped record with json.ignore-parse-errors), so skipped
// values are now read through, and both paths report it.
TEST_CASE("fast path boundary: a skipped value's grammar is checked as Jackson checks it") {
  std::ifstream in(std::string(ANANAS_SOURCE_DIR) +
                       "/fuzz/corpus/json_record/crash-117f957cff7233f655c1a9f7ecf8efd525f7052b",
                   std::ios::binary);
  REQUIRE(in.good());
  const std::string fuzzed{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  REQUIRE(fuzzed.find(R"("phoneNumber": "(283)zzaName": "Margherita")") != std::string::npos);
  for (const Schema& schema : {id_only_schema(), nested_schema()}) {
    Decoders d(schema);
    CHECK(agreed(d, fuzzed).result.status == JsonDecodeStatus::Error);
    Decoders lenient(schema, {.ignore_parse_errors = true});
    CHECK(agreed(lenient, fuzzed).result.status == JsonDecodeStatus::Skipped);
  }
  // With the brackets matched, both paths used to give a row.
  Decoders d(id_only_schema());
  for (std::string_view text : {R"({"x":"a":[1],"id":5})", R"({"x":{"y":"a":1},"id":5})", R"({"x":["a":1],"id":5})",
                                R"({"x":{"y" 1},"id":5})", R"({"x":[1 2],"id":5})", R"({"x":1.2.3,"id":5})",
                                R"({"x":nul,"id":5})", R"({"x":{"y":1,},"id":5})"}) {
    auto r = agreed(d, text);
    CHECK(r.result.status == JsonDecodeStatus::Error);
    CHECK_THAT(r.result.error, Catch::StartsWith("malformed JSON at byte"));
  }
  // Well-formed skipped values of every kind still decode.
  CHECK(agreed(d, R"({"x":{"y":[1,{"z":null}],"w":"\u00e9"},"a":[true,false,-1.5e3,"s"],"id":5})").row_json ==
        R"({"id":5,"name":null})");
}

TEST_CASE("is_one_container: one bracketed value with closed strings, nothing after it") {
  CHECK(JsonFirstValue::is_one_container(R"( {"a":[1,{"b":"x\"]"}]} )"));
  CHECK(JsonFirstValue::is_one_container(R"(["\\"])"));
  CHECK_FALSE(JsonFirstValue::is_one_container(R"(["\\\"])"));
  CHECK_FALSE(JsonFirstValue::is_one_container(R"({"a":[1}})"));
  CHECK_FALSE(JsonFirstValue::is_one_container(R"({"a":1} x)"));
  CHECK_FALSE(JsonFirstValue::is_one_container(R"({"a":1)"));
  CHECK_FALSE(JsonFirstValue::is_one_container(R"({"a":"1})"));
  CHECK_FALSE(JsonFirstValue::is_one_container("  "));
  CHECK_FALSE(JsonFirstValue::is_one_container("1"));
}

TEST_CASE("fast path fuzz: 20,000 mutations decode identically on both paths") {
  const auto orders = read_lines(kFixtures + "pizza_orders_seed1.jsonl");
  REQUIRE(!orders.empty());
  std::vector<std::unique_ptr<Decoders>> decoders;
  for (const Schema& schema : {order_schema(), id_only_schema(), nested_schema()}) {
    decoders.push_back(std::make_unique<Decoders>(schema));
    decoders.push_back(std::make_unique<Decoders>(schema, JsonDecodeOptions{.ignore_parse_errors = true}));
  }
  std::mt19937 rng(777);
  const std::string alphabet = "{}[]\":,\\ \t\n0123456789-.eEtrufalsn\x01\xff\xc3\xa9\xf0\xed";
  size_t rows = 0, mismatches = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = orders[rng() % orders.size()];
    switch (i % 5) {
      case 0: text.resize(rng() % (text.size() + 1)); break;
      case 1:
        for (int k = 0, n = 1 + static_cast<int>(rng() % 4); k < n; ++k)
          text[rng() % text.size()] = alphabet[rng() % alphabet.size()];
        break;
      case 2: text.erase(rng() % text.size(), 1 + rng() % 8); break;
      case 3: text.insert(rng() % text.size(), 1, alphabet[rng() % alphabet.size()]); break;
      default: text += alphabet.substr(rng() % alphabet.size(), 1 + rng() % 3);
    }
    for (auto& d : decoders) {
      Outcome fast = d->fast(text);
      Outcome reference = d->reference(text);
      const bool same = fast.result.status == reference.result.status && fast.result.error == reference.result.error &&
                        fast.row_json == reference.row_json;
      if (!same && ++mismatches <= 5) {
        INFO("record: " << text << "\nfast: " << fast.result.error << fast.row_json
                        << "\nreference: " << reference.result.error << reference.row_json);
        CHECK(same);
      }
      if (fast.result.ok()) ++rows;
    }
  }
  CHECK(mismatches == 0);
  CHECK(rows > 10000);  // the comparison covered plenty of successful decodes
}

TEST_CASE("simdjson's UTF-8 check agrees with find_invalid_utf8 on every short sequence") {
  // The fast path trusts simdjson's validation where the slow path runs
  // find_invalid_utf8; they must accept exactly the same bytes. All 1- and
  // 2-byte strings, and 3- and 4-byte strings from lead bytes 0xC0..0xFF.
  size_t disagreements = 0;
  auto compare = [&](const unsigned char* bytes, size_t n) {
    std::string_view s(reinterpret_cast<const char*>(bytes), n);
    if (simdjson::validate_utf8(s.data(), s.size()) != !find_invalid_utf8(s).has_value() && ++disagreements <= 5) {
      std::string hex;
      for (unsigned char b : s) hex += std::to_string(b) + " ";
      INFO("bytes: " << hex);
      CHECK(false);
    }
  };
  unsigned char b[4];
  for (int x = 0; x < 256; ++x) {
    b[0] = static_cast<unsigned char>(x);
    compare(b, 1);
    for (int y = 0; y < 256; ++y) {
      b[1] = static_cast<unsigned char>(y);
      compare(b, 2);
      if (x < 0xC0) continue;
      for (int z = 0; z < 256; ++z) {
        b[2] = static_cast<unsigned char>(z);
        compare(b, 3);
        if (x < 0xF0 || (y & 0xC0) != 0x80 || (z & 0xC0) != 0x80) continue;
        for (int w : {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0, 0xFF}) {
          b[3] = static_cast<unsigned char>(w);
          compare(b, 4);
        }
      }
    }
  }
  CHECK(disagreements == 0);
}
