#pragma once
// The `kafka` source: a librdkafka KafkaConsumer that assigns every partition
// of its topic(s) that its instance owns (owns_partition) itself (no group join: 0.08 s instead of ~3 s on the mock
// broker) but commits offsets to its group, so a restart with group-offsets
// resumes where the pipeline's last durable point was.
//
// Options: topic ('a;b' allowed), properties.* (passed to librdkafka without
// the prefix), properties.group.id (default ananas-<pipeline>-<table>),
// scan.startup.mode and its companions (see startup_mode.hpp).
// Defaults: enable.auto.commit=false, fetch.max.bytes=4 MiB (measured here:
// larger fetches cost page faults), auto.offset.reset=earliest;
// fetch.wait.max.ms librdkafka's 500 ms, 5 ms on the development broker.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <mutex>
#include <thread>
#include <condition_variable>
#include <atomic>
#include <optional>

#include "connectors/connector.hpp"
#include "connectors/kafka/startup_mode.hpp"

namespace ananas::connectors::kafka {

class KafkaSource : public SourceConnector {
 public:
  // Connects, discovers partitions and assigns them (or waits for topics that
  // do not exist, see waiting_for); throws OptionError for bad options and
  // ConnectorError when the brokers do not answer.
  // With `start`, the partitions it names begin at its offsets, which are also
  // committed to the group: the restart of a pipeline from a checkpoint.
  KafkaSource(const Options& options, const ConnectorContext& context,
              const std::optional<PartitionOffsets>& start = std::nullopt);
  // The registry's opener: a start position means a restart, which continues
  // and does not start over, whatever the table's startup mode says.
  static std::unique_ptr<SourceConnector> open(const Options& options, const ConnectorContext& context,
                                               const std::optional<PartitionOffsets>& start);
  ~KafkaSource() override;

  RawBatch poll(size_t max_records, std::chrono::milliseconds timeout) override;
  void pause() override;
  void resume() override;
  std::vector<PartitionId> partitions() const override { return partitions_; }
  void commit(const PartitionOffsets& offsets) override;
  // With kDrainedMetadata (drained_marks.hpp): the next reader of these
  // partitions learns that nothing was read past them.
  void commit_drained(const PartitionOffsets& offsets) override;
  std::map<PartitionId, int64_t> lag() const override;
  void close() override;
  // The brokers answered a probe within the last kUnreachableAfter.
  bool reachable() const override;
  // A topic the brokers say does not exist makes the source wait (polls
  // return nothing, the probe thread looks for it every second) instead of
  // failing: restarting would not create it. Reading starts from the startup
  // mode (or the checkpoint) once every topic exists.
  std::string waiting_for() const override;

  const std::string& group_id() const { return group_id_; }
  StartupMode startup_mode() const { return startup_.mode; }

 private:
  void create_consumer(const Options& options, const std::map<std::string, std::string>& defaults,
                       const std::string& table);
  void destroy_consumer();
  // Returns once the brokers answered a metadata request (ConnectorError after kRequestTimeoutMs).
  void await_brokers();
  // The brokers are librdkafka's mock cluster (`ananas broker`).
  bool on_development_broker();
  // Fills partitions_ when every topic exists and returns the names the
  // brokers say do not exist; throws when they do not answer within `patience`.
  std::vector<std::string> missing_topics(const std::vector<std::string>& topics, std::chrono::milliseconds patience);
  void assign_partitions();
  // Split between workers, with ConnectorContext::on_partition_start: tells
  // it whether each partition's last reader drained it, then marks the
  // partitions as being read (kReadingMetadata) before reading any record.
  void mark_partitions_started();
  // This instance's share of `offsets`.
  std::vector<RdKafka::TopicPartition*> owned_list(const PartitionOffsets& offsets) const;
  void wait_for_topics(const std::vector<std::string>& missing);
  void probe_topics();
  std::vector<RdKafka::TopicPartition*> starting_positions();
  std::vector<RdKafka::TopicPartition*> assignment_list() const;
  // Drops records older than the startup timestamp on partitions that are
  // still being scanned (see starting_positions); returns records kept.
  size_t skip_before_timestamp(RawBatch& batch);
  // Up to max_records messages into `out`: what is queued now, or, when
  // nothing is, the first message within timeout_ms and what came with it.
  size_t take_messages(rd_kafka_message_t** out, size_t max_records, int timeout_ms);

  // Shared with every RawBatch's storage: librdkafka messages must not outlive
  // their handle, so the handle lives until the last batch is released.
  std::shared_ptr<RdKafka::KafkaConsumer> consumer_;
  rd_kafka_queue_t* queue_ = nullptr;
  std::string group_id_;
  std::string bootstrap_servers_;
  // Timestamp mode where the broker could not look the time up: these
  // partitions start at the beginning and skip records until the first one
  // at or after the timestamp (the broker's own offsetsForTimes rule).
  std::vector<PartitionId> scanning_for_timestamp_;
  std::vector<std::string> topics_;
  StartupOptions startup_;
  std::optional<PartitionOffsets> start_;
  bool reset_to_latest_ = false;  // auto.offset.reset: where a partition without a committed offset starts
  ConnectorContext context_;  // which instance this is (owns_partition)
  std::vector<PartitionId> partitions_;
  mutable std::mutex positions_mutex_;  // lag() may be called from a metrics thread
  std::map<PartitionId, int64_t> next_offsets_;
  bool closed_ = false;
  // Asks the brokers for the first topic's metadata after every second
  // without a record (a fetch that finds no data looks the same whether the
  // broker is there or frozen).
  void probe_brokers();
  static int64_t steady_ms();
  std::thread probe_;
  std::mutex probe_mutex_;
  std::condition_variable probe_wake_;
  bool probe_stop_ = false;
  std::atomic<int64_t> last_answer_ms_{0};  // steady clock: the last probe answered or record taken
  // False while waiting for a missing topic; partitions_ is final once true.
  std::atomic<bool> assigned_{false};
  std::atomic<bool> topics_found_{false};  // the probe saw every topic
  bool paused_ = false;
  mutable std::mutex waiting_mutex_;
  std::string waiting_;
};

}  // namespace ananas::connectors::kafka
