#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "connectors/datagen/datagen_source.hpp"
#include "connectors/datagen/pizza_generator.hpp"

using namespace ananas::connectors;
using namespace ananas::connectors::datagen;

TEST_CASE("python json.dumps escaping: surrogate pairs, lowercase hex, controls") {
  std::string out;
  append_python_json_string(out, "\xF0\x9F\x8D\x8D pineapple");  // U+1F34D
  CHECK(out == "\"\\ud83c\\udf4d pineapple\"");
  out.clear();
  append_python_json_string(out, "\xF0\x9F\x8C\xB6\xEF\xB8\x8F hot pepper");  // U+1F336 U+FE0F
  CHECK(out == "\"\\ud83c\\udf36\\ufe0f hot pepper\"");
  out.clear();
  append_python_json_string(out, std::string("a\"b\\c\nd\te\x01\x7f", 11));
  CHECK(out == "\"a\\\"b\\\\c\\nd\\te\\u0001\\u007f\"");
  out.clear();
  append_python_json_string(out, "caf\xC3\xA9 \xFF");  // é, then a malformed byte
  CHECK(out == "\"caf\\u00e9 \\ufffd\"");
}

TEST_CASE("pizza orders have the upstream producer's field order, separators and ranges") {
  PizzaGeneratorOptions options;
  options.first_id = 100;
  PizzaGenerator gen(options);
  PizzaOrder order;
  bool saw_escaped_emoji = false, saw_no_toppings = false;
  std::set<std::string> shops;
  for (int i = 0; i < 300; ++i) {
    gen.next(1700000000000 + i, order);
    CHECK(order.id == 100 + i);
    INFO(order.value);
    REQUIRE(order.value.rfind("{\"id\": " + std::to_string(100 + i) + ", \"shop\": \"", 0) == 0);
    REQUIRE(std::all_of(order.value.begin(), order.value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));  // ensure_ascii
    auto v = nlohmann::ordered_json::parse(order.value);
    std::vector<std::string> keys;
    for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(it.key());
    REQUIRE(keys == std::vector<std::string>{"id", "shop", "name", "phoneNumber", "address", "pizzas", "timestamp"});
    CHECK(v["timestamp"] == 1700000000000 + i);
    REQUIRE(v["pizzas"].size() >= 1);
    REQUIRE(v["pizzas"].size() <= 10);
    for (const auto& p : v["pizzas"]) {
      REQUIRE(p.size() == 2);
      REQUIRE(p.begin().key() == "pizzaName");
      REQUIRE(p["additionalToppings"].size() <= 5);
      if (p["additionalToppings"].empty()) saw_no_toppings = true;
    }
    CHECK(order.key == "{\"shop\": \"" + v["shop"].get<std::string>() + "\"}");
    shops.insert(v["shop"].get<std::string>());
    if (order.value.find("\\ud83c\\udf4d pineapple") != std::string::npos) saw_escaped_emoji = true;
    CHECK(order.value.find("\", \"pizzas\": [{\"pizzaName\": \"") != std::string::npos);
  }
  CHECK(saw_escaped_emoji);
  CHECK(saw_no_toppings);
  CHECK(shops.size() == 6);
}

TEST_CASE("default order ids fit INT and differ between runs started at different seconds") {
  int64_t a = PizzaGenerator::default_first_id(1767225600);  // 2026-01-01
  int64_t b = PizzaGenerator::default_first_id(1767225601);
  CHECK(b - a == 1000);
  CHECK(a >= 0);
  CHECK(PizzaGenerator::default_first_id(1999999999) + 1000 <= INT32_MAX);
  PizzaGeneratorOptions options;
  options.first_id = INT32_MAX;  // wraps to 0, never negative
  PizzaGenerator gen(options);
  PizzaOrder order;
  gen.next(0, order);
  CHECK(order.id == INT32_MAX);
  gen.next(0, order);
  CHECK(order.id == 0);
}

TEST_CASE("datagen source: count ends the input, offsets and timestamps are set") {
  DatagenSource source({{"count", "25"}, {"seed", "7"}, {"start-id", "0"}}, {"p", "pizza_source", {}});
  std::vector<int64_t> offsets;
  bool ended = false;
  for (int i = 0; i < 10 && !ended; ++i) {
    RawBatch batch = source.poll(10, std::chrono::milliseconds(100));
    for (const RawRecord& r : batch.records) {
      offsets.push_back(r.offset);
      CHECK(r.topic == "pizza_source");
      CHECK(r.ts_type == TimestampType::CreateTime);
      CHECK(r.timestamp_ms > 1600000000000);
      REQUIRE(r.key);
      REQUIRE(r.value);
      CHECK(r.value->find("{\"id\": " + std::to_string(r.offset) + ",") == 0);
    }
    ended = batch.end_of_input;
  }
  CHECK(ended);
  REQUIRE(offsets.size() == 25);
  CHECK(offsets.back() == 24);
  CHECK(source.lag().begin()->second == 0);
}

TEST_CASE("datagen source: rate limits how many records a poll returns") {
  DatagenSource source({{"rate", "50"}}, {"p", "t", {}});
  size_t total = 0;
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(400))
    total += source.poll(1000, std::chrono::milliseconds(50)).size();
  // 50/s for ~0.4 s: about 20, never the 1000 asked for.
  CHECK(total >= 10);
  CHECK(total <= 30);
}

TEST_CASE("datagen source: bad options name the key") {
  CHECK_THROWS_WITH(DatagenSource(Options{{"rate", "fast"}}, ConnectorContext{"p", "t", {}}), Catch::Contains("option 'rate'"));
  CHECK_THROWS_WITH(DatagenSource(Options{{"count", "-1"}}, ConnectorContext{"p", "t", {}}), Catch::Contains("option 'count'"));
}

TEST_CASE("datagen rate schedule: steady without variation, the average rate with it") {
  RateSchedule steady(50, 0, 4321);
  CHECK(steady.due(0) == 1);
  CHECK(steady.due(0.5) == 26);
  CHECK(steady.due(10) == 501);
  CHECK(steady.time_of(500) == Approx(10.0));

  RateSchedule varied(100, 0.8, 4321);
  double sum = 0, low = 2, high = 0;
  for (int64_t s = 0; s < 2000; ++s) {
    double m = varied.multiplier(s);
    sum += m;
    low = std::min(low, m);
    high = std::max(high, m);
  }
  CHECK(low >= 0.2);
  CHECK(high <= 1.8);
  CHECK(low < 0.3);   // the whole range is used
  CHECK(high > 1.7);
  CHECK(sum / 2000 == Approx(1.0).epsilon(0.03));  // --rate stays the average
  // Whole seconds hold rate × their multiplier.
  uint64_t before = varied.due(7.0);
  CHECK(std::abs(static_cast<double>(varied.due(8.0) - before) - 100 * varied.multiplier(7)) <= 1.0);
  // time_of inverts due, also after time went back.
  for (uint64_t n : {1ULL, 99ULL, 100ULL, 5000ULL, 12345ULL, 7ULL}) {
    double t = varied.time_of(n);
    CHECK(varied.due(t + 1e-6) >= n + 1);
    CHECK(varied.due(std::max(0.0, t - 1e-6)) <= n);
  }
  // A seed gives one sequence of rates; another seed another.
  RateSchedule again(100, 0.8, 4321), other(100, 0.8, 4322);
  CHECK(again.multiplier(3) == varied.multiplier(3));
  CHECK(other.multiplier(3) != varied.multiplier(3));
}

TEST_CASE("datagen source: rate-variation is between 0 and 0.9") {
  CHECK_THROWS_WITH(DatagenSource(Options{{"rate", "10"}, {"rate-variation", "1"}}, ConnectorContext{"p", "t", {}}),
                    Catch::Contains("option 'rate-variation'"));
  DatagenSource source({{"rate", "50"}, {"rate-variation", "0.5"}}, {"p", "t", {}});
  size_t total = 0;
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(400))
    total += source.poll(1000, std::chrono::milliseconds(50)).size();
  // 25 to 75 records/s in the first second: ~10 to ~30 in 0.4 s.
  CHECK(total >= 5);
  CHECK(total <= 35);
}
