#include "operators/calc.hpp"

#include <stdexcept>

#include "core/processing_clock.hpp"

namespace ananas::ops {

CalcOperator::CalcOperator(CalcConfig config) : config_(std::move(config)) {
  if (config_.filter) {
    TypeId t = config_.filter->type().id;
    if (t != TypeId::Boolean && t != TypeId::Null)
      throw std::invalid_argument("filter condition must be BOOLEAN, got " + config_.filter->type().to_string());
  }
  if (config_.projection) {
    for (const auto& item : *config_.projection)
      if (!item.expr) throw std::invalid_argument("projection item '" + item.name + "' has no expression");
    output_.columns = columns_of(*config_.projection);
  } else {
    output_ = config_.input;
  }
}

void CalcOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  auto result = std::make_shared<Batch>(output_.size(), input->num_rows());
  result->retain(input);
  result->set_origin(input->origin());
  expr::EvalContext ctx;
  ctx.arena = &result->arena();
  // Flink evaluates the time functions per record at processing time: here
  // the time the source read the batch, else the configured or process clock.
  ctx.proctime_millis = input->processing_time_ms() ? input->processing_time_ms()
                        : config_.proctime          ? config_.proctime()
                                                    : processing_time_now_ms();
  std::vector<Value> projected(output_.size());

  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    try {
      if (config_.filter && !expr::is_true(config_.filter->eval(row, ctx))) continue;
      if (!config_.projection) {
        result->append_row(row, input->kind(r));
        result->trace_from(*input, r);
        continue;
      }
      // Evaluate every item before appending, so a failing item leaves no partial row.
      const auto& items = *config_.projection;
      for (size_t c = 0; c < items.size(); ++c) projected[c] = items[c].expr->eval(row, ctx);
      result->append_row(projected.data(), input->kind(r));
      result->trace_from(*input, r);
    } catch (const expr::EvalError& e) {
      report_row_error(config_.on_row_error, *input, r, e.what());
    }
  }
  if (result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

}  // namespace ananas::ops
