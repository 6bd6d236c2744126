#include "operators/operator.hpp"

namespace ananas::ops {
namespace {

std::string hex(uint64_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[static_cast<size_t>(i)] = digits[v & 0xf];
  return s;
}

}  // namespace

StateLayout Operator::state_layout() const {
  StateLayout l;
  l.kind = std::string(kind());
  l.version = state_version();
  l.fingerprint = layout_fingerprint(l.kind + '\n' + std::to_string(l.version) + '\n' + state_description());
  l.key_groups = key_groups_;
  return l;
}

OperatorSnapshot Operator::snapshot_state() const {
  OperatorSnapshot s;
  s.layout = state_layout();
  StateWriter shared;
  save_shared(shared);
  s.shared = shared.take();
  KeyedStateWriter keyed;
  save_keyed(keyed);
  keyed.take(s);
  return s;
}

void Operator::restore_state(const RestoreInput& in) {
  const StateLayout mine = state_layout();
  const StateLayout& theirs = in.layout;
  const std::string who = "cannot restore " + mine.kind + ": ";
  if (theirs.kind != mine.kind) throw CorruptState(who + "the snapshot is of a " + theirs.kind + " operator");
  if (theirs.version != mine.version)
    throw CorruptState(who + "snapshot state version " + std::to_string(theirs.version) + ", this build reads version " +
                       std::to_string(mine.version));
  if (theirs.fingerprint != mine.fingerprint)
    throw CorruptState(who + "the snapshot's layout fingerprint " + hex(theirs.fingerprint) + " differs from " +
                       hex(mine.fingerprint) + " (the operator's configuration or input schema changed)");
  if (theirs.key_groups != mine.key_groups)
    throw CorruptState(who + "the snapshot has " + std::to_string(theirs.key_groups) + " key groups, the operator " +
                       std::to_string(mine.key_groups) + " (the maximum parallelism changed)");
  clear_state();
  for (size_t old = 0; old < in.shared.size(); ++old) {
    StateReader r(in.shared[old]);
    restore_shared(r, in.inherits_counters_of(old));
    if (!r.at_end()) throw CorruptState(who + "unread bytes after the operator-wide state");
  }
  for (const auto& [group, entries] : in.keyed) {
    if (group >= mine.key_groups) throw CorruptState(who + "key group " + std::to_string(group) + " out of range");
    StateReader r(entries);
    restore_key_group(group, r);
    if (!r.at_end()) throw CorruptState(who + "unread bytes in key group " + std::to_string(group));
  }
}

}  // namespace ananas::ops
