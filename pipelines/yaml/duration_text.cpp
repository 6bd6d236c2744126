#include "pipelines/yaml/duration_text.hpp"

#if __has_include("core/timefmt.hpp")
#include "core/timefmt.hpp"
#define ANANAS_HAVE_TIMEFMT 1
#else
#include <array>
#include <charconv>
#include <string>
#endif

namespace ananas::pipeline::yaml {

#ifdef ANANAS_HAVE_TIMEFMT

std::optional<int64_t> duration_millis(std::string_view text) { return parse_duration_millis(text); }

#else

namespace {

struct Unit {
  std::string_view label;
  int64_t nanos;
};

// Flink's TimeUtils labels, matched case-insensitively.
constexpr std::array<Unit, 27> kUnits{{
    {"ns", 1}, {"nano", 1}, {"nanos", 1}, {"nanosecond", 1}, {"nanoseconds", 1},
    {"µs", 1'000}, {"micro", 1'000}, {"micros", 1'000}, {"microsecond", 1'000}, {"microseconds", 1'000},
    {"ms", 1'000'000}, {"milli", 1'000'000}, {"millis", 1'000'000}, {"millisecond", 1'000'000},
    {"milliseconds", 1'000'000},
    {"s", 1'000'000'000}, {"sec", 1'000'000'000}, {"secs", 1'000'000'000}, {"second", 1'000'000'000},
    {"seconds", 1'000'000'000},
    {"min", 60'000'000'000}, {"m", 60'000'000'000}, {"minute", 60'000'000'000}, {"minutes", 60'000'000'000},
    {"h", 3'600'000'000'000}, {"hour", 3'600'000'000'000}, {"hours", 3'600'000'000'000},
}};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<int64_t> duration_millis(std::string_view text) {
  text = trim(text);
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  int64_t amount = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + digits, amount);
  if (ec != std::errc() || ptr != text.data() + digits) return std::nullopt;
  const std::string_view label = trim(text.substr(digits));
  if (label.empty()) return amount;  // no unit: milliseconds, as in Flink
  const bool is_day = equals_ignoring_case(label, "d") || equals_ignoring_case(label, "day") ||
                      equals_ignoring_case(label, "days");
  const int64_t nanos_per_unit = is_day ? 86'400'000'000'000 : 0;
  int64_t unit = nanos_per_unit;
  for (const auto& u : kUnits)
    if (unit == 0 && equals_ignoring_case(label, u.label)) unit = u.nanos;
  if (unit == 0) return std::nullopt;
  if (unit >= 1'000'000) {
    const int64_t per_milli = unit / 1'000'000;
    if (amount > INT64_MAX / per_milli) return std::nullopt;
    return amount * per_milli;
  }
  return amount / (1'000'000 / unit);
}

#endif

}  // namespace ananas::pipeline::yaml
