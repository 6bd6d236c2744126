#include "actors/partitioner.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/row_codec.hpp"

namespace ananas::rt {

size_t partition_of(const Value* row, const std::vector<size_t>& key_columns, size_t instances) {
  if (instances <= 1) return 0;
  std::string key;
  for (size_t c : key_columns) encode_value(row[c], key);
  return std::hash<std::string_view>{}(key) % instances;
}

std::vector<BatchPtr> partition_batch(const BatchPtr& input, const std::vector<size_t>& key_columns,
                                      size_t instances) {
  if (instances <= 1) return {input};
  std::vector<std::shared_ptr<Batch>> parts(instances);
  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    auto& part = parts[partition_of(row, key_columns, instances)];
    if (!part) {
      part = std::make_shared<Batch>(input->num_columns());
      part->retain(input);
    }
    part->append_row(row, input->kind(r));
  }
  return {parts.begin(), parts.end()};
}

}  // namespace ananas::rt
