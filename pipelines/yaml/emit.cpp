#include "pipelines/yaml/emit.hpp"

#include <charconv>

#include "pipelines/operator_kinds/registry.hpp"
#include "pipelines/yaml/yaml_writer.hpp"

namespace ananas::pipeline {

namespace {

using yaml::flow_list;
using yaml::Flow;
using yaml::Writer;
using yaml::yaml_scalar;

std::string number(double v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string text(buf, ec == std::errc() ? ptr : buf);
  // Keep a visible decimal point so the value reads as a number, not a count.
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

std::string column_flow(const Column& c) {
  Flow f;
  f.add("name", c.name);
  if (c.expression) {
    f.add("expression", c.expression->text);
  } else {
    f.add("type", c.type);
    if (c.metadata) f.add("metadata", *c.metadata);
    if (c.is_virtual) f.add_raw("virtual", "true");
  }
  return f.str();
}

void write_columns(Writer& w, int indent, const std::vector<Column>& columns) {
  w.key(indent, "columns");
  for (const auto& c : columns) w.item(indent + 2, column_flow(c));
}

void write_table_head(Writer& w, int indent, const std::string& connector, const std::string& format,
                      const std::optional<std::string>& key_format, const Options& options) {
  w.scalar(indent, "connector", connector);
  if (!format.empty()) w.scalar(indent, "format", format);
  if (key_format) w.scalar(indent, "key_format", *key_format);
  w.string_map(indent, "options", options);
}

void write_source(Writer& w, int indent, const Source& s) {
  const int in = w.item(indent, "name: " + yaml_scalar(s.name));
  write_table_head(w, in, s.connector, s.format, s.key_format, s.options);
  write_columns(w, in, s.columns);
  if (s.watermark)
    w.raw(in, "watermark", Flow().add("column", s.watermark->column).add("expression", s.watermark->expression.text).str());
  if (!s.primary_key.empty()) w.raw(in, "primary_key", flow_list(s.primary_key));
  if (s.idle_timeout) w.scalar(in, "idle_timeout", s.idle_timeout->text);
}

void write_sink(Writer& w, int indent, const Sink& s) {
  const int in = w.item(indent, "name: " + yaml_scalar(s.name));
  w.scalar(in, "input", s.input);
  write_table_head(w, in, s.connector, s.format, s.key_format, s.options);
  write_columns(w, in, s.columns);
  if (!s.primary_key.empty()) w.raw(in, "primary_key", flow_list(s.primary_key));
}

void write_operator(Writer& w, int indent, const Operator& op) {
  const int in = w.item(indent, "name: " + yaml_scalar(op.name));
  const OperatorKind& kind = kind_of(op);
  w.scalar(in, "type", kind.name());
  if (kind.reads_several_inputs()) w.raw(in, "inputs", flow_list(op.inputs()));
  else w.scalar(in, "input", op.input);
  if (op.parallelism) w.raw(in, "parallelism", std::to_string(*op.parallelism));
  if (!op.key.empty()) w.raw(in, "key", flow_list(op.key));
  kind.emit(w, in, op.body);
}

void write_restart(Writer& w, int indent, const RestartPolicy& r) {
  w.key(indent, "restart");
  const int in = indent + 2;
  w.scalar(in, "strategy", to_string(r.strategy));
  auto duration = [&](std::string_view key, const std::optional<Duration>& d) {
    if (d) w.scalar(in, key, d->text);
  };
  auto integer = [&](std::string_view key, const std::optional<int>& v) {
    if (v) w.raw(in, key, std::to_string(*v));
  };
  auto real = [&](std::string_view key, const std::optional<double>& v) {
    if (v) w.raw(in, key, number(*v));
  };
  // Each strategy's keys in the order the docs list them; the loader rejects
  // keys of other strategies, so nothing else can be set.
  switch (r.strategy) {
    case RestartStrategy::None:
      break;
    case RestartStrategy::FixedDelay:
      integer("attempts", r.attempts);
      duration("delay", r.delay);
      break;
    case RestartStrategy::ExponentialDelay:
      duration("initial_delay", r.initial_delay);
      duration("max_delay", r.max_delay);
      real("multiplier", r.multiplier);
      real("jitter", r.jitter);
      duration("reset_after", r.reset_after);
      integer("attempts", r.attempts);
      break;
    case RestartStrategy::FailureRate:
      integer("max_failures", r.max_failures);
      duration("interval", r.interval);
      duration("delay", r.delay);
      break;
  }
}

// The pipeline's keys; the first line is written by the caller so that the
// same code serves a top-level mapping and a `pipelines:` list item.
void write_pipeline_body(Writer& w, int in, const Pipeline& p) {
  if (p.description) w.scalar(in, "description", *p.description);
  w.raw(in, "parallelism", std::to_string(p.parallelism));
  if (p.restart) write_restart(w, in, *p.restart);
  w.scalar(in, "on_error", to_string(p.on_error));
  if (p.dead_letter_topic) w.scalar(in, "dead_letter_topic", *p.dead_letter_topic);
  w.string_map(in, "settings", p.settings);
  w.key(in, "sources");
  for (const auto& s : p.sources) write_source(w, in + 2, s);
  if (!p.operators.empty()) {
    w.key(in, "operators");
    for (const auto& op : p.operators) write_operator(w, in + 2, op);
  }
  w.key(in, "sinks");
  for (const auto& s : p.sinks) write_sink(w, in + 2, s);
}

}  // namespace

std::string emit_pipeline_yaml(const Pipeline& p) {
  std::string out;
  Writer w(out);
  w.scalar(0, "pipeline", p.name);
  write_pipeline_body(w, 0, p);
  return out;
}

std::string emit_pipelines_yaml(const PipelineSet& set) {
  if (set.pipelines.size() == 1) return emit_pipeline_yaml(set.pipelines[0]);
  std::string out;
  Writer w(out);
  w.key(0, "pipelines");
  for (size_t i = 0; i < set.pipelines.size(); ++i) {
    if (i > 0) out += '\n';  // a blank line between pipelines keeps diffs local
    const int in = w.item(2, "pipeline: " + yaml_scalar(set.pipelines[i].name));
    write_pipeline_body(w, in, set.pipelines[i]);
  }
  return out;
}

}  // namespace ananas::pipeline
