#include "pipelines/model.hpp"

#include <cctype>

#include <algorithm>
#include <array>
#include <filesystem>

namespace ananas::pipeline {

namespace {

// One table per enum keeps the two directions of the spelling in step.
template <typename E, size_t N>
struct Spellings {
  std::array<std::pair<E, std::string_view>, N> entries;

  std::string_view name(E e) const {
    for (const auto& [value, text] : entries)
      if (value == e) return text;
    return "?";
  }
  std::optional<E> parse(std::string_view s) const {
    for (const auto& [value, text] : entries)
      if (text == s) return value;
    return std::nullopt;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : entries) out.emplace_back(entry.second);
    return out;
  }
};

constexpr Spellings<WindowKind, 4> kWindowKinds{{{
    {WindowKind::Tumble, "tumble"},
    {WindowKind::Hop, "hop"},
    {WindowKind::Cumulate, "cumulate"},
    {WindowKind::Session, "session"},
}}};

constexpr Spellings<AfterMatchSkip, 4> kAfterMatchSkips{{{
    {AfterMatchSkip::PastLastRow, "past_last_row"},
    {AfterMatchSkip::ToNextRow, "to_next_row"},
    {AfterMatchSkip::ToFirst, "to_first"},
    {AfterMatchSkip::ToLast, "to_last"},
}}};

constexpr Spellings<RestartStrategy, 4> kRestartStrategies{{{
    {RestartStrategy::None, "none"},
    {RestartStrategy::FixedDelay, "fixed-delay"},
    {RestartStrategy::ExponentialDelay, "exponential-delay"},
    {RestartStrategy::FailureRate, "failure-rate"},
}}};

constexpr Spellings<OnError, 3> kOnErrors{{{
    {OnError::Fail, "fail"},
    {OnError::Skip, "skip"},
    {OnError::DeadLetter, "dead-letter"},
}}};

template <typename T>
const T* find_named(const std::vector<T>& items, std::string_view name) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

std::string_view to_string(WindowKind k) { return kWindowKinds.name(k); }
std::string_view to_string(AfterMatchSkip s) { return kAfterMatchSkips.name(s); }
std::string_view to_string(RestartStrategy s) { return kRestartStrategies.name(s); }
std::string_view to_string(OnError e) { return kOnErrors.name(e); }

std::optional<WindowKind> window_kind_from_string(std::string_view s) { return kWindowKinds.parse(s); }
std::optional<AfterMatchSkip> after_match_skip_from_string(std::string_view s) { return kAfterMatchSkips.parse(s); }
std::optional<RestartStrategy> restart_strategy_from_string(std::string_view s) {
  return kRestartStrategies.parse(s);
}
std::optional<OnError> on_error_from_string(std::string_view s) { return kOnErrors.parse(s); }

std::optional<AggPhaseStrategy> agg_phase_strategy_from_string(std::string_view s) {
  std::string lower;
  for (char c : s) lower.push_back(c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "auto") return AggPhaseStrategy::Auto;
  if (lower == "one_phase") return AggPhaseStrategy::OnePhase;
  if (lower == "two_phase") return AggPhaseStrategy::TwoPhase;
  return std::nullopt;
}

AggPhaseStrategy Pipeline::agg_phase_strategy() const {
  const auto v = setting("agg_phase_strategy");
  return v ? agg_phase_strategy_from_string(*v).value_or(AggPhaseStrategy::Auto) : AggPhaseStrategy::Auto;
}

const std::vector<std::string>& window_kind_names() {
  static const auto names = kWindowKinds.names();
  return names;
}
const std::vector<std::string>& after_match_skip_names() {
  static const auto names = kAfterMatchSkips.names();
  return names;
}
const std::vector<std::string>& restart_strategy_names() {
  static const auto names = kRestartStrategies.names();
  return names;
}
const std::vector<std::string>& on_error_names() {
  static const auto names = kOnErrors.names();
  return names;
}

// The operator types' spellings are their kinds' names: operator_kinds/registry.cpp.

const std::vector<std::string>& settings_keys() {
  static const std::vector<std::string> keys = {"time_zone", "idle_timeout", "checkpoint_interval", "state_ttl",
                                                "agg_phase_strategy"};
  return keys;
}

const Source* Pipeline::find_source(std::string_view n) const { return find_named(sources, n); }
const Operator* Pipeline::find_operator(std::string_view n) const { return find_named(operators, n); }

std::vector<std::string> Operator::inputs() const {
  std::vector<std::string> all{input};
  all.insert(all.end(), more_inputs.begin(), more_inputs.end());
  return all;
}
const Sink* Pipeline::find_sink(std::string_view n) const { return find_named(sinks, n); }

std::optional<std::string> Pipeline::setting(std::string_view key) const {
  for (const auto& s : settings)
    if (s.key == key) return s.value;
  return std::nullopt;
}

}  // namespace ananas::pipeline

namespace ananas::pipeline {

InputError duplicate_pipeline(const Pipeline& second, const SourceLocation& first) {
  std::string message = "a second pipeline is named '" + second.name + "' (the first is at " + first.to_string() + ")";
  // Application JSON locations name the member: `x.json#/statement`.
  auto file_of = [](const std::string& f) { return std::filesystem::path(f.substr(0, f.find('#'))); };
  const std::filesystem::path a = file_of(first.file), b = file_of(second.location.file);
  if (!a.empty() && a.stem() == b.stem() && a.extension() != b.extension())
    message += ": one pipeline in two forms? Name the files of one form only, e.g. " +
               (b.parent_path().empty() ? std::string() : b.parent_path().string() + "/") + "*" +
               b.extension().string();
  return InputError(second.location, message);
}

}  // namespace ananas::pipeline
