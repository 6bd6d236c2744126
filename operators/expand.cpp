#include "operators/expand.hpp"

#include <algorithm>
#include <stdexcept>

namespace ananas::ops {

int64_t expand_id(const std::vector<size_t>& grouping_columns, const std::vector<size_t>& kept) {
  int64_t id = 0;
  for (size_t column : grouping_columns) {
    id <<= 1;
    if (std::find(kept.begin(), kept.end(), column) == kept.end()) id |= 1;
  }
  return id;
}

ExpandOperator::ExpandOperator(ExpandConfig config) : config_(std::move(config)) {
  const size_t width = config_.input.size();
  if (config_.sets.empty()) throw std::invalid_argument("expand needs at least one grouping set");
  if (config_.grouping_columns.size() > 63) throw std::invalid_argument("expand takes at most 63 grouping columns");
  for (size_t c : config_.grouping_columns)
    if (c >= width) throw std::invalid_argument("grouping column index " + std::to_string(c) + " out of range");
  output_ = config_.input;
  for (size_t c : config_.grouping_columns) output_.columns[c].type = output_.columns[c].type.with_nullable(true);
  output_.columns.push_back({config_.id_column, Type::bigint().with_nullable(false)});
  for (const auto& set : config_.sets) {
    std::vector<size_t> nulled;
    for (size_t c : set)
      if (std::find(config_.grouping_columns.begin(), config_.grouping_columns.end(), c) == config_.grouping_columns.end())
        throw std::invalid_argument("grouping set column index " + std::to_string(c) + " is not a grouping column");
    for (size_t c : config_.grouping_columns)
      if (std::find(set.begin(), set.end(), c) == set.end()) nulled.push_back(c);
    nulled_.push_back(std::move(nulled));
    ids_.push_back(expand_id(config_.grouping_columns, set));
  }
}

void ExpandOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  const size_t in_width = input->num_columns();
  auto result = std::make_shared<Batch>(output_.size(), input->num_rows() * config_.sets.size());
  result->retain(input);
  result->set_origin(input->origin());
  scratch_row_.assign(output_.size(), Value{});
  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    for (size_t s = 0; s < config_.sets.size(); ++s) {
      std::copy(row, row + in_width, scratch_row_.begin());
      for (size_t c : nulled_[s]) scratch_row_[c] = Value{};
      scratch_row_[in_width] = Value::integer(ids_[s]);
      result->append_row(scratch_row_.data(), input->kind(r));
      result->trace_from(*input, r);
    }
  }
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

}  // namespace ananas::ops
