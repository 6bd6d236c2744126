#pragma once
// Hash partitioning of rows over the instances of a parallel node: the key
// columns are encoded with the row codec (equal SQL values give equal bytes),
// hashed to a key group (core/key_group.hpp) and sent to the instance that owns
// that group. A key's group never depends on the parallelism, so rescaling
// moves whole key groups, and the state snapshotted per key group
// (operators/operator_snapshot.hpp) follows its rows.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/batch.hpp"
#include "core/key_group.hpp"

namespace ananas::rt {

// The instance (0..instances-1) a row belongs to.
size_t partition_of(const Value* row, const std::vector<size_t>& key_columns, size_t instances,
                    uint32_t key_groups = kDefaultKeyGroups);

// Splits `input` into one batch per instance (null where no row goes). With a
// single instance the input itself is returned: no copy. The parts retain the
// input, so their cells keep pointing into its memory, and keep each row's
// source record (Batch::origin).
std::vector<BatchPtr> partition_batch(const BatchPtr& input, const std::vector<size_t>& key_columns,
                                      size_t instances, uint32_t key_groups = kDefaultKeyGroups);

}  // namespace ananas::rt
