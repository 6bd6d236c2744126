#include <catch2/catch.hpp>

#include "actors/restart_strategy.hpp"

using namespace ananas::rt;
using namespace std::chrono_literals;

TEST_CASE("restart none never restarts", "[restart]") {
  RestartStrategy s(RestartPolicy::none());
  CHECK_FALSE(s.on_failure(Clock::now()).has_value());
}

TEST_CASE("restart fixed-delay allows exactly `attempts` restarts", "[restart]") {
  RestartStrategy s(RestartPolicy::fixed_delay(3, 250ms));
  const auto t = Clock::now();
  for (int i = 0; i < 3; ++i) {
    auto d = s.on_failure(t + std::chrono::seconds(i));
    REQUIRE(d.has_value());
    CHECK(*d == 250ms);
  }
  CHECK_FALSE(s.on_failure(t + 10s).has_value());
  CHECK(s.failures() == 4);
}

TEST_CASE("restart exponential-delay doubles up to the maximum and resets after quiet time", "[restart]") {
  RestartStrategy s(RestartPolicy::exponential_delay(100ms, 500ms, 2.0, 0.0, 10s));
  auto t = Clock::now();
  std::vector<Millis> delays;
  for (int i = 0; i < 5; ++i) delays.push_back(*s.on_failure(t += 1s));
  CHECK(delays == std::vector<Millis>{100ms, 200ms, 400ms, 500ms, 500ms});
  // Quiet for longer than reset-after: back to the initial backoff.
  CHECK(*s.on_failure(t += 11s) == 100ms);
  CHECK(*s.on_failure(t += 1s) == 200ms);
}

TEST_CASE("restart exponential-delay jitter stays within the configured fraction", "[restart]") {
  RestartStrategy s(RestartPolicy::exponential_delay(1000ms, 1000ms, 2.0, 0.1, 3600s), 42);
  auto t = Clock::now();
  bool varied = false;
  Millis first = *s.on_failure(t);
  for (int i = 0; i < 50; ++i) {
    Millis d = *s.on_failure(t += 1s);
    CHECK(d >= 900ms);
    CHECK(d <= 1100ms);
    varied |= d != first;
  }
  CHECK(varied);
}

TEST_CASE("restart exponential-delay with attempts-before-reset gives up", "[restart]") {
  auto p = RestartPolicy::exponential_delay(10ms, 100ms, 2.0, 0.0, 3600s);
  p.attempts_before_reset = 2;
  RestartStrategy s(p);
  auto t = Clock::now();
  CHECK(s.on_failure(t).has_value());
  CHECK(s.on_failure(t += 1s).has_value());
  CHECK_FALSE(s.on_failure(t += 1s).has_value());
}

TEST_CASE("restart failure-rate counts failures inside the sliding interval", "[restart]") {
  RestartStrategy s(RestartPolicy::failure_rate(2, 60s, 50ms));
  auto t = Clock::now();
  CHECK(*s.on_failure(t) == 50ms);
  CHECK(*s.on_failure(t + 10s) == 50ms);
  // Third failure within 60 s of the first two: over budget.
  CHECK_FALSE(s.on_failure(t + 20s).has_value());

  RestartStrategy spaced(RestartPolicy::failure_rate(2, 60s, 50ms));
  CHECK(spaced.on_failure(t).has_value());
  CHECK(spaced.on_failure(t + 61s).has_value());
  CHECK(spaced.on_failure(t + 122s).has_value());  // the old ones slid out of the window
}

TEST_CASE("restart policy kinds carry Flink's names", "[restart]") {
  CHECK(RestartPolicy::none().kind_name() == "none");
  CHECK(RestartPolicy::fixed_delay(1, 1ms).kind_name() == "fixed-delay");
  CHECK(RestartPolicy::exponential_delay(1ms, 2ms, 2, 0, 1s).kind_name() == "exponential-delay");
  CHECK(RestartPolicy::failure_rate(1, 1s, 1ms).kind_name() == "failure-rate");
}
