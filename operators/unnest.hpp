#pragma once
// CROSS JOIN UNNEST(array) [WITH ORDINALITY] (Flink docs, Table API & SQL > Queries > Joins > Array Expansion; Flink: UnnestRowsFunction): one output row per
// element, in element order; the input row's columns come first, then the
// element's columns (a ROW element's fields, or one column for a scalar, or
// key and value for a MAP), then the 1-based ordinal if requested. A NULL or
// empty collection produces nothing (inner lateral join) unless `left_outer`; a NULL ROW element
// produces all-NULL fields; duplicates are kept; RowKind is preserved.
// Zero-copy: output rows point at the input batch's strings. Each output row
// keeps its input row's source record (Batch::origin), for dead letters.
#include <string>
#include <vector>

#include "operators/operator.hpp"
#include "operators/row_error.hpp"
#include "core/expr/compiled_expr.hpp"

namespace ananas::ops {

struct UnnestConfig {
  Schema input;
  expr::CompiledExprPtr collection;        // the UNNEST argument (ARRAY or MAP), usually an input column
  std::vector<std::string> element_names;  // the alias column list `AS c(topping)`; empty = defaults
  bool with_ordinality = false;
  RowErrorHandler on_row_error;            // unset: a failing row throws RowFailure
  // LEFT JOIN UNNEST(...) ON TRUE (Flink: a LEFT correlate): an input row whose
  // collection is NULL or empty is kept once, its element columns (and the
  // ordinality) NULL; every element column is then nullable.
  bool left_outer = false;
};

class UnnestOperator final : public Operator {
 public:
  // Default names: a ROW's field names, `f0` for a scalar, `f0`/`f1` for a
  // MAP's key/value, `ordinality`. Throws std::invalid_argument if the argument
  // is not an ARRAY or MAP or the alias list has the wrong length.
  explicit UnnestOperator(UnnestConfig config);
  std::string_view kind() const override { return "unnest"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override { return stats_; }

 private:
  enum class Shape { Scalar, Row, Map };
  UnnestConfig config_;
  Shape shape_ = Shape::Scalar;
  size_t element_width_ = 1;
  Schema output_;
  size_t expected_output_rows(size_t input_rows) const;

  OperatorStats stats_;
  std::vector<Value> scratch_row_;  // the output row being assembled
};

}  // namespace ananas::ops
