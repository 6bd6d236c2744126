#pragma once
// The model of a match_recognize operator; its definition is match_recognize_kind.cpp.
#include <optional>
#include <string>
#include <vector>

#include "pipelines/model_values.hpp"

namespace ananas::pipeline {

struct OrderKey {
  std::string column;
  bool descending = false;
  SourceLocation location;
  bool operator==(const OrderKey& o) const { return column == o.column && descending == o.descending; }
};

enum class AfterMatchSkip { PastLastRow, ToNextRow, ToFirst, ToLast };

struct AfterMatch {
  AfterMatchSkip skip = AfterMatchSkip::PastLastRow;
  std::optional<std::string> variable;  // TO FIRST / TO LAST only
  bool operator==(const AfterMatch&) const = default;
};

struct Subset {
  std::string name;
  std::vector<std::string> variables;
  SourceLocation location;
  bool operator==(const Subset& o) const { return name == o.name && variables == o.variables; }
};

struct MatchRecognize {
  std::vector<std::string> partition_by;
  std::vector<OrderKey> order_by;
  std::vector<NamedExpr> measures;
  std::string rows_per_match = "one";  // Flink streaming supports ONE ROW PER MATCH only
  AfterMatch after_match;
  Expr pattern;                     // pattern text, e.g. `START_ROW NR_UP+ NR_DOWN{2}`
  std::optional<Duration> within;
  std::vector<NamedExpr> define;    // variable -> condition, in file order
  std::vector<Subset> subset;
  bool operator==(const MatchRecognize&) const = default;
  static const OperatorKind& kind();
};

}  // namespace ananas::pipeline
