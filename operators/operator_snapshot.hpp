#pragma once
// The snapshot of one operator instance, and what a (possibly rescaled)
// instance restores from. State has two parts:
//  - shared: operator-wide values that are not per key (the watermark, drop
//    counters). Every new instance is given the shared state of every old one;
//  - keyed: the entries of each key group (core/key_group.hpp), written
//    separately, so that a new instance restores exactly the groups it owns
//    whatever the old parallelism was (Flink's keyed state by key-group range).
// A snapshot names the operator kind, its state format version and a layout
// fingerprint (a hash of the configuration and schema that shape the bytes);
// restoring into an operator whose kind, version, fingerprint or key-group
// count differ throws CorruptState saying what differs, never misreads.
//
// Encoded snapshot (StateWriter primitives: u64 little-endian, bytes = u64 length + data):
//   bytes "ananas.snapshot"   magic
//   u64   container version   (kSnapshotContainerVersion)
//   bytes kind                e.g. "group_aggregate"
//   u64   state version       the operator's format version
//   u64   layout fingerprint
//   u64   key groups          the operator's max parallelism
//   bytes shared              operator-wide state
//   u64   n                   key groups with entries, ascending, then n times:
//     u64   key group
//     bytes entries           the operator's entries of that group, back to back
//     u64   m                 the entries' index, then m times:
//       bytes key             the entry's state key (unique in the operator)
//       u64   length          its bytes in `entries`, in order
// The index lets a durable checkpoint write only the entries that changed
// since the last one (state/changelog_diff.hpp), one changelog record each.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/row_codec.hpp"

namespace ananas::ops {

inline constexpr uint64_t kSnapshotContainerVersion = 2;

// Identifies what the bytes of a snapshot mean.
struct StateLayout {
  std::string kind;
  uint32_t version = 1;
  uint64_t fingerprint = 0;
  uint32_t key_groups = 0;
};

// One entry of a key group: its state key and the length of its bytes.
struct EntryRef {
  std::string key;
  uint64_t length = 0;
};

struct OperatorSnapshot {
  StateLayout layout;
  std::string shared;
  std::map<uint32_t, std::string> keyed;               // key group -> entries, back to back
  std::map<uint32_t, std::vector<EntryRef>> entries;   // key group -> its entries' index
};

// The (state key, bytes) of each entry of `group`. Throws CorruptState when the
// index does not cover the group's bytes exactly.
std::vector<std::pair<std::string_view, std::string_view>> split_entries(const OperatorSnapshot& s, uint32_t group);

std::string encode_snapshot(const OperatorSnapshot& s);
// Throws CorruptState on malformed or truncated bytes.
OperatorSnapshot decode_snapshot(std::string_view bytes);

// What one instance restores: the shared state of every old instance (in old
// instance order) and the entries of the key groups it owns. The views point
// into the checkpoint that assembled it.
struct RestoreInput {
  StateLayout layout;
  uint32_t instance = 0;     // the restoring instance...
  uint32_t parallelism = 1;  // ...of this many
  std::vector<std::string_view> shared;
  std::vector<std::pair<uint32_t, std::string_view>> keyed;
  // Old instance `old` hands its additive counters to exactly one new instance,
  // so that summing a metric over instances stays right after rescaling.
  bool inherits_counters_of(size_t old) const { return old % parallelism == instance; }
};

// The restore input of a single, unscaled snapshot (same instance, same parallelism).
RestoreInput restore_input_of(const OperatorSnapshot& s);

// Per-key-group writers for an operator's keyed entries. Each entry starts
// with entry(): its state key (unique in the operator: the group key, the
// window, the partition key) becomes its identity in a changelog.
class KeyedStateWriter {
 public:
  StateWriter& entry(uint32_t key_group, std::string_view state_key);
  // Moves the groups and their entry index into `s`.
  void take(OperatorSnapshot& s);

 private:
  struct Group {
    StateWriter writer;
    std::vector<std::pair<std::string, size_t>> starts;  // key, offset of its first byte
  };
  std::map<uint32_t, Group> groups_;
};

// A stable 64-bit fingerprint of a layout description (FNV-1a).
uint64_t layout_fingerprint(std::string_view description);

}  // namespace ananas::ops
