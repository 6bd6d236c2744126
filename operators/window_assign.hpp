#pragma once
// A window TVF without aggregation (`SELECT * FROM TABLE(TUMBLE(...))`):
// every input row gets window_start, window_end and window_time appended, once
// per window it belongs to (HOP and CUMULATE duplicate the row, in ascending
// window_end). The descriptor column stops being a time attribute; window_time
// becomes it. Stateless and zero-copy (outputs retain the input batch; each
// output row keeps its input row's source record, Batch::origin). Like
// Flink's WindowTableFunctionOperator it drops no late rows: lateness is
// decided where windows are aggregated.
#include "operators/operator.hpp"
#include "operators/row_error.hpp"
#include "operators/window_spec.hpp"

namespace ananas::ops {

struct WindowAssignConfig {
  Schema input;
  size_t time_column = 0;
  WindowSpec window;
  RowErrorHandler on_row_error;  // NULL rowtime; unset: throws RowFailure
};

class WindowAssignOperator final : public Operator {
 public:
  // Throws std::invalid_argument for an invalid window or a non-timestamp time column.
  explicit WindowAssignOperator(WindowAssignConfig config);
  std::string_view kind() const override { return "window_assign"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override { return stats_; }

 private:
  WindowAssignConfig config_;
  Schema output_;
  OperatorStats stats_;
};

}  // namespace ananas::ops
