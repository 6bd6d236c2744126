#pragma once
// When the datagen source's records are due. The average is `rate` records
// per second; with a variation v > 0 each whole second since the start runs
// at rate × m, m drawn uniformly from [1 − v, 1 + v] by a hash of the seed
// and the second, so a seed always gives the same sequence of rates.
//
// Why vary at all: a steady rate gives every 1-second window the same counts
// up to sampling noise, and the tutorial's trend app (a count that rises,
// then falls by more than 30 %) then waits minutes for a coincidence. Real
// order streams rise and fall; Aiven's producer, which the tutorial runs,
// sleeps a random time between orders.
#include <cstdint>

namespace ananas::connectors::datagen {

// The variation `ananas generate` and `ananas demo` use unless told
// otherwise: strong enough that the trend app finds a trend within seconds.
inline constexpr const char* kLiveRateVariation = "0.8";

class RateSchedule {
 public:
  // rate > 0; 0 <= variation <= 0.9 (every second keeps a positive rate).
  RateSchedule(double rate, double variation, uint64_t seed);

  // Records due `seconds` after the start: the first at 0, then the
  // cumulative rate's integral.
  uint64_t due(double seconds);
  // When record n (0-based) is due, in seconds after the start.
  double time_of(uint64_t n);
  // The rate multiplier of whole second k.
  double multiplier(int64_t second) const;

 private:
  // Sum of the multipliers of the seconds before `second`. Queries move
  // forward in time, so the sum is kept for the last second asked and
  // extended from there (recomputed from 0 only if time went back).
  double prefix(int64_t second);

  double rate_;
  double variation_;
  uint64_t seed_;
  int64_t prefix_second_ = 0;
  double prefix_sum_ = 0;
};

}  // namespace ananas::connectors::datagen
