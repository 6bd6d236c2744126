// The pipeline mapping itself: name, defaults, restart policy, error handling,
// settings, and its lists of sources, operators and sinks.
#include <functional>

#include "core/time_zone.hpp"
#include "pipelines/yaml/load_parts.hpp"

namespace ananas::pipeline::yaml {

namespace {

std::string unknown_value(const std::string& what, const std::string& value, const std::vector<std::string>& names) {
  std::string message = "unknown " + what + " '" + value + "'";
  const std::string best = closest_match(value, names);
  if (!best.empty()) return message + " (did you mean '" + best + "'?)";
  message += " (expected one of:";
  for (const auto& n : names) message += " " + n;
  return message + ")";
}

template <typename T>
std::vector<T> read_list(const MapReader& m, std::string_view key, bool required,
                         const std::function<T(const NodeReader&)>& read_item) {
  std::optional<NodeReader> list = required ? std::optional<NodeReader>(m.require(key)) : m.optional(key);
  if (!list) return {};
  list->expect_list();
  if (required && list->node().size() == 0) list->fail("needs at least one entry");
  std::vector<T> out;
  for (size_t i = 0; i < list->node().size(); ++i)
    out.push_back(read_item(list->item(i, item_label(list->node()[i]))));
  return out;
}

int positive_int(const NodeReader& node, const std::string& what) {
  const int64_t v = node.as_integer();
  if (v < 1 || v > 1'000'000'000) node.fail(what + " must be a positive integer, got " + std::to_string(v));
  return static_cast<int>(v);
}

Duration non_negative_duration(const NodeReader& node) {
  Duration d = node.as_duration();
  if (d.millis < 0) node.fail("duration must not be negative, got '" + d.text + "'");
  return d;
}

}  // namespace

RestartPolicy read_restart(const NodeReader& node) {
  MapReader m(node.source(), node.node(), node.path());
  RestartPolicy r;
  r.location = m.location();
  const NodeReader strategy = m.require("strategy");
  const std::string text = strategy.as_string();
  const auto parsed = restart_strategy_from_string(text);
  if (!parsed) strategy.fail(unknown_value("restart strategy", text, restart_strategy_names()));
  r.strategy = *parsed;
  const std::string context = "for restart strategy " + text;
  const std::vector<std::string> restart_keys = {"strategy",   "attempts",    "delay",       "initial_delay",
                                                 "max_delay",  "multiplier",  "jitter",      "reset_after",
                                                 "max_failures", "interval"};
  switch (r.strategy) {
    case RestartStrategy::None:
      m.allow_only({"strategy"}, context, restart_keys);
      break;
    case RestartStrategy::FixedDelay:
      m.allow_only({"strategy", "attempts", "delay"}, context, restart_keys);
      break;
    case RestartStrategy::ExponentialDelay:
      m.allow_only({"strategy", "initial_delay", "max_delay", "multiplier", "jitter", "reset_after", "attempts"},
                   context, restart_keys);
      break;
    case RestartStrategy::FailureRate:
      m.allow_only({"strategy", "max_failures", "interval", "delay"}, context, restart_keys);
      break;
  }
  if (auto v = m.optional("attempts")) r.attempts = positive_int(*v, "attempts");
  if (auto v = m.optional("delay")) r.delay = non_negative_duration(*v);
  if (auto v = m.optional("initial_delay")) r.initial_delay = non_negative_duration(*v);
  if (auto v = m.optional("max_delay")) r.max_delay = non_negative_duration(*v);
  if (auto v = m.optional("multiplier")) {
    r.multiplier = v->as_number();
    if (*r.multiplier < 1.0) v->fail("multiplier must be at least 1.0");
  }
  if (auto v = m.optional("jitter")) {
    r.jitter = v->as_number();
    if (*r.jitter < 0.0 || *r.jitter > 1.0) v->fail("jitter must be between 0.0 and 1.0");
  }
  if (auto v = m.optional("reset_after")) r.reset_after = non_negative_duration(*v);
  if (auto v = m.optional("max_failures")) r.max_failures = positive_int(*v, "max_failures");
  if (auto v = m.optional("interval")) r.interval = non_negative_duration(*v);
  if (r.initial_delay && r.max_delay && r.max_delay->millis < r.initial_delay->millis)
    m.fail_at_key("max_delay", "max_delay is shorter than initial_delay");
  return r;
}

Options read_settings(const NodeReader& node) {
  MapReader m(node.source(), node.node(), node.path());
  m.allow_only(settings_keys());
  Options settings = node.as_string_map();
  for (const auto& s : settings) {
    const NodeReader value = m.require(s.key);
    if (s.key == "time_zone") {
      if (auto problem = time_zone_problem(value.as_string())) value.fail("time_zone: " + *problem);
    } else if (s.key == "agg_phase_strategy") {
      if (!agg_phase_strategy_from_string(value.as_string()))
        value.fail(unknown_value("agg_phase_strategy", value.as_string(), {"auto", "one_phase", "two_phase"}));
    } else {
      (void)non_negative_duration(value);  // idle_timeout, checkpoint_interval, state_ttl
    }
  }
  return settings;
}

Pipeline read_pipeline(const NodeReader& node) {
  MapReader m(node.source(), node.node(), node.path());
  m.allow_only({"pipeline", "description", "parallelism", "restart", "on_error", "dead_letter_topic", "settings",
                "sources", "operators", "sinks"});
  Pipeline p;
  p.location = m.location();
  p.name = m.require("pipeline").as_name();
  if (auto v = m.optional("description")) p.description = v->as_string();
  if (auto v = m.optional("parallelism")) {
    const int64_t n = v->as_integer();
    if (n < 1 || n > 65536) v->fail("parallelism must be between 1 and 65536, got " + std::to_string(n));
    p.parallelism = static_cast<int>(n);
  }
  if (auto v = m.optional("restart")) p.restart = read_restart(*v);
  if (auto v = m.optional("on_error")) {
    const std::string text = v->as_string();
    const auto parsed = on_error_from_string(text);
    if (!parsed) v->fail(unknown_value("on_error value", text, on_error_names()));
    p.on_error = *parsed;
  }
  if (auto v = m.optional("dead_letter_topic")) {
    if (p.on_error != OnError::DeadLetter)
      m.fail_at_key("dead_letter_topic", "dead_letter_topic is used only with on_error: dead-letter");
    p.dead_letter_topic = v->as_identifier();
  } else if (p.on_error == OnError::DeadLetter) {
    m.fail("missing required key 'dead_letter_topic' (on_error is dead-letter)");
  }
  if (auto v = m.optional("settings")) p.settings = read_settings(*v);
  p.sources = read_list<Source>(m, "sources", true, read_source);
  p.operators = read_list<Operator>(m, "operators", false, read_operator);
  p.sinks = read_list<Sink>(m, "sinks", true, read_sink);
  return p;
}

}  // namespace ananas::pipeline::yaml
