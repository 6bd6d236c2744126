#pragma once
// Restart strategies with Flink's names and parameters. Pure logic, no actors:
// the supervisor asks on_failure() what to do each time the pipeline fails.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <string>

namespace ananas::rt {

using Millis = std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

struct RestartPolicy {
  enum class Kind { None, FixedDelay, ExponentialDelay, FailureRate };
  Kind kind = Kind::ExponentialDelay;  // Flink's default since 1.19
  // fixed-delay
  int attempts = 3;
  Millis delay{1000};  // also failure-rate's delay
  // exponential-delay
  Millis initial_backoff{1000};
  Millis max_backoff{300000};
  double multiplier = 2.0;
  double jitter = 0.1;               // fraction of the backoff, added or removed at random
  Millis reset_backoff_after{3600000};  // a failure this long after the previous one starts over
  int attempts_before_reset = 0;        // 0: unlimited (Flink: attempts-before-reset-backoff)
  // failure-rate
  int max_failures_per_interval = 1;
  Millis failure_rate_interval{60000};

  static RestartPolicy none() { RestartPolicy p; p.kind = Kind::None; return p; }
  static RestartPolicy fixed_delay(int attempts, Millis delay);
  static RestartPolicy exponential_delay(Millis initial, Millis max, double multiplier, double jitter,
                                         Millis reset_after);
  static RestartPolicy failure_rate(int max_failures, Millis interval, Millis delay);
  // "fixed-delay", "exponential-delay", ... (Flink's restart-strategy.type values)
  std::string kind_name() const;
};

class RestartStrategy {
 public:
  explicit RestartStrategy(RestartPolicy policy, uint64_t seed = 0x5eed);
  // Records a failure at `now`. Returns the delay before the restart, or
  // nullopt when the budget is exhausted (the pipeline becomes FAILED).
  std::optional<Millis> on_failure(Clock::time_point now);
  const RestartPolicy& policy() const { return policy_; }
  int failures() const { return failures_; }

 private:
  RestartPolicy policy_;
  std::mt19937_64 rng_;
  int failures_ = 0;
  // exponential-delay
  Millis current_backoff_{0};
  int attempts_since_reset_ = 0;
  std::optional<Clock::time_point> last_failure_;
  // failure-rate
  std::deque<Clock::time_point> recent_;
};

}  // namespace ananas::rt
