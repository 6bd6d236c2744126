#pragma once
// The reference the engine is compared with in the same run: simdjson On
// Demand parse-only of the same orders, doing the minimum any decoder must do
// per Kafka record — copy the payload into a padded buffer (librdkafka
// payloads carry no SIMDJSON_PADDING), iterate it, read id and name and every
// topping string (unescaped), and count the anomalous ones so nothing can be
// optimised away.
#include <cstddef>
#include <cstdint>

#include "bench/engine/order_data.hpp"

namespace ananas::bench {

struct ParseTally {
  uint64_t records = 0;
  uint64_t toppings = 0;
  uint64_t anomalies = 0;
  uint64_t errors = 0;
  uint64_t checksum = 0;  // ids of anomalous toppings and name lengths
};

ParseTally parse_only(const OrderData& data);

}  // namespace ananas::bench
