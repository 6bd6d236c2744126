#pragma once
// The model of a top_n operator (ROW_NUMBER() OVER (PARTITION BY ... ORDER BY
// ...) filtered to a rank range); its definition is top_n_kind.cpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

struct TopNKey {
  std::string column;
  bool descending = false;
  std::optional<bool> nulls_first;  // unset: Flink's default, NULLs smallest (first ascending, last descending)
  SourceLocation location;
  bool operator==(const TopNKey& o) const {
    return column == o.column && descending == o.descending && nulls_first == o.nulls_first;
  }
};

// Window Top-N: the columns holding the window bounds (PARTITION BY window_start, window_end, ...).
struct TopNWindow {
  std::string start;
  std::string end;
  bool operator==(const TopNWindow&) const = default;
};

struct TopN {
  std::vector<std::string> partition_by;
  std::vector<TopNKey> order_by;
  bool processing_time = false;  // order_by is one PROCTIME() column, ascending: the first rows to arrive (YAML `time: processing`)
  int64_t rank_start = 1;
  int64_t rank_end = 1;
  std::optional<std::string> rank_column;  // the row number, output after the input columns
  std::optional<TopNWindow> window;        // set: a window Top-N, emitting each window's top once when it fires
  bool later_ties_first = false;           // window only: equal sort keys rank the later arrival first (YAML `ties: last_arrival`)
  SourceLocation order_by_location;
  bool operator==(const TopN& o) const {
    return partition_by == o.partition_by && order_by == o.order_by && processing_time == o.processing_time &&
           rank_start == o.rank_start && rank_end == o.rank_end && rank_column == o.rank_column && window == o.window &&
           later_ties_first == o.later_ties_first;
  }
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
