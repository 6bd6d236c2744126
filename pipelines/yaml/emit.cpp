#include "pipelines/yaml/emit.hpp"

#include <charconv>

#include "pipelines/yaml/scalar_style.hpp"

namespace ananas::pipeline {

namespace {

using yaml::yaml_scalar;

// Builds `{k: v, k: v}` for one-line items.
class Flow {
 public:
  Flow& add(std::string_view key, std::string_view value) {
    parts_ += (parts_.empty() ? "" : ", ") + std::string(key) + ": " + yaml_scalar(value);
    return *this;
  }
  Flow& add_raw(std::string_view key, const std::string& raw) {
    parts_ += (parts_.empty() ? "" : ", ") + std::string(key) + ": " + raw;
    return *this;
  }
  std::string str() const { return "{" + parts_ + "}"; }

 private:
  std::string parts_;
};

std::string flow_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + yaml_scalar(items[i]);
  return out + "]";
}

std::string number(double v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string text(buf, ec == std::errc() ? ptr : buf);
  // Keep a visible decimal point so the value reads as a number, not a count.
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  return text;
}

// Appends block-style lines at a given indentation.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void line(int indent, std::string_view text) {
    out_.append(static_cast<size_t>(indent), ' ');
    out_ += text;
    out_ += '\n';
  }
  void scalar(int indent, std::string_view key, std::string_view value) {
    line(indent, std::string(key) + ": " + yaml_scalar(value));
  }
  void raw(int indent, std::string_view key, const std::string& value) { line(indent, std::string(key) + ": " + value); }
  void key(int indent, std::string_view key) { line(indent, std::string(key) + ":"); }
  // A list item whose first line is `- <text>`; returns the indentation of its further keys.
  int item(int indent, std::string_view text) {
    line(indent, "- " + std::string(text));
    return indent + 2;
  }
  void string_map(int indent, std::string_view key, const Options& entries) {
    if (entries.empty()) return;
    this->key(indent, key);
    for (const auto& e : entries) line(indent + 2, yaml_scalar(e.key) + ": " + yaml_scalar(e.value));
  }

 private:
  std::string& out_;
};

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

void write_named_exprs(Writer& w, int indent, std::string_view key, const std::vector<NamedExpr>& items) {
  w.key(indent, key);
  for (const auto& e : items) w.item(indent + 2, Flow().add("name", e.name).add("expr", e.expr.text).str());
}

void write_aggregates(Writer& w, int indent, const std::vector<std::string>& keys,
                      const std::vector<Aggregate>& aggregates) {
  if (!keys.empty()) w.raw(indent, "keys", flow_list(keys));
  if (aggregates.empty()) return;
  w.key(indent, "aggregates");
  for (const auto& a : aggregates) {
    Flow f;
    f.add("name", a.name).add("function", a.function);
    if (!a.args.empty()) {
      std::vector<std::string> args;
      for (const auto& e : a.args) args.push_back(e.text);
      f.add_raw("args", flow_list(args));
    }
    if (a.distinct) f.add_raw("distinct", "true");
    if (a.filter) f.add("filter", a.filter->text);
    w.item(indent + 2, f.str());
  }
}

void write_window(Writer& w, int indent, const WindowSpec& spec) {
  w.key(indent, "window");
  const int in = indent + 2;
  w.scalar(in, "kind", to_string(spec.kind));
  w.scalar(in, "time_column", spec.time_column);
  w.scalar(in, "size", spec.size.text);
  if (spec.slide) w.scalar(in, "slide", spec.slide->text);
  if (spec.step) w.scalar(in, "step", spec.step->text);
  if (spec.offset) w.scalar(in, "offset", spec.offset->text);
}

void write_match_recognize(Writer& w, int in, const MatchRecognize& r) {
  if (!r.partition_by.empty()) w.raw(in, "partition_by", flow_list(r.partition_by));
  w.key(in, "order_by");
  for (const auto& k : r.order_by) {
    Flow f;
    f.add("column", k.column);
    if (k.descending) f.add_raw("descending", "true");
    w.item(in + 2, f.str());
  }
  write_named_exprs(w, in, "measures", r.measures);
  w.scalar(in, "rows_per_match", r.rows_per_match);
  Flow after;
  after.add("skip", to_string(r.after_match.skip));
  if (r.after_match.variable) after.add("variable", *r.after_match.variable);
  w.raw(in, "after_match", after.str());
  w.scalar(in, "pattern", r.pattern.text);
  if (r.within) w.scalar(in, "within", r.within->text);
  if (!r.define.empty()) {
    w.key(in, "define");
    for (const auto& d : r.define) w.line(in + 2, yaml_scalar(d.name) + ": " + yaml_scalar(d.expr.text));
  }
  if (!r.subset.empty()) {
    w.key(in, "subset");
    for (const auto& s : r.subset) w.line(in + 2, yaml_scalar(s.name) + ": " + flow_list(s.variables));
  }
}

void write_operator(Writer& w, int indent, const Operator& op) {
  const int in = w.item(indent, "name: " + yaml_scalar(op.name));
  w.scalar(in, "type", to_string(op.type()));
  w.scalar(in, "input", op.input);
  if (op.parallelism) w.raw(in, "parallelism", std::to_string(*op.parallelism));
  if (!op.key.empty()) w.raw(in, "key", flow_list(op.key));
  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, Unnest>) {
          w.scalar(in, "array", body.array.text);
          w.raw(in, "columns", flow_list(body.columns));
          if (body.with_ordinality) w.raw(in, "with_ordinality", "true");
        } else if constexpr (std::is_same_v<T, Calc>) {
          if (body.where) w.scalar(in, "where", body.where->text);
          if (body.select) write_named_exprs(w, in, "select", *body.select);
        } else if constexpr (std::is_same_v<T, GroupAggregate>) {
          write_aggregates(w, in, body.keys, body.aggregates);
        } else if constexpr (std::is_same_v<T, WindowAggregate>) {
          write_window(w, in, body.window);
          write_aggregates(w, in, body.keys, body.aggregates);
        } else if constexpr (std::is_same_v<T, Window>) {
          write_window(w, in, body.window);
        } else if constexpr (std::is_same_v<T, MatchRecognize>) {
          write_match_recognize(w, in, body);
        }
        // UpsertMaterialize has nothing beyond the common keys.
      },
      op.body);
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
