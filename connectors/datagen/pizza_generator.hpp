#pragma once
// Pizza orders in exactly the shape of Aiven's fake data producer
// (github.com/Aiven-Open/python-fake-data-producer-for-apache-kafka, main.py
// and pizzaproducer.py, which the tutorial's producer runs; the tutorial's
// tables over it are in pipelines/examples/*.json):
//   key   {"shop": "Marios Pizza"}
//   value {"id": 7, "shop": "...", "name": "...", "phoneNumber": "...",
//          "address": "...", "pizzas": [{"pizzaName": "...",
//          "additionalToppings": ["\ud83c\udf4d pineapple", ...]}, ...],
//          "timestamp": 1700000000000}
// serialised as Python's json.dumps: separators ", " and ": ", ensure_ascii
// (non-ASCII as \uXXXX, lowercase hex, UTF-16 surrogate pairs above U+FFFF).
// 1..max_pizzas pizzas, each with 0..max_toppings toppings drawn with
// repetition from the 13 upstream toppings (pineapple, strawberry and banana
// included). Names, phone numbers and addresses imitate Faker's en_US formats.
//
// Ids: the tutorial's tables declare `id INT`, so ids must fit 32 bits. To keep
// them unique across runs without a stored counter, the default first id is
// (unix seconds mod 2,000,000) * 1000: a run started s seconds after another
// never collides with it as long as the earlier run produced fewer than
// 1000 * s orders (i.e. averaged <= 1000 orders/s), within a 23-day cycle.
// Ids wrap modulo 2^31 and never go negative. Pass first_id to choose.
#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace ananas::connectors::datagen {

struct PizzaOrder {
  int64_t id = 0;
  int64_t timestamp_ms = 0;
  std::string key;    // {"shop": "..."}
  std::string value;  // the order JSON
};

struct PizzaGeneratorOptions {
  uint64_t seed = 4321;                // upstream's Faker.seed
  std::optional<int64_t> first_id;     // default: derived from the wall clock (see above)
  int max_pizzas = 10;                 // upstream MAX_NUMBER_PIZZAS_IN_ORDER
  int max_toppings = 5;                // upstream MAX_ADDITIONAL_TOPPINGS_IN_PIZZA
};

class PizzaGenerator {
 public:
  explicit PizzaGenerator(const PizzaGeneratorOptions& options);
  // The next order, stamped with `timestamp_ms` (upstream uses the wall clock).
  // Reuses `out`'s string capacity.
  void next(int64_t timestamp_ms, PizzaOrder& out);
  int64_t first_id() const { return first_id_; }
  uint64_t produced() const { return produced_; }

  static int64_t default_first_id(int64_t unix_seconds);

 private:
  size_t below(size_t n);  // uniform in [0, n)
  bool coin();             // p = 0.5
  double unit();           // uniform in [0, 1)
  void append_digits(std::string& out, const char* format);
  void append_name(std::string& out);
  void append_phone(std::string& out);
  void append_address(std::string& out);
  void append_city(std::string& out);
  const char* first_name();

  PizzaGeneratorOptions options_;
  std::mt19937_64 rng_;
  int64_t first_id_ = 0;
  uint64_t produced_ = 0;
  std::string scratch_;
};

// Appends `text` (UTF-8) as a JSON string literal the way Python's json.dumps
// does with ensure_ascii=True.
void append_python_json_string(std::string& out, std::string_view text);

}  // namespace ananas::connectors::datagen
