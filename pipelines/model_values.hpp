#pragma once
// The values the pipeline model is made of (pipelines/model.hpp): SQL text,
// durations and named expressions, each with the place it was written. They
// are apart from model.hpp so that each operator kind's model
// (pipelines/operator_kinds/<kind>/) can use them without the whole model.
#include <cstdint>
#include <string>

#include "core/diagnostic.hpp"

namespace ananas::pipeline {

// A SQL expression as written. `location` is its first character in the file.
struct Expr {
  std::string text;
  SourceLocation location;
  bool operator==(const Expr& o) const { return text == o.text; }
};

// A duration as written (`5s`, `1min`, `500 ms`) and its value.
struct Duration {
  std::string text;
  int64_t millis = 0;
  SourceLocation location;
  bool operator==(const Duration& o) const { return text == o.text && millis == o.millis; }
};

// `name: expr`, used for select items, MEASURES and DEFINE.
struct NamedExpr {
  std::string name;
  Expr expr;
  SourceLocation location;
  bool operator==(const NamedExpr& o) const { return name == o.name && expr == o.expr; }
};

// The definition of one operator kind (pipelines/operator_kinds/operator_kind.hpp);
// every kind's model names its definition with `static const OperatorKind& kind()`.
class OperatorKind;

}  // namespace ananas::pipeline
