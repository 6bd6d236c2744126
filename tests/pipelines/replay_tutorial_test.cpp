// The tutorial's applications run offline (the LocalRunner behind `ananas
// replay/test`) on crafted inputs; expected outputs are computed by hand from
// Flink's semantics of each step (docs/sql-support.md names the Flink pages).
#include <catch2/catch.hpp>

#include "core/json/kcat_lines.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/input_files.hpp"
#include "pipelines/replay/local_runner.hpp"
#include "pipelines/replay/output_compare.hpp"
#include "pipelines/sql/planner.hpp"

using namespace ananas;
using namespace ananas::pipeline;

namespace {

constexpr int64_t k10h = 1672567200000;  // 2023-01-01 10:00:00.000 UTC

const std::string kPine = "\\ud83c\\udf4d pineapple";  // as Aiven's producer escapes it
const std::string kStraw = "\\ud83c\\udf53 strawberry";
const std::string kBanana = "\\ud83c\\udf4c banana";
const std::string kOnion = "\\ud83e\\uddc5 onion";

struct App {
  PipelineSet set;
  BuiltPipeline built;
};

std::unique_ptr<App> load_app(const std::string& name) {
  auto app = std::make_unique<App>();
  app->set = load_input(read_input(std::string(ANANAS_SOURCE_DIR) + "/pipelines/examples/" + name + ".json"));
  REQUIRE(app->set.pipelines.size() == 1);
  app->built = build_pipeline(app->set.pipelines[0]);
  return app;
}

KcatRecord order(int64_t ts, const std::string& value, int32_t partition = 0) {
  static int64_t offset = 0;
  KcatRecord r;
  r.topic = "pizzas";
  r.partition = partition;
  r.offset = offset++;
  r.timestamp_ms = ts;
  r.key = "{\"shop\": \"Luigis Pizza\"}";
  r.payload = value;
  return r;
}

// An order with one pizza per entry of `pizzas`, each with the given toppings.
std::string order_json(int id, const std::vector<std::vector<std::string>>& pizzas, const std::string& name = "Ann") {
  std::string s = "{\"id\": " + std::to_string(id) + ", \"shop\": \"Luigis Pizza\", \"name\": \"" + name +
                  "\", \"phoneNumber\": \"555\", \"address\": \"1 Main St\\nSpringfield\", \"pizzas\": [";
  for (size_t i = 0; i < pizzas.size(); ++i) {
    s += std::string(i ? ", " : "") + "{\"pizzaName\": \"Margherita\", \"additionalToppings\": [";
    for (size_t j = 0; j < pizzas[i].size(); ++j) s += std::string(j ? ", " : "") + "\"" + pizzas[i][j] + "\"";
    s += "]}";
  }
  return s + "]}";
}

std::vector<std::string> values(const std::vector<OutputRecord>& out) {
  std::vector<std::string> v;
  for (const auto& o : out) v.push_back(o.value.value_or("null"));
  return v;
}

}  // namespace

TEST_CASE("01 basic filtering: worked example, escaped emoji, array order") {
  auto app = load_app("01-basic-filtering");
  std::string value =
      "{\"id\":7,\"name\":\"Ann\",\"pizzas\":[{\"pizzaName\":\"Marinara\",\"additionalToppings\":[\"" + kBanana + "\",\"" + kOnion +
      "\"]},{\"pizzaName\":\"Diavola\",\"additionalToppings\":null},{\"pizzaName\":\"Margherita\",\"additionalToppings\":[\"" + kPine + "\"]}]}";
  LocalRunner runner(app->built);
  runner.run({order(k10h + 120, value)});
  const auto& out = runner.outputs();
  REQUIRE(out.size() == 2);
  CHECK(out[0].topic == "pizza_stream_out_filter");
  CHECK_FALSE(out[0].key.has_value());
  CHECK(*out[0].value == "{\"id\":7,\"name\":\"Ann\",\"topping\":\"🍌 banana\",\"orderTimestamp\":\"2023-01-01 10:00:00.12\"}");
  CHECK(*out[1].value == "{\"id\":7,\"name\":\"Ann\",\"topping\":\"🍍 pineapple\",\"orderTimestamp\":\"2023-01-01 10:00:00.12\"}");
}

TEST_CASE("01 basic filtering: near misses do not match, empty and missing arrays give nothing, bad records are reported") {
  auto app = load_app("01-basic-filtering");
  LocalRunner runner(app->built);
  runner.run({
      order(k10h, order_json(1, {{"\\ud83c\\udf4d Pineapple", "\\ud83c\\udf4d pineapple ", "\\ud83c\\udf4d  pineapple"}})),
      order(k10h, "{\"id\": 2, \"pizzas\": []}"),
      order(k10h, "{\"id\": 3}"),
      order(k10h, "{\"id\": 4, \"pizzas\": [{\"pizzaName\": \"x\", \"additionalToppings\": [null, \"" + kStraw + "\"]}]}"),
      order(k10h, "this is not json"),
      order(k10h, "{\"id\": \"abc\"}"),
  });
  REQUIRE(runner.outputs().size() == 1);
  CHECK(*runner.outputs()[0].value == "{\"id\":4,\"name\":null,\"topping\":\"🍓 strawberry\",\"orderTimestamp\":\"2023-01-01 10:00:00\"}");
  REQUIRE(runner.bad_records().size() == 2);
  CHECK(runner.bad_records()[0].where.rfind("pizzas/0@", 0) == 0);
  CHECK(runner.bad_records()[1].message.find("id") != std::string::npos);
}

TEST_CASE("02 aggregating: value, tombstone, value under key {\"id\":7}") {
  auto app = load_app("02-aggregating");
  LocalRunner runner(app->built);
  runner.run({order(k10h + 120, order_json(7, {{kPine, kStraw}, {kPine, kBanana, kPine}}))});
  const auto& out = runner.outputs();
  REQUIRE(out.size() == 3);
  for (const auto& o : out) {
    CHECK(o.topic == "pizza_stream_out_agg");
    CHECK(*o.key == "{\"id\":7}");
  }
  CHECK(*out[0].value ==
        "{\"id\":7,\"name\":\"Ann\",\"nr_bad_items\":4,\"toppings\":\"🍍 pineapple,🍓 strawberry,🍍 pineapple,🍌 banana\","
        "\"orderTimestamp\":\"2023-01-01 10:00:00.12\"}");
  CHECK_FALSE(out[1].value.has_value());
  CHECK(*out[2].value ==
        "{\"id\":7,\"name\":\"Ann\",\"nr_bad_items\":5,\"toppings\":\"🍍 pineapple,🍓 strawberry,🍍 pineapple,🍌 banana,🍍 pineapple\","
        "\"orderTimestamp\":\"2023-01-01 10:00:00.12\"}");
}

TEST_CASE("02 aggregating: exactly 4 anomalies write one record, 3 write none") {
  auto app = load_app("02-aggregating");
  LocalRunner runner(app->built);
  runner.run({order(k10h, order_json(1, {{kPine, kPine, kPine, kBanana}})), order(k10h, order_json(2, {{kPine, kPine, kStraw}}))});
  REQUIRE(runner.outputs().size() == 1);
  CHECK(*runner.outputs()[0].key == "{\"id\":1}");
}

TEST_CASE("03 windowing: window of 12 fires, window of 1 is dropped by HAVING") {
  auto app = load_app("03-windowing");
  std::vector<KcatRecord> in;
  in.push_back(order(k10h + 1000, order_json(1, {{kPine}})));
  for (int i = 0; i < 11; ++i) in.push_back(order(k10h + 3000, order_json(2 + i, {{kPine, kOnion}})));
  in.push_back(order(k10h + 7000, order_json(20, {{kPine}})));
  in.push_back(order(k10h + 12000, order_json(21, {{kOnion}})));
  LocalRunner runner(app->built);
  runner.run(in);
  REQUIRE(runner.outputs().size() == 1);
  const auto& o = runner.outputs()[0];
  CHECK(o.topic == "pizza_stream_out_agg_windows");
  CHECK(*o.key == "{\"topping\":\"🍍 pineapple\",\"window_start\":\"2023-01-01 10:00:00\",\"window_end\":\"2023-01-01 10:00:05\"}");
  CHECK(*o.value ==
        "{\"window_time\":\"2023-01-01 10:00:04.999\",\"window_start\":\"2023-01-01 10:00:00\",\"window_end\":\"2023-01-01 10:00:05\","
        "\"topping\":\"🍍 pineapple\",\"nr_orders\":12}");
}

TEST_CASE("03 windowing: rows late beyond the watermark are dropped and counted, out-of-order within 5 s is kept") {
  auto app = load_app("03-windowing");
  std::vector<KcatRecord> in;
  for (int i = 0; i < 11; ++i) in.push_back(order(k10h + 4000, order_json(i, {{kStraw}})));
  in.push_back(order(k10h + 8000, order_json(50, {{kOnion}})));   // W = 10:00:03
  in.push_back(order(k10h + 1000, order_json(51, {{kStraw}})));   // out of order by 7 s, window not fired yet: kept
  in.push_back(order(k10h + 11000, order_json(52, {{kOnion}})));  // W = 10:00:06 fires [0,5)
  in.push_back(order(k10h + 2000, order_json(53, {{kStraw}})));   // late: window [0,5) fired
  LocalRunner runner(app->built);
  runner.run(in);
  REQUIRE(runner.outputs().size() == 1);
  CHECK(runner.outputs()[0].value->find("\"nr_orders\":12") != std::string::npos);
  CHECK(runner.late_records_dropped() == 1);
}

TEST_CASE("03 windowing: an empty partition holds the watermark until the end of the input") {
  auto app = load_app("03-windowing");
  std::vector<KcatRecord> in;
  for (int i = 0; i < 11; ++i) in.push_back(order(k10h + 1000, order_json(i, {{kBanana}}), 0));
  in.push_back(order(k10h + 60000, order_json(99, {{kOnion}}), 0));
  in.push_back(order(k10h, order_json(100, {{kBanana}}), 1));  // partition 1 is far behind
  LocalRunner runner(app->built);
  runner.run(in);
  REQUIRE(runner.outputs().size() == 1);
  CHECK(runner.outputs()[0].value->find("\"nr_orders\":12") != std::string::npos);  // both partitions' rows counted
  CHECK(runner.late_records_dropped() == 0);
  CHECK(runner.state_entries() == 0);  // everything final was freed
}

// One order per window, carrying `count` pineapples, in windows of `window_ms` starting at 10:00:00.
static std::vector<KcatRecord> trend_input(const std::vector<int>& counts, int64_t window_ms) {
  std::vector<KcatRecord> in;
  for (size_t i = 0; i < counts.size(); ++i) {
    std::vector<std::string> toppings(static_cast<size_t>(counts[i]), kPine);
    in.push_back(order(k10h + static_cast<int64_t>(i) * window_ms + window_ms / 2, order_json(static_cast<int>(i), {toppings})));
  }
  return in;
}

TEST_CASE("04 trends up-down: two matches over 5,7,9,6,4,3,8,10,2,1") {
  auto app = load_app("04-trends-up-down");
  LocalRunner runner(app->built);
  runner.run(trend_input({5, 7, 9, 6, 4, 3, 8, 10, 2, 1}, 5000));
  REQUIRE(runner.outputs().size() == 2);
  CHECK(*runner.outputs()[0].key == "{\"topping\":\"🍍 pineapple\",\"trend_start\":\"2023-01-01 10:00:04.999\"}");
  CHECK(*runner.outputs()[0].value ==
        "{\"topping\":\"🍍 pineapple\",\"trend_start\":\"2023-01-01 10:00:04.999\",\"trend_detail\":\"5,7,9,6,4\"}");
  CHECK(*runner.outputs()[1].value ==
        "{\"topping\":\"🍍 pineapple\",\"trend_start\":\"2023-01-01 10:00:29.999\",\"trend_detail\":\"3,8,10,2,1\"}");
}

TEST_CASE("04 trends up-down (traps): LAST(NR_UP.n, 1) in NR_DOWN is the second-to-last NR_UP") {
  for (auto [counts, expected] : std::vector<std::pair<std::vector<int>, std::vector<std::string>>>{
           {{5, 7, 6, 4}, {}}, {{5, 7, 9, 8, 6}, {}}, {{1, 2, 3, 4, 2, 1}, {"1,2,3,4,2,1"}}}) {
    auto app = load_app("04-trends-up-down");
    LocalRunner runner(app->built);
    runner.run(trend_input(counts, 5000));
    std::vector<std::string> got;
    for (const auto& v : values(runner.outputs())) {
      auto p = v.find("\"trend_detail\":\"");
      got.push_back(v.substr(p + 16, v.size() - p - 18));
    }
    CHECK(got == expected);
  }
}

TEST_CASE("04 trends: START_ROW NR_UP NR_DOWN over 1-second windows") {
  auto app = load_app("04-trends");
  LocalRunner runner(app->built);
  runner.run(trend_input({5, 7, 9, 6, 4, 3, 8, 10, 2, 1}, 1000));
  REQUIRE(runner.outputs().size() == 2);
  CHECK(*runner.outputs()[0].value ==
        "{\"topping\":\"🍍 pineapple\",\"trend_start\":\"2023-01-01 10:00:01.999\",\"trend_detail\":\"7,9,6\"}");
  CHECK(*runner.outputs()[1].value ==
        "{\"topping\":\"🍍 pineapple\",\"trend_start\":\"2023-01-01 10:00:06.999\",\"trend_detail\":\"8,10,2\"}");
}

TEST_CASE("04 trends (boundary): exactly 30 % is not a drop, 40 % is") {
  auto app = load_app("04-trends");
  LocalRunner a(app->built);
  a.run(trend_input({5, 10, 7}, 1000));
  CHECK(a.outputs().empty());
  auto app2 = load_app("04-trends");
  LocalRunner b(app2->built);
  b.run(trend_input({5, 10, 6}, 1000));
  REQUIRE(b.outputs().size() == 1);
  CHECK(b.outputs()[0].value->find("\"5,10,6\"") != std::string::npos);
}
