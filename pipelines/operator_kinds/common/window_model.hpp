#pragma once
// A window table-valued function's window, of window and window_aggregate.
#include <optional>
#include <string>

#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

enum class WindowKind { Tumble, Hop, Cumulate, Session };

struct WindowSpec {
  WindowKind kind = WindowKind::Tumble;
  std::string time_column;
  Duration size;                   // all but session
  std::optional<Duration> gap;     // session only: sessions are per key (the operator's keys)
  std::optional<Duration> slide;   // hop only
  std::optional<Duration> step;    // cumulate only
  std::optional<Duration> offset;
  // `time: processing`: the windows run on the operator's clock and time_column
  // is a PROCTIME() attribute; otherwise (`time: event`, the default) on the watermark.
  bool processing_time = false;
  SourceLocation location;
  bool operator==(const WindowSpec& o) const {
    return kind == o.kind && time_column == o.time_column && size == o.size && gap == o.gap && slide == o.slide &&
           step == o.step && offset == o.offset && processing_time == o.processing_time;
  }
};

}  // namespace ananas::pipeline
