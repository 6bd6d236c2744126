#include "operators/operator_snapshot.hpp"

namespace ananas::ops {
namespace {

constexpr std::string_view kMagic = "ananas.snapshot";

uint32_t u32_field(StateReader& r, const char* what) {
  uint64_t v = r.u64();
  if (v > UINT32_MAX) throw CorruptState("corrupt snapshot: " + std::string(what) + " " + std::to_string(v));
  return static_cast<uint32_t>(v);
}

}  // namespace

std::string encode_snapshot(const OperatorSnapshot& s) {
  StateWriter w;
  w.bytes(kMagic);
  w.u64(kSnapshotContainerVersion);
  w.bytes(s.layout.kind);
  w.u64(s.layout.version);
  w.u64(s.layout.fingerprint);
  w.u64(s.layout.key_groups);
  w.bytes(s.shared);
  w.u64(s.keyed.size());
  for (const auto& [group, entries] : s.keyed) {
    w.u64(group);
    w.bytes(entries);
    auto index = s.entries.find(group);
    if (index == s.entries.end()) {
      w.u64(0);
      continue;
    }
    w.u64(index->second.size());
    for (const EntryRef& e : index->second) {
      w.bytes(e.key);
      w.u64(e.length);
    }
  }
  return w.take();
}

OperatorSnapshot decode_snapshot(std::string_view bytes) {
  StateReader r(bytes);
  if (r.bytes() != kMagic) throw CorruptState("not an operator snapshot (no 'ananas.snapshot' header)");
  if (uint64_t v = r.u64(); v != kSnapshotContainerVersion)
    throw CorruptState("snapshot container version " + std::to_string(v) + ", this build reads " +
                       std::to_string(kSnapshotContainerVersion));
  OperatorSnapshot s;
  s.layout.kind = std::string(r.bytes());
  s.layout.version = u32_field(r, "state version");
  s.layout.fingerprint = r.u64();
  s.layout.key_groups = u32_field(r, "key-group count");
  s.shared = std::string(r.bytes());
  uint64_t n = r.u64();
  uint32_t previous = 0;
  for (uint64_t i = 0; i < n; ++i) {
    uint32_t group = u32_field(r, "key group");
    if (group >= s.layout.key_groups || (i > 0 && group <= previous))
      throw CorruptState("corrupt snapshot: key group " + std::to_string(group) + " out of order or range");
    const std::string& bytes = s.keyed.emplace(group, std::string(r.bytes())).first->second;
    const uint64_t m = r.u64();
    if (m > bytes.size() + 1) throw CorruptState("corrupt snapshot: " + std::to_string(m) + " entries in key group " + std::to_string(group));
    if (m > 0) {
      auto& index = s.entries[group];
      index.reserve(m);
      for (uint64_t j = 0; j < m; ++j) {
        std::string key(r.bytes());
        index.push_back({std::move(key), r.u64()});
      }
      split_entries(s, group);  // checks that the index covers the bytes
    }
    previous = group;
  }
  if (!r.at_end()) throw CorruptState("corrupt snapshot: bytes after the last key group");
  return s;
}

RestoreInput restore_input_of(const OperatorSnapshot& s) {
  RestoreInput in;
  in.layout = s.layout;
  in.shared.push_back(s.shared);
  for (const auto& [group, entries] : s.keyed) in.keyed.emplace_back(group, entries);
  return in;
}

std::vector<std::pair<std::string_view, std::string_view>> split_entries(const OperatorSnapshot& s, uint32_t group) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  auto bytes = s.keyed.find(group);
  if (bytes == s.keyed.end()) return out;
  std::string_view rest = bytes->second;
  auto index = s.entries.find(group);
  if (index == s.entries.end()) {
    out.emplace_back(std::string_view(), rest);
    return out;
  }
  for (const EntryRef& e : index->second) {
    if (e.length > rest.size())
      throw CorruptState("corrupt snapshot: entry index of key group " + std::to_string(group) + " overruns its bytes");
    out.emplace_back(e.key, rest.substr(0, e.length));
    rest.remove_prefix(e.length);
  }
  if (!rest.empty())
    throw CorruptState("corrupt snapshot: entry index of key group " + std::to_string(group) + " leaves bytes uncovered");
  return out;
}

StateWriter& KeyedStateWriter::entry(uint32_t key_group, std::string_view state_key) {
  Group& g = groups_[key_group];
  g.starts.emplace_back(std::string(state_key), g.writer.data().size());
  return g.writer;
}

void KeyedStateWriter::take(OperatorSnapshot& s) {
  for (auto& [group, g] : groups_) {
    std::string bytes = g.writer.take();
    auto& index = s.entries[group];
    index.reserve(g.starts.size());
    for (size_t i = 0; i < g.starts.size(); ++i) {
      const size_t end = i + 1 < g.starts.size() ? g.starts[i + 1].second : bytes.size();
      index.push_back({std::move(g.starts[i].first), end - g.starts[i].second});
    }
    s.keyed.emplace(group, std::move(bytes));
  }
  groups_.clear();
}

uint64_t layout_fingerprint(std::string_view description) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : description) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace ananas::ops
