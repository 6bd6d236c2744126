#include "operators/replicate.hpp"

#include <stdexcept>

namespace ananas::ops {

ReplicateOperator::ReplicateOperator(ReplicateConfig config) : config_(std::move(config)) {
  if (config_.times_column >= config_.input.size()) throw std::invalid_argument("replicate: count column index out of range");
  if (!config_.input[config_.times_column].type.is_integer())
    throw std::invalid_argument("replicate: the count column is " + config_.input[config_.times_column].type.to_string() +
                                ", not an integer");
  for (size_t c = 0; c < config_.input.size(); ++c)
    if (c != config_.times_column) output_.columns.push_back(config_.input.columns[c]);
}

void ReplicateOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  auto result = std::make_shared<Batch>(output_.size());
  result->retain(input);
  result->set_origin(input->origin());
  scratch_row_.assign(output_.size(), Value{});
  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    const Value& times = row[config_.times_column];
    if (times.is_null()) continue;
    size_t at = 0;
    for (size_t c = 0; c < config_.input.size(); ++c)
      if (c != config_.times_column) scratch_row_[at++] = row[c];
    for (int64_t i = 0; i < times.as_int(); ++i) {
      result->append_row(scratch_row_.data(), input->kind(r));
      result->trace_from(*input, r);
    }
  }
  if (result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

}  // namespace ananas::ops
