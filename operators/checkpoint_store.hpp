#pragma once
// The operator state of one completed checkpoint, keyed by each operator's
// stable id (its node name) and, for keyed state, by key group; it assembles
// what an instance restores, at the parallelism the pipeline runs now, which
// need not be the one the checkpoint was taken at (Flink's keyed state
// redistribution: each new instance takes the key groups of its range).
// The supervisor assembles one per checkpoint from its instances' snapshots;
// a durable checkpoint (state/) writes it to Kafka and reads it back with put().
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "operators/operator.hpp"
#include "operators/operator_snapshot.hpp"

namespace ananas::ops {

class CheckpointStore {
 public:
  // Records the encoded snapshot (operators/operator_snapshot.hpp) of
  // `instance` of `parallelism` instances of operator `id`. Throws
  // CorruptState (naming the operator) on malformed bytes, a snapshot whose
  // layout differs from its sibling instances', a parallelism that differs
  // from theirs, or a key group two instances both claim.
  void add(const std::string& id, uint32_t instance, uint32_t parallelism, std::string_view encoded);

  // The state of one operator at a checkpoint, merged over its instances.
  struct StoredOperator {
    uint32_t parallelism = 0;                // at the checkpoint
    std::map<uint32_t, std::string> shared;  // old instance -> operator-wide state
    OperatorSnapshot keyed;                  // layout, key group -> entries and their index (shared unused)
  };

  // Records a whole operator read back from durable storage; it counts as all
  // of its instances. Throws CorruptState when `id` is already held.
  void put(const std::string& id, StoredOperator op);
  const std::map<std::string, StoredOperator>& operators() const { return operators_; }

  // Instance snapshots recorded (a checkpoint is complete when every instance has reported).
  size_t size() const { return instances_; }
  bool contains(const std::string& id) const { return operators_.count(id) != 0; }

  // What `instance` of `parallelism` restores: every old instance's shared
  // state and the key groups in its range. Nothing when the checkpoint holds
  // no state of `id`; throws CorruptState when some old instance is missing.
  // The views point into this store.
  std::optional<RestoreInput> restore_input(const std::string& id, uint32_t instance, uint32_t parallelism) const;

  // Restores `op` from restore_input(); false when there is nothing to restore.
  // Errors name the operator and the instance.
  bool restore(const std::string& id, Operator& op, uint32_t instance, uint32_t parallelism) const;

 private:
  std::map<std::string, StoredOperator> operators_;
  size_t instances_ = 0;
};

}  // namespace ananas::ops
