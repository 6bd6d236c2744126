#include "bench/engine/parse_only.hpp"

#include <simdjson.h>

#include <cstring>
#include <string_view>
#include <vector>

namespace ananas::bench {

namespace {

using namespace simdjson;

constexpr std::string_view kPineapple = "\xF0\x9F\x8D\x8D pineapple";
constexpr std::string_view kStrawberry = "\xF0\x9F\x8D\x93 strawberry";
constexpr std::string_view kBanana = "\xF0\x9F\x8D\x8C banana";

// Members are read in document order (id, name, pizzas), which is On Demand's fast path.
error_code read_order(ondemand::document& doc, ParseTally& t) {
  ondemand::object order;
  if (auto e = doc.get_object().get(order)) return e;
  int64_t id = 0;
  std::string_view name;
  ondemand::array pizzas;
  if (auto e = order["id"].get_int64().get(id)) return e;
  if (auto e = order["name"].get_string().get(name)) return e;
  if (auto e = order["pizzas"].get_array().get(pizzas)) return e;
  t.checksum += name.size();
  for (auto pizza_value : pizzas) {
    ondemand::object pizza;
    if (auto e = pizza_value.get_object().get(pizza)) return e;
    ondemand::array toppings;
    if (auto e = pizza["additionalToppings"].get_array().get(toppings)) return e;
    for (auto topping_value : toppings) {
      std::string_view topping;
      if (auto e = topping_value.get_string().get(topping)) return e;
      ++t.toppings;
      if (topping == kPineapple || topping == kStrawberry || topping == kBanana) {
        ++t.anomalies;
        t.checksum += static_cast<uint64_t>(id);
      }
    }
  }
  ++t.records;
  return SUCCESS;
}

}  // namespace

ParseTally parse_only(const OrderData& data) {
  ondemand::parser parser;
  std::vector<char> padded(4096 + SIMDJSON_PADDING);
  ParseTally t;
  for (const auto& r : data.records) {
    if (r.size + SIMDJSON_PADDING > padded.size()) padded.resize(r.size + SIMDJSON_PADDING);
    std::memcpy(padded.data(), data.bytes.data() + r.offset, r.size);
    ondemand::document doc;
    if (parser.iterate(padded.data(), r.size, padded.size()).get(doc) || read_order(doc, t)) ++t.errors;
  }
  return t;
}

}  // namespace ananas::bench
