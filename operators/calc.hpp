#pragma once
// Calc: an optional filter (WHERE / HAVING) and an optional projection, row by
// row. RowKind passes through unchanged, so HAVING on a changelog filters each
// change independently (Flink: FlinkChangelogModeInferenceProgram). Output batches retain the input batch:
// passed-through and projected column values keep pointing at its bytes, and
// each output row keeps its input row's source record (Batch::origin).
#include <functional>
#include <optional>
#include <vector>

#include "operators/named_expr.hpp"
#include "operators/operator.hpp"
#include "operators/row_error.hpp"

namespace ananas::ops {

struct CalcConfig {
  Schema input;
  expr::CompiledExprPtr filter;                      // keep rows where it is TRUE (not FALSE, not NULL); null = keep all
  std::optional<std::vector<NamedExpr>> projection;  // nullopt = all input columns unchanged
  RowErrorHandler on_row_error;                      // unset: a failing row throws RowFailure
  std::function<int64_t()> proctime;                 // for batches without a processing time; unset = processing_time_now_ms()
};

class CalcOperator final : public Operator {
 public:
  // Throws std::invalid_argument if the filter is not BOOLEAN.
  explicit CalcOperator(CalcConfig config);
  std::string_view kind() const override { return "calc"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override { return stats_; }

 private:
  CalcConfig config_;
  Schema output_;
  OperatorStats stats_;
};

}  // namespace ananas::ops
