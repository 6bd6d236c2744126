#include "operators/window_assign.hpp"

#include <stdexcept>

#include "operators/window_aggregate.hpp"

namespace ananas::ops {

WindowAssignOperator::WindowAssignOperator(WindowAssignConfig config) : config_(std::move(config)) {
  validate_window_spec(config_.window);
  // A row's session is only known once later rows stop merging into it.
  if (config_.window.kind == WindowKind::Session)
    throw std::invalid_argument("a SESSION window is only supported in a window aggregation");
  if (config_.time_column >= config_.input.size())
    throw std::invalid_argument("window time column index " + std::to_string(config_.time_column) + " out of range");
  const Column& tc = config_.input[config_.time_column];
  if (!tc.type.is_timestamp())
    throw std::invalid_argument("The window function requires the timecol is a time attribute type, but is " +
                                tc.type.to_string() + " (column '" + tc.name + "').");
  output_ = config_.input;
  output_.columns[config_.time_column].type = tc.type.with_time_attr(TimeAttr::None);
  for (auto& c : window_columns(tc.type)) output_.columns.push_back(std::move(c));
}

void WindowAssignOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  const size_t width = input->num_columns();
  auto result = std::make_shared<Batch>(output_.size(), input->num_rows());
  result->retain(input);
  result->set_origin(input->origin());
  std::vector<WindowBounds> windows;
  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    const Value& t = row[config_.time_column];
    if (t.is_null()) {
      report_row_error(config_.on_row_error, *input, r,
                       "RowTime field should not be null, please convert it to a non-null long value.");
      continue;
    }
    if (t.as_int() < -kMaxWindowTimestamp || t.as_int() > kMaxWindowTimestamp) {
      report_row_error(config_.on_row_error, *input, r, "rowtime " + std::to_string(t.as_int()) + " ms is out of range");
      continue;
    }
    windows.clear();
    assign_windows(config_.window, t.as_int(), windows);
    for (const auto& w : windows) {
      Value* dst = result->append_row(input->kind(r));
      result->trace_from(*input, r);
      for (size_t c = 0; c < width; ++c) dst[c] = row[c];
      dst[width] = Value::integer(w.start);
      dst[width + 1] = Value::integer(w.end);
      dst[width + 2] = Value::integer(w.end - 1);
    }
  }
  if (result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

}  // namespace ananas::ops
