#include "operators/checkpoint_store.hpp"

namespace ananas::ops {
namespace {

std::string who(const std::string& id, uint32_t instance, uint32_t parallelism) {
  return "operator '" + id + "' (instance " + std::to_string(instance) + " of " + std::to_string(parallelism) + "): ";
}

}  // namespace

void CheckpointStore::add(const std::string& id, uint32_t instance, uint32_t parallelism, std::string_view encoded) {
  const std::string prefix = who(id, instance, parallelism);
  if (instance >= parallelism) throw CorruptState(prefix + "instance out of range");
  OperatorSnapshot s;
  try {
    s = decode_snapshot(encoded);
  } catch (const CorruptState& e) {
    throw CorruptState(prefix + e.what());
  }
  auto [it, first] = operators_.try_emplace(id);
  StoredOperator& stored = it->second;
  const StateLayout& layout = stored.keyed.layout;
  if (first) {
    stored.keyed.layout = s.layout;
    stored.parallelism = parallelism;
  } else if (stored.parallelism != parallelism) {
    throw CorruptState(prefix + "its siblings reported " + std::to_string(stored.parallelism) + " instances");
  } else if (layout.kind != s.layout.kind || layout.version != s.layout.version ||
             layout.fingerprint != s.layout.fingerprint || layout.key_groups != s.layout.key_groups) {
    throw CorruptState(prefix + "its snapshot's layout differs from its sibling instances'");
  }
  if (!stored.shared.emplace(instance, std::move(s.shared)).second)
    throw CorruptState(prefix + "reported its snapshot twice");
  for (auto& [group, entries] : s.keyed)
    if (!stored.keyed.keyed.emplace(group, std::move(entries)).second)
      throw CorruptState(prefix + "key group " + std::to_string(group) + " is also held by another instance");
  for (auto& [group, index] : s.entries) stored.keyed.entries[group] = std::move(index);
  ++instances_;
}

void CheckpointStore::put(const std::string& id, StoredOperator op) {
  const uint32_t instances = op.parallelism;
  if (!operators_.emplace(id, std::move(op)).second)
    throw CorruptState("operator '" + id + "': its state was read twice");
  instances_ += instances;
}

std::optional<RestoreInput> CheckpointStore::restore_input(const std::string& id, uint32_t instance,
                                                           uint32_t parallelism) const {
  auto it = operators_.find(id);
  if (it == operators_.end()) return std::nullopt;
  const StoredOperator& stored = it->second;
  if (stored.shared.size() != stored.parallelism)
    throw CorruptState(who(id, instance, parallelism) + "the checkpoint holds " + std::to_string(stored.shared.size()) +
                       " of its " + std::to_string(stored.parallelism) + " instance snapshots");
  RestoreInput in;
  in.layout = stored.keyed.layout;
  in.instance = instance;
  in.parallelism = parallelism;
  for (const auto& [old, bytes] : stored.shared) in.shared.push_back(bytes);
  // The groups of key_group_range(instance, ...); asked per group, so that an
  // instance beyond the key-group count (it owns none) is no error.
  for (const auto& [group, entries] : stored.keyed.keyed)
    if (instance_of_key_group(group, parallelism, in.layout.key_groups) == instance) in.keyed.emplace_back(group, entries);
  return in;
}

bool CheckpointStore::restore(const std::string& id, Operator& op, uint32_t instance, uint32_t parallelism) const {
  auto in = restore_input(id, instance, parallelism);
  if (!in) return false;
  try {
    op.restore_state(*in);
  } catch (const CorruptState& e) {
    throw CorruptState(who(id, instance, parallelism) + e.what());
  }
  return true;
}

}  // namespace ananas::ops
