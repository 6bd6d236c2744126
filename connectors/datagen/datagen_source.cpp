#include "connectors/datagen/datagen_source.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <thread>

namespace ananas::connectors::datagen {

int64_t int_option(const Options& options, const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  auto it = options.find(key);
  if (it == options.end()) return fallback;
  const std::string& s = it->second;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty())
    throw OptionError(key, "expected an integer, got '" + s + "'");
  if (v < min || v > max)
    throw OptionError(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + s);
  return v;
}

double double_option(const Options& options, const std::string& key, double fallback, double min, double max) {
  auto it = options.find(key);
  if (it == options.end()) return fallback;
  const std::string& s = it->second;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty() || !std::isfinite(v))
    throw OptionError(key, "expected a number, got '" + s + "'");
  if (v < min || v > max) throw OptionError(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return v;
}

namespace {

PizzaGeneratorOptions generator_options(const Options& options) {
  PizzaGeneratorOptions g;
  g.seed = static_cast<uint64_t>(int_option(options, "seed", 4321, INT64_MIN, INT64_MAX));
  if (options.count("start-id")) g.first_id = int_option(options, "start-id", 0, 0, INT32_MAX);
  g.max_pizzas = static_cast<int>(int_option(options, "max-pizzas", 10, 1, 1000));
  g.max_toppings = static_cast<int>(int_option(options, "max-toppings", 5, 0, 1000));
  return g;
}

double rate_option(const Options& options) { return double_option(options, "rate", 0, 0, 1e9); }
double rate_variation_option(const Options& options) { return double_option(options, "rate-variation", 0, 0, 0.9); }
uint64_t count_option(const Options& options) { return static_cast<uint64_t>(int_option(options, "count", 0, 0, INT64_MAX)); }

}  // namespace

void validate_datagen_options(const Options& options) {
  generator_options(options);
  rate_option(options);
  rate_variation_option(options);
  count_option(options);
}

DatagenSource::DatagenSource(const Options& options, const ConnectorContext& context)
    : generator_(generator_options(options)),
      schedule_(std::max(rate_option(options), 1e-9), rate_variation_option(options), generator_options(options).seed) {
  auto t = options.find("topic");
  topic_ = t != options.end() && !t->second.empty() ? t->second : context.table;
  rate_ = rate_option(options);
  count_ = count_option(options);
  max_batch_bytes_ = context.max_batch_bytes;
  started_ = std::chrono::steady_clock::now();
}

uint64_t DatagenSource::due(std::chrono::steady_clock::time_point now) {
  uint64_t limit = count_ ? count_ : UINT64_MAX;
  if (rate_ <= 0) return limit;
  return std::min<uint64_t>(limit, schedule_.due(std::chrono::duration<double>(now - started_).count()));
}

RawBatch DatagenSource::poll(size_t max_records, std::chrono::milliseconds timeout) {
  if (closed_) throw ConnectorError("poll on a closed datagen source");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  RawBatchBuilder builder(std::min<size_t>(max_records, 4096) * 900);  // orders average ~800 bytes
  if (count_ && generator_.produced() >= count_) {
    RawBatch done = builder.finish();
    done.end_of_input = true;
    return done;
  }
  if (paused_) {
    std::this_thread::sleep_for(std::min(timeout, std::chrono::milliseconds(100)));
    return builder.finish();
  }
  uint64_t available = due(std::chrono::steady_clock::now()) - generator_.produced();
  if (available == 0 && rate_ > 0) {
    // Sleep until the next record is due, but never past the caller's timeout.
    auto next_due = started_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(schedule_.time_of(generator_.produced())));
    std::this_thread::sleep_until(std::min(next_due, deadline));
    available = due(std::chrono::steady_clock::now()) - generator_.produced();
  }
  size_t n = static_cast<size_t>(std::min<uint64_t>(available, max_records));
  for (size_t i = 0; i < n && (max_batch_bytes_ == 0 || builder.bytes() < max_batch_bytes_); ++i) {
    int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    int64_t offset = static_cast<int64_t>(generator_.produced());
    generator_.next(now_ms, order_);
    builder.add(topic_, 0, offset, now_ms, TimestampType::CreateTime, order_.key, order_.value);
  }
  RawBatch batch = builder.finish();
  batch.end_of_input = count_ && generator_.produced() >= count_;
  return batch;
}

void DatagenSource::commit(const PartitionOffsets& offsets) {
  for (const auto& [p, offset] : offsets)
    if (p.partition == 0 && p.topic == topic_) committed_ = offset;
}

std::map<PartitionId, int64_t> DatagenSource::lag() const {
  int64_t lag = count_ ? static_cast<int64_t>(count_ - generator_.produced()) : -1;
  return {{PartitionId{topic_, 0}, lag}};
}

}  // namespace ananas::connectors::datagen
