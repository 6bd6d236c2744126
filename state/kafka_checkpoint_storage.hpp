#pragma once
// Durable checkpoints in Kafka, as Kafka Streams keeps its state: no volume,
// no object store. Per pipeline:
//  - each stateful operator's changelog topic (state/state_topics.hpp),
//    compacted, partitioned by key group, gets the entries that changed since
//    the previous checkpoint and tombstones for those that are gone
//    (state/changelog_diff.hpp);
//  - once they are acknowledged, one record in the pipeline's checkpoints
//    topic makes the checkpoint complete (state/checkpoint_record.hpp): the
//    sources' positions and, per changelog partition, the offsets that hold
//    the checkpoint's state.
// load() reads the latest record back and rebuilds the operators' state from
// the changelogs; it fails loudly (StateError) when a changelog no longer
// holds what the record needs (retention deleted it, or the topic's
// partition count changed) instead of restoring wrong state.
//
// Blocking (broker round trips): the runtime calls it from a detached actor.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "connectors/connector.hpp"
#include "operators/checkpoint_store.hpp"
#include "state/changelog_diff.hpp"
#include "state/checkpoint_record.hpp"

namespace RdKafka {
class Producer;
class KafkaConsumer;
}  // namespace RdKafka

namespace ananas::state {

struct StorageOptions {
  std::string pipeline;
  // Kafka client settings as a table's WITH clause holds them: at least
  // properties.bootstrap.servers; any other properties.* (TLS, SASL) too.
  connectors::Options kafka;
  int changelog_partitions = 8;  // for topics this worker creates
  std::chrono::milliseconds timeout{10000};  // per broker call
  std::function<void(const std::string&)> note;  // warnings for the log
  // Exactly-once: write through the pipeline's transaction, and commit it
  // with the checkpoint record (connectors/kafka/kafka_transaction.hpp).
  std::shared_ptr<connectors::kafka::KafkaTransaction> transaction;
  // One shard of the pipeline's keyed part (state/checkpoint_record.hpp):
  // its checkpoints have their own key, its changelog records go to
  // partition `index` of changelog topics of `count` partitions, and a
  // restore reads that partition only.
  std::optional<StateShard> shard;
};

struct PersistStats {
  uint64_t records = 0;        // changelog records written (entries and tombstones)
  uint64_t written_bytes = 0;  // their keys and values
  uint64_t state_bytes = 0;    // the whole state, encoded
};

struct Restored {
  CheckpointRecord record;
  ops::CheckpointStore state;
};

class KafkaCheckpointStorage {
 public:
  explicit KafkaCheckpointStorage(StorageOptions options);
  ~KafkaCheckpointStorage();
  KafkaCheckpointStorage(const KafkaCheckpointStorage&) = delete;
  KafkaCheckpointStorage& operator=(const KafkaCheckpointStorage&) = delete;

  // The latest completed checkpoint's record, without reading any changelog.
  std::optional<CheckpointRecord> latest();
  // The latest completed checkpoint of each shard of the pipeline (none for
  // a pipeline that never ran as shards), for `ananas reset`.
  std::map<uint32_t, CheckpointRecord> latest_shards();
  // The latest completed checkpoint with its state; nothing when the
  // pipeline has none (never checkpointed, or reset).
  // Exactly-once: aborts what an earlier instance left open (init_transactions
  // fences it) before reading, so that nothing in flight hides the last commit.
  std::optional<Restored> load();
  // Writes checkpoint `id` durably; throws StateError when any record was not
  // acknowledged (the checkpoint did not complete; the next one writes again
  // what this one could not). Exactly-once: the changelog records, the
  // checkpoint record and everything the sinks wrote since the last
  // checkpoint are committed in one transaction, and the next one begins.
  PersistStats persist(uint64_t id, const std::map<std::string, std::string>& positions,
                       const ops::CheckpointStore& state);
  // Discards the pipeline's checkpoint (a tombstone in the checkpoints
  // topic): its next start begins from the sources' startup modes. Without
  // a shard in the options, every shard's checkpoint goes too.
  void discard();

  const std::string& checkpoints_topic() const { return checkpoints_topic_; }

 private:
  struct OperatorLog {
    OperatorRecord record;
    ChangelogDiff diff;
  };
  RdKafka::Producer& producer();
  RdKafka::KafkaConsumer& consumer();
  // Creates the compacted topics (name, partitions) that do not exist yet.
  void ensure_topics(const std::vector<std::pair<std::string, int>>& topics);
  int partition_count(const std::string& topic, bool create);
  std::pair<int64_t, int64_t> watermarks(const std::string& topic, int32_t partition);
  // Calls `apply(offset, key, value)` for records [from, to) of one partition
  // (value nullopt for a tombstone).
  void read_partition(const std::string& topic, int32_t partition, int64_t from, int64_t to,
                      const std::function<void(int64_t, std::string_view, std::optional<std::string_view>)>& apply);
  OperatorLog& log_of(const std::string& node, const ops::CheckpointStore::StoredOperator& state);
  void restore_operator(const std::string& node, const OperatorRecord& rec, ops::CheckpointStore& into);
  // Calls `apply(key, value)` with the latest value of each key of the
  // checkpoints topic (nullopt: discarded); nothing when it does not exist.
  void read_checkpoints(const std::function<void(const std::string&, int64_t, const std::optional<std::string>&)>& apply);
  CheckpointRecord decode_record(const std::string& value, int64_t offset) const;
  void produce_and_flush(const std::string& topic, int32_t partition, std::string_view key,
                         std::optional<std::string_view> value);

  StorageOptions options_;
  std::string checkpoints_topic_;
  std::string record_key_;  // of this pipeline's (or shard's) records in it
  std::unique_ptr<RdKafka::Producer> producer_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  struct Delivery;
  std::unique_ptr<Delivery> delivery_;
  std::map<std::string, OperatorLog> logs_;  // by operator node
  bool checkpoints_topic_ready_ = false;
};

}  // namespace ananas::state
