#pragma once
// Hash partitioning of rows over the instances of a parallel node: the key
// columns are encoded with the row codec (equal SQL values give equal bytes)
// and hashed, so one key always reaches the same instance.
#include <cstddef>
#include <vector>

#include "core/batch.hpp"

namespace ananas::rt {

// The instance (0..instances-1) a row belongs to.
size_t partition_of(const Value* row, const std::vector<size_t>& key_columns, size_t instances);

// Splits `input` into one batch per instance (null where no row goes). With a
// single instance the input itself is returned: no copy. The parts retain the
// input, so their cells keep pointing into its memory.
std::vector<BatchPtr> partition_batch(const BatchPtr& input, const std::vector<size_t>& key_columns,
                                      size_t instances);

}  // namespace ananas::rt
