#pragma once
// Which changelog records one operator's checkpoint must write: the entries
// that changed since the last durable checkpoint and a tombstone for each
// entry that is gone, never the whole state (Kafka Streams' changelog model).
// Pure: no Kafka. It remembers a 64-bit hash per entry the changelog holds.
//
// A changelog record's key names the entry it holds:
//   'S' u32 big-endian instance                 operator-wide state of one instance
//   'K' u32 big-endian key group, state key     one keyed entry
// and its value is the entry's bytes (a tombstone when the entry is gone).
// Keyed records go to partition key group % partitions, so each key group's
// history is in one partition, in order.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "operators/checkpoint_store.hpp"

namespace ananas::state {

std::string shared_record_key(uint32_t instance);
std::string keyed_record_key(uint32_t key_group, std::string_view state_key);

struct RecordKey {
  bool shared = false;
  uint32_t number = 0;         // the instance (shared) or the key group (keyed)
  std::string_view state_key;  // keyed only
};
// Throws StateError on a key this format does not produce.
RecordKey parse_record_key(std::string_view key);

struct Change {
  std::string key;                        // the record key
  std::optional<std::string_view> value;  // nullopt: a tombstone
  uint32_t slot = 0;                      // key group or instance: picks the partition
};

class ChangelogDiff {
 public:
  // The records that bring the changelog from the baseline to `state`. The
  // views point into `state`.
  std::vector<Change> changes(const ops::CheckpointStore::StoredOperator& state);
  // The records were acknowledged: they are the new baseline.
  void accepted(const std::vector<Change>& changes);
  // Their delivery is unknown: each of these keys is written again at the
  // next checkpoint, whatever it holds then.
  void uncertain(const std::vector<Change>& changes);

  // Restore: the changelog holds `value` under `key` (or, for an uncertain
  // record, something that must be overwritten).
  void holds(std::string key, std::string_view value);
  void holds_unknown(std::string key);

  size_t size() const { return baseline_.size(); }

 private:
  static constexpr uint64_t kUnknown = 0;
  static uint64_t hash(std::string_view value);
  struct Known {
    uint64_t hash = kUnknown;
    uint64_t seen = 0;  // the changes() call that last saw the entry
  };
  std::unordered_map<std::string, Known> baseline_;
  uint64_t epoch_ = 0;
};

}  // namespace ananas::state
