#pragma once
// The model of a join operator (a regular equi-join of two inputs, an
// interval join when it has time bounds, a window join when it names each
// side's window bounds, a temporal join with as_of); its definition is join_kind.cpp.
// The operator's inputs are the left side and the right side (YAML
// `inputs: [left, right]`).
#include <optional>
#include <string>
#include <vector>

#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

struct Join {
  std::string join_type = "inner";     // inner, left, right, full, semi, anti
  std::vector<std::string> left_key;   // columns of the left input
  std::vector<std::string> right_key;  // columns of the right input, pairwise equal to left_key's
  std::optional<Expr> condition;       // more of the ON condition, over both inputs' columns
  bool null_safe = false;              // keys compare with IS NOT DISTINCT FROM (regular joins)
  // An interval join (inner only): left_time BETWEEN right_time + lower_bound_ms
  // AND right_time + upper_bound_ms, both rowtime attributes.
  struct TimeBounds {
    std::string left_time, right_time;
    int64_t lower_bound_ms = 0, upper_bound_ms = 0;
    bool operator==(const TimeBounds&) const = default;
  };
  std::optional<TimeBounds> time_bounds;
  // An event-time temporal join (inner or left): each left row joins the
  // right side's version at its `left_time` (FOR SYSTEM_TIME AS OF); the
  // right side is a versioned table whose rowtime is `right_time`.
  struct AsOf {
    std::string left_time, right_time;
    bool operator==(const AsOf&) const = default;
  };
  std::optional<AsOf> as_of;
  // A window join: rows match only within one window, the left rows' window
  // (left_start, left_end) equal to the right rows' (right_start, right_end),
  // joined once when the watermark passes the window's end. The keys may be empty.
  struct WindowBounds {
    std::string left_start, left_end, right_start, right_end;
    SourceLocation location;  // of left_window in the YAML
    bool operator==(const WindowBounds& o) const {
      return left_start == o.left_start && left_end == o.left_end && right_start == o.right_start && right_end == o.right_end;
    }
  };
  std::optional<WindowBounds> window;
  bool operator==(const Join&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
