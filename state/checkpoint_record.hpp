#pragma once
// The record that makes a checkpoint durable: written to the pipeline's
// checkpoints topic (state/state_topics.hpp) after every sink has flushed and
// every changelog record of the checkpoint is acknowledged. It names where
// each source resumes and which offsets of each changelog partition hold the
// checkpoint's state, plus what that state means (each operator's layout), so
// that a changed pipeline is refused instead of restored into wrong results.
// Stored as JSON, readable with kcat.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "operators/operator_snapshot.hpp"

namespace ananas::state {

inline constexpr int kCheckpointRecordFormat = 1;

// The offsets of one changelog partition that hold a checkpoint's state:
// records in [start, end) are applied in order; records at or after `end`
// came from a checkpoint that never completed and are not.
struct PartitionRange {
  int64_t start = 0;
  int64_t end = 0;
};

struct OperatorRecord {
  ops::StateLayout layout;
  uint32_t parallelism = 1;
  std::string changelog;                        // topic
  std::map<int32_t, PartitionRange> partitions;  // every partition of the topic
};

// One shard of a pipeline whose keyed part runs once per exchange partition
// (actors/drivers/exchange_split.hpp): shard `index` of `count` holds the
// key groups that exchange partition carries, keeps them in partition
// `index` of each changelog topic and completes its checkpoints on its own,
// under its own key in the checkpoints topic, so that the shards can run on
// different workers and move between them one by one.
struct StateShard {
  uint32_t index = 0;
  uint32_t count = 1;
  bool operator==(const StateShard&) const = default;
};

// The key of a pipeline's (or one shard's) records in the checkpoints topic:
// the pipeline's name, or "<pipeline>#<shard>".
std::string checkpoint_record_key(const std::string& pipeline, const std::optional<StateShard>& shard);
// The shard a key of the checkpoints topic belongs to, when it is one of
// `pipeline`'s shard keys.
std::optional<uint32_t> shard_of_record_key(std::string_view key, const std::string& pipeline);

struct CheckpointRecord {
  std::string pipeline;
  std::optional<StateShard> shard;  // none: the whole pipeline
  uint64_t id = 0;
  int64_t completed_at_ms = 0;                     // wall clock
  std::map<std::string, std::string> positions;    // source node -> position (opaque to storage)
  std::map<std::string, OperatorRecord> operators;  // stateful operator node -> its changelog
  uint64_t state_bytes = 0;                         // the whole state's encoded size
  uint64_t written_bytes = 0;                       // changelog bytes this checkpoint wrote
};

std::string encode_checkpoint_record(const CheckpointRecord& r);
// Throws StateError naming `where` (topic and offset) on anything malformed.
CheckpointRecord decode_checkpoint_record(std::string_view json, const std::string& where);

}  // namespace ananas::state
