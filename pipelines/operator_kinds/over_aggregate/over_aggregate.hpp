#pragma once
// The model of an over_aggregate operator (agg(...) OVER (PARTITION BY ...
// ORDER BY rowtime ROWS|RANGE BETWEEN ... PRECEDING AND CURRENT ROW)); its
// definition is over_aggregate_kind.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipelines/operator_kinds/common/aggregate_model.hpp"
#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

enum class OverFrameUnit { Rows, Range };

// The frame's lower bound; the upper bound is CURRENT ROW (the only one Flink runs).
struct OverFrame {
  OverFrameUnit unit = OverFrameUnit::Rows;
  std::optional<int64_t> rows;    // ROWS n PRECEDING
  std::optional<Duration> range;  // RANGE INTERVAL ... PRECEDING
  SourceLocation location;        // neither: UNBOUNDED PRECEDING
  bool operator==(const OverFrame& o) const { return unit == o.unit && rows == o.rows && range == o.range; }
};

struct OverAggregate {
  std::vector<std::string> partition_by;
  std::string order_by;  // the event-time attribute, ascending
  OverFrame frame;
  std::vector<Aggregate> aggregates;
  SourceLocation order_by_location;
  bool operator==(const OverAggregate& o) const {
    return partition_by == o.partition_by && order_by == o.order_by && frame == o.frame && aggregates == o.aggregates;
  }
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
