#include "pipelines/operator_kinds/common/windows.hpp"

#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/common/yaml_parts.hpp"

namespace ananas::pipeline {

namespace yaml {

WindowSpec read_window_spec(const NodeReader& node, bool aggregating) {
  MapReader m(node.source(), node.node(), node.path());
  WindowSpec w;
  w.location = m.location();
  const NodeReader kind = m.require("kind");
  const std::string kind_text = kind.as_string();
  const auto parsed = window_kind_from_string(kind_text);
  if (!parsed) {
    std::string message = "unknown window kind '" + kind_text + "' (expected tumble, hop, cumulate or session)";
    const std::string best = closest_match(kind_text, window_kind_names());
    kind.fail(best.empty() ? message : "unknown window kind '" + kind_text + "' (did you mean '" + best + "'?)");
  }
  w.kind = *parsed;
  // Flink aggregates session windows only: a row's session is not known until it closes.
  if (w.kind == WindowKind::Session && !aggregating)
    kind.fail("a session window is only supported by window_aggregate (Flink translates SESSION windows in window aggregations)");
  const std::vector<std::string> window_keys = {"kind", "time_column", "time", "size", "gap", "slide", "step", "offset"};
  switch (w.kind) {
    case WindowKind::Tumble:
      m.allow_only({"kind", "time_column", "time", "size", "offset"}, "for a tumble window", window_keys);
      break;
    case WindowKind::Hop:
      m.allow_only({"kind", "time_column", "time", "size", "slide", "offset"}, "for a hop window", window_keys);
      break;
    case WindowKind::Cumulate:
      m.allow_only({"kind", "time_column", "time", "size", "step", "offset"}, "for a cumulate window", window_keys);
      break;
    case WindowKind::Session:
      m.allow_only({"kind", "time_column", "time", "gap"}, "for a session window", window_keys);
      break;
  }
  w.time_column = m.require("time_column").as_identifier();
  if (auto time = m.optional("time")) {
    const std::string t = time->as_string();
    if (t != "event" && t != "processing")
      time->fail("unknown window time '" + t + "' (expected event, the watermark's, or processing, the operator's clock)");
    w.processing_time = t == "processing";
    // Flink: "Processing time Window TableFunction is not supported yet." (StreamExecWindowTableFunction).
    if (w.processing_time && !aggregating)
      time->fail("a processing-time window is only supported by window_aggregate (Flink: Processing time Window "
                 "TableFunction is not supported yet)");
    if (w.processing_time && w.kind == WindowKind::Session)
      time->fail("a session window on processing time is not supported yet (use tumble, hop or cumulate)");
  }
  if (w.kind == WindowKind::Session) {
    w.gap = positive_duration(m.require("gap"));
    return w;
  }
  w.size = positive_duration(m.require("size"));
  if (w.kind == WindowKind::Hop) w.slide = positive_duration(m.require("slide"));
  if (w.kind == WindowKind::Cumulate) {
    const NodeReader step = m.require("step");
    w.step = positive_duration(step);
    // Flink: the max size of a cumulating window must be an integral multiple of the step.
    if (w.size.millis % w.step->millis != 0)
      step.fail("window size " + w.size.text + " is not a multiple of step " + w.step->text);
  }
  if (auto offset = m.optional("offset")) w.offset = offset->as_duration();
  return w;
}

void write_window(Writer& w, int indent, const WindowSpec& spec) {
  w.key(indent, "window");
  const int in = indent + 2;
  w.scalar(in, "kind", to_string(spec.kind));
  w.scalar(in, "time_column", spec.time_column);
  if (spec.processing_time) w.scalar(in, "time", "processing");
  if (spec.gap) w.scalar(in, "gap", spec.gap->text);
  if (spec.kind != WindowKind::Session) w.scalar(in, "size", spec.size.text);
  if (spec.slide) w.scalar(in, "slide", spec.slide->text);
  if (spec.step) w.scalar(in, "step", spec.step->text);
  if (spec.offset) w.scalar(in, "offset", spec.offset->text);
}

}  // namespace yaml

std::string append_only_refusal(std::string_view kind, std::string_view node, std::string_view producer) {
  return std::string(kind) + " '" + std::string(node) + "' needs an append-only input, but '" + std::string(producer) +
         "' produces updates";
}

ops::WindowSpec window_spec(const WindowSpec& w) {
  ops::WindowSpec s;
  s.size_ms = w.size.millis;
  s.offset_ms = w.offset ? w.offset->millis : 0;
  switch (w.kind) {
    case WindowKind::Tumble: s.kind = ops::WindowKind::Tumble; break;
    case WindowKind::Hop:
      s.kind = ops::WindowKind::Hop;
      if (!w.slide) throw InputError(w.location, "a hop window needs a 'slide'");
      s.step_ms = w.slide->millis;
      break;
    case WindowKind::Cumulate:
      s.kind = ops::WindowKind::Cumulate;
      if (!w.step) throw InputError(w.location, "a cumulate window needs a 'step'");
      s.step_ms = w.step->millis;
      break;
    case WindowKind::Session:
      s.kind = ops::WindowKind::Session;
      if (!w.gap) throw InputError(w.location, "a session window needs a 'gap'");
      s.size_ms = w.gap->millis;
      s.offset_ms = 0;
      break;
  }
  try {
    ops::validate_window_spec(s);
  } catch (const std::exception& e) {
    throw InputError(w.location, e.what());
  }
  return s;
}

size_t time_column(const Schema& input, const WindowSpec& w) {
  size_t i = column_index(input, w.time_column, w.location, "window time column");
  const Type& t = input[i].type;
  if (w.processing_time) {
    if (!t.is_timestamp() || t.time_attr != TimeAttr::Proctime)
      throw InputError(w.location, "window time column '" + w.time_column +
                                       "' must be a processing-time attribute (a PROCTIME() column) for 'time: processing', but is " +
                                       t.to_string());
    return i;
  }
  if (t.time_attr == TimeAttr::Proctime)
    throw InputError(w.location, "window time column '" + w.time_column +
                                     "' is a processing-time attribute: write 'time: processing' in the window to run it on the "
                                     "operator's clock");
  if (!t.is_timestamp() || t.time_attr != TimeAttr::Rowtime)
    throw InputError(w.location, "window time column '" + w.time_column + "' must be an event-time attribute (a WATERMARK column), but is " +
                                     t.to_string());
  return i;
}

}  // namespace ananas::pipeline
