#pragma once
// An aggregate call of group_aggregate and window_aggregate.
#include <optional>
#include <string>
#include <vector>

#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

struct Aggregate {
  std::string name;
  std::string function;     // COUNT, SUM, MIN, MAX, AVG, LISTAGG, ... (as written)
  std::vector<Expr> args;   // empty for COUNT(*)
  bool distinct = false;
  std::optional<Expr> filter;
  SourceLocation location;
  bool operator==(const Aggregate& o) const {
    return name == o.name && function == o.function && args == o.args && distinct == o.distinct &&
           filter == o.filter;
  }
};

}  // namespace ananas::pipeline
