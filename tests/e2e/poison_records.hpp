#pragma once
// Poison at volume (docs/reliability.md, "Poison at volume"): pizza orders of
// which one in ten is malformed in one of a dozen ways, produced to Kafka
// with the partition and offset of each record noted, and every record of a
// topic read back with its headers, byte for byte (librdkafka directly: kcat
// -J prints bytes that are not UTF-8 raw, which no JSON reader takes).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ananas::e2e::poison {

// What a record is, and what the worker must do with it.
enum class Kind {
  Good,              // an order: one output row
  // Malformed: counted in ananas_bad_records_total and dead-lettered.
  TruncatedJson,     // the order cut in half
  WrongTypeTop,      // "id": "seven"
  WrongTypeArray,    // "pizzas": {...} (ARRAY expected)
  WrongTypeRow,      // "pizzas": ["Margherita"] (ROW expected)
  WrongTypeDeep,     // "pizzas"[0].additionalToppings: {...} (ARRAY expected, two levels down)
  WrongTypeMapValue, // "extras": {"cheese": "lots"} (MAP<STRING, INT>)
  LoneSurrogate,     // "name": "\ud800 ..."
  DeepNesting,       // 10,000 unclosed '['
  HugeNumber,        // "id": 400 digits
  InvalidUtf8Key,    // a member name with bytes 0xFF 0xFE
  NotAnObject,       // a top-level array
  BinaryGarbage,     // NUL and control bytes
  HugeValue,         // a 10 MB member, then a wrong type (produced last, one at a time: see the test)
  // No value: Flink's JSON format gives no row and no error (a tombstone);
  // counted in ananas_records_without_row_total{reason="no_value"}.
  NullValue,
  EmptyValue,
};
const char* kind_name(Kind k);
bool is_malformed(Kind k);

// The kinds of the one-in-ten, taken in turn (HugeValue is made separately).
inline constexpr Kind kRotation[] = {Kind::TruncatedJson,  Kind::WrongTypeTop,   Kind::WrongTypeArray, Kind::WrongTypeRow,
                                     Kind::WrongTypeDeep,  Kind::WrongTypeMapValue, Kind::LoneSurrogate, Kind::DeepNesting,
                                     Kind::HugeNumber,     Kind::InvalidUtf8Key, Kind::NotAnObject,    Kind::BinaryGarbage,
                                     Kind::NullValue,      Kind::EmptyValue};

struct Record {
  Kind kind = Kind::Good;
  int64_t id = 0;  // the order id (of the order a bad record was made from)
  std::optional<std::string> key, value;
  int32_t partition = -1;  // where it was stored (after produce)
  int64_t offset = -1;
};

// Record `i` of the stream: order ids first_id + i; every tenth (i % 10 == 9)
// malformed, its kind from kRotation in turn. Deterministic.
class PoisonGenerator {
 public:
  explicit PoisonGenerator(int64_t first_id, uint64_t seed = 4321);
  ~PoisonGenerator();
  Record next();
  // A HugeValue record of `bytes` (its id continues the sequence).
  Record huge(size_t bytes);

 private:
  struct Impl;
  Impl* impl_;
  uint64_t index_ = 0;
};

// The partition of `partitions` librdkafka's default partitioner gives `key`.
int32_t default_partition(const std::string& key, int partitions);

// Produces `records` to `topic` (librdkafka's partitioner: keyed by hash,
// null keys at random) and fills in each one's partition and offset. Throws
// std::runtime_error when any delivery fails.
void produce(const std::string& bootstrap, const std::string& topic, std::vector<Record>& records);

struct Consumed {
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<std::string> key, value;
  std::map<std::string, std::string> headers;
};
// Every record of `topic`'s partitions 0..partitions-1 from their first
// offset to their current end.
std::vector<Consumed> consume_all(const std::string& bootstrap, const std::string& topic, int partitions);

}  // namespace ananas::e2e::poison
