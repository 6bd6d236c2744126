#include "state/changelog_diff.hpp"

#include <functional>

#include "state/state_error.hpp"

namespace ananas::state {
namespace {

void put_u32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

uint32_t get_u32(std::string_view in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[static_cast<size_t>(i)]);
  return v;
}

}  // namespace

std::string shared_record_key(uint32_t instance) {
  std::string key = "S";
  put_u32(key, instance);
  return key;
}

std::string keyed_record_key(uint32_t key_group, std::string_view state_key) {
  std::string key = "K";
  key.reserve(5 + state_key.size());
  put_u32(key, key_group);
  key.append(state_key);
  return key;
}

RecordKey parse_record_key(std::string_view key) {
  if (key.size() < 5 || (key[0] != 'S' && key[0] != 'K') || (key[0] == 'S' && key.size() != 5))
    throw StateError("a changelog record key of " + std::to_string(key.size()) +
                     " bytes that Ananas does not write (another application shares the topic?)");
  RecordKey out;
  out.shared = key[0] == 'S';
  out.number = get_u32(key.substr(1, 4));
  out.state_key = key.substr(5);
  return out;
}

uint64_t ChangelogDiff::hash(std::string_view value) {
  const uint64_t h = std::hash<std::string_view>{}(value);
  return h == kUnknown ? 1 : h;
}

std::vector<Change> ChangelogDiff::changes(const ops::CheckpointStore::StoredOperator& state) {
  std::vector<Change> out;
  const uint64_t epoch = ++epoch_;
  auto visit = [&](std::string key, std::string_view value, uint32_t slot) {
    const uint64_t h = hash(value);
    auto [it, inserted] = baseline_.try_emplace(key);
    it->second.seen = epoch;
    if (!inserted && it->second.hash == h) return;
    if (inserted) it->second.hash = kUnknown;  // known only once acknowledged
    out.push_back({std::move(key), value, slot});
  };
  for (const auto& [instance, bytes] : state.shared) visit(shared_record_key(instance), bytes, instance);
  for (const auto& [group, bytes] : state.keyed.keyed)
    for (const auto& [state_key, entry] : ops::split_entries(state.keyed, group))
      visit(keyed_record_key(group, state_key), entry, group);
  for (const auto& [key, known] : baseline_) {
    if (known.seen == epoch) continue;
    const RecordKey parsed = parse_record_key(key);
    out.push_back({key, std::nullopt, parsed.number});
  }
  return out;
}

void ChangelogDiff::accepted(const std::vector<Change>& changes) {
  for (const Change& c : changes) {
    if (!c.value) {
      baseline_.erase(c.key);
      continue;
    }
    Known& k = baseline_[c.key];
    k.hash = hash(*c.value);
    k.seen = epoch_;
  }
}

void ChangelogDiff::uncertain(const std::vector<Change>& changes) {
  for (const Change& c : changes) baseline_[c.key].hash = kUnknown;
}

void ChangelogDiff::holds(std::string key, std::string_view value) { baseline_[std::move(key)].hash = hash(value); }

void ChangelogDiff::holds_unknown(std::string key) { baseline_[std::move(key)].hash = kUnknown; }

}  // namespace ananas::state
