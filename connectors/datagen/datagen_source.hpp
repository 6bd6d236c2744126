#pragma once
// The `datagen` source: pizza orders (pizza_generator.hpp) as Kafka-like
// records on one partition, keyed {"shop": ...}, offsets counting from 0,
// CreateTime timestamps from the wall clock (as the upstream producer's
// "timestamp" field).
//
// Options: rate (records/s, default 0 = as fast as possible), rate-variation
// (0 to 0.9, default 0: each second's rate is rate × [1 − v, 1 + v], see
// rate_schedule.hpp), count (default
// 0 = unbounded), seed (default 4321), start-id (default: from the wall clock,
// see pizza_generator.hpp), topic (the name records carry; default the table
// name), max-pizzas (10), max-toppings (5).
#include <chrono>

#include "connectors/connector.hpp"
#include "connectors/datagen/pizza_generator.hpp"
#include "connectors/datagen/rate_schedule.hpp"

namespace ananas::connectors::datagen {

class DatagenSource : public SourceConnector {
 public:
  DatagenSource(const Options& options, const ConnectorContext& context);

  RawBatch poll(size_t max_records, std::chrono::milliseconds timeout) override;
  void pause() override { paused_ = true; }
  void resume() override { paused_ = false; }
  std::vector<PartitionId> partitions() const override { return {PartitionId{topic_, 0}}; }
  // Generated data cannot be replayed; committing only records the position.
  void commit(const PartitionOffsets& offsets) override;
  std::map<PartitionId, int64_t> lag() const override;
  void close() override { closed_ = true; }

  uint64_t produced() const { return generator_.produced(); }
  int64_t committed() const { return committed_; }

 private:
  // How many records are due at `now` under the rate limit (all if rate == 0).
  uint64_t due(std::chrono::steady_clock::time_point now);

  std::string topic_;
  double rate_ = 0;
  uint64_t count_ = 0;
  size_t max_batch_bytes_ = 0;  // ConnectorContext::max_batch_bytes
  PizzaGenerator generator_;
  RateSchedule schedule_;
  PizzaOrder order_;
  std::chrono::steady_clock::time_point started_;
  bool paused_ = false;
  bool closed_ = false;
  int64_t committed_ = 0;
};

// Checks every option the source reads (the same parsing its constructor does).
void validate_datagen_options(const Options& options);

// Reads an integer option in [min, max], or `fallback` when absent; throws
// OptionError naming the key otherwise.
int64_t int_option(const Options& options, const std::string& key, int64_t fallback, int64_t min, int64_t max);
double double_option(const Options& options, const std::string& key, double fallback, double min, double max);

}  // namespace ananas::connectors::datagen
