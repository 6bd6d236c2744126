#pragma once
// The model of a deduplicate operator (ROW_NUMBER() OVER (PARTITION BY ...
// ORDER BY time ASC|DESC) = 1); its definition is deduplicate_kind.cpp.
#include <string>
#include <vector>

#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

struct Deduplicate {
  std::vector<std::string> partition_by;
  std::string order_by;   // a time attribute: event time orders by its value, processing time by arrival
  bool keep_last = false;        // ORDER BY ... DESC
  bool processing_time = false;  // `order_by` is a PROCTIME() column (YAML `time: processing`)
  SourceLocation order_by_location;
  bool operator==(const Deduplicate& o) const {
    return partition_by == o.partition_by && order_by == o.order_by && keep_last == o.keep_last &&
           processing_time == o.processing_time;
  }
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
