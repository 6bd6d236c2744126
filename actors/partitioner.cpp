#include "actors/partitioner.hpp"

#include <memory>

namespace ananas::rt {

size_t partition_of(const Value* row, const std::vector<size_t>& key_columns, size_t instances, uint32_t key_groups) {
  if (instances <= 1) return 0;
  return instance_of_key_group(key_group_of_row(row, key_columns, key_groups), static_cast<uint32_t>(instances),
                               key_groups);
}

std::vector<BatchPtr> partition_batch(const BatchPtr& input, const std::vector<size_t>& key_columns,
                                      size_t instances, uint32_t key_groups) {
  if (instances <= 1) return {input};
  std::vector<std::shared_ptr<Batch>> parts(instances);
  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    auto& part = parts[partition_of(row, key_columns, instances, key_groups)];
    if (!part) {
      part = std::make_shared<Batch>(input->num_columns());
      part->retain(input);
      part->set_origin(input->origin());
    }
    part->append_row(row, input->kind(r));
    part->trace_from(*input, r);
  }
  return {parts.begin(), parts.end()};
}

}  // namespace ananas::rt
