#pragma once
// Builds operator state the way an operator snapshot holds it, and reads a
// restore input back into a plain map, so that state tests compare contents
// rather than byte order.
#include <map>
#include <string>

#include "core/key_group.hpp"
#include "operators/checkpoint_store.hpp"

namespace ananas::test {

inline constexpr const char* kOperator = "aggregate";

// One instance's snapshot: each (key -> value) an entry of its key's group,
// written as bytes(key) bytes(value); `shared` its operator-wide state.
inline std::string snapshot_of(const std::map<std::string, std::string>& entries, const std::string& shared = "wm") {
  ops::OperatorSnapshot s;
  s.layout = {"test_sum", 1, 0x1234, kDefaultKeyGroups};
  s.shared = shared;
  ops::KeyedStateWriter keyed;
  for (const auto& [key, value] : entries) {
    StateWriter& w = keyed.entry(key_group_of(key, kDefaultKeyGroups), key);
    w.bytes(key);
    w.bytes(value);
  }
  keyed.take(s);
  return ops::encode_snapshot(s);
}

inline ops::CheckpointStore store_of(const std::map<std::string, std::string>& entries,
                                     const std::string& shared = "wm") {
  ops::CheckpointStore store;
  store.add(kOperator, 0, 1, snapshot_of(entries, shared));
  return store;
}

// The entries and shared state instance 0 of 1 would restore.
struct Contents {
  std::map<std::string, std::string> entries;
  std::string shared;
  bool operator==(const Contents&) const = default;
};

inline Contents contents_of(const ops::CheckpointStore& store) {
  Contents out;
  auto in = store.restore_input(kOperator, 0, 1);
  if (!in) return out;
  for (auto s : in->shared) out.shared += std::string(s);
  for (const auto& [group, bytes] : in->keyed) {
    StateReader r(bytes);
    while (!r.at_end()) {
      std::string key(r.bytes());
      out.entries[key] = std::string(r.bytes());
    }
  }
  return out;
}

}  // namespace ananas::test
