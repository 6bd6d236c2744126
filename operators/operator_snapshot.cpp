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
    s.keyed.emplace(group, std::string(r.bytes()));
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

std::map<uint32_t, std::string> KeyedStateWriter::take() {
  std::map<uint32_t, std::string> out;
  for (auto& [group, w] : groups_) out.emplace(group, w.take());
  groups_.clear();
  return out;
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
