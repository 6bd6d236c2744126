#include "connectors/datagen/rate_schedule.hpp"

#include <cmath>
#include <limits>

namespace ananas::connectors::datagen {

namespace {

// splitmix64's finaliser: a well-mixed 64-bit value for each (seed, second).
uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

RateSchedule::RateSchedule(double rate, double variation, uint64_t seed)
    : rate_(rate), variation_(variation), seed_(seed) {}

double RateSchedule::multiplier(int64_t second) const {
  if (variation_ <= 0) return 1.0;
  const double unit = static_cast<double>(mix(seed_ ^ mix(static_cast<uint64_t>(second))) >> 11) * 0x1.0p-53;
  return 1.0 + variation_ * (2.0 * unit - 1.0);
}

double RateSchedule::prefix(int64_t second) {
  if (second < prefix_second_) {
    prefix_second_ = 0;
    prefix_sum_ = 0;
  }
  for (; prefix_second_ < second; ++prefix_second_) prefix_sum_ += multiplier(prefix_second_);
  return prefix_sum_;
}

uint64_t RateSchedule::due(double seconds) {
  if (seconds < 0) seconds = 0;
  const auto second = static_cast<int64_t>(seconds);
  const double units = prefix(second) + (seconds - static_cast<double>(second)) * multiplier(second);
  const double records = units * rate_;
  if (records >= static_cast<double>(std::numeric_limits<uint64_t>::max() / 2)) return std::numeric_limits<uint64_t>::max() / 2;
  return static_cast<uint64_t>(records) + 1;
}

double RateSchedule::time_of(uint64_t n) {
  // Record n is due once rate × (integral of the multipliers) reaches n.
  const double units = static_cast<double>(n) / rate_;
  int64_t second = prefix_second_;
  if (prefix(second) > units) second = 0;  // time went back: search from the start
  while (prefix(second) + multiplier(second) <= units) ++second;
  return static_cast<double>(second) + (units - prefix(second)) / multiplier(second);
}

}  // namespace ananas::connectors::datagen
