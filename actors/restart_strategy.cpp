#include "actors/restart_strategy.hpp"

#include <algorithm>
#include <cmath>

namespace ananas::rt {

RestartPolicy RestartPolicy::fixed_delay(int attempts, Millis delay) {
  RestartPolicy p;
  p.kind = Kind::FixedDelay;
  p.attempts = attempts;
  p.delay = delay;
  return p;
}

RestartPolicy RestartPolicy::exponential_delay(Millis initial, Millis max, double multiplier, double jitter,
                                               Millis reset_after) {
  RestartPolicy p;
  p.kind = Kind::ExponentialDelay;
  p.initial_backoff = initial;
  p.max_backoff = max;
  p.multiplier = multiplier;
  p.jitter = jitter;
  p.reset_backoff_after = reset_after;
  return p;
}

RestartPolicy RestartPolicy::failure_rate(int max_failures, Millis interval, Millis delay) {
  RestartPolicy p;
  p.kind = Kind::FailureRate;
  p.max_failures_per_interval = max_failures;
  p.failure_rate_interval = interval;
  p.delay = delay;
  return p;
}

std::string RestartPolicy::kind_name() const {
  switch (kind) {
    case Kind::None: return "none";
    case Kind::FixedDelay: return "fixed-delay";
    case Kind::ExponentialDelay: return "exponential-delay";
    case Kind::FailureRate: return "failure-rate";
  }
  return "?";
}

RestartStrategy::RestartStrategy(RestartPolicy policy, uint64_t seed) : policy_(policy), rng_(seed) {}

std::optional<Millis> RestartStrategy::on_failure(Clock::time_point now) {
  ++failures_;
  switch (policy_.kind) {
    case RestartPolicy::Kind::None:
      return std::nullopt;

    case RestartPolicy::Kind::FixedDelay:
      if (failures_ > policy_.attempts) return std::nullopt;
      return policy_.delay;

    case RestartPolicy::Kind::ExponentialDelay: {
      // A long quiet period means the earlier failures were unrelated: start over.
      const bool quiet = last_failure_ && now - *last_failure_ >= policy_.reset_backoff_after;
      last_failure_ = now;
      if (quiet || current_backoff_.count() == 0) {
        current_backoff_ = policy_.initial_backoff;
        if (quiet) attempts_since_reset_ = 0;
      } else {
        const double next = static_cast<double>(current_backoff_.count()) * policy_.multiplier;
        current_backoff_ = Millis(static_cast<int64_t>(
            std::min(next, static_cast<double>(policy_.max_backoff.count()))));
      }
      if (policy_.attempts_before_reset > 0 && ++attempts_since_reset_ > policy_.attempts_before_reset)
        return std::nullopt;
      double backoff = static_cast<double>(current_backoff_.count());
      if (policy_.jitter > 0) {
        std::uniform_real_distribution<double> spread(-policy_.jitter, policy_.jitter);
        backoff += backoff * spread(rng_);
      }
      return Millis(std::max<int64_t>(0, std::llround(backoff)));
    }

    case RestartPolicy::Kind::FailureRate: {
      recent_.push_back(now);
      while (!recent_.empty() && now - recent_.front() > policy_.failure_rate_interval) recent_.pop_front();
      if (static_cast<int>(recent_.size()) > policy_.max_failures_per_interval) return std::nullopt;
      return policy_.delay;
    }
  }
  return std::nullopt;
}

}  // namespace ananas::rt
