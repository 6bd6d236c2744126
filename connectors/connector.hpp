#pragma once
// The connector plugin API. Connectors move bytes; formats (core/json/) turn
// bytes into rows, as Kafka Connect separates connectors from converters.
//
// Everything in this header is inline on purpose: a plugin (.so) compiled
// against it needs no symbol from the host executable, so the host does not
// have to be linked with -rdynamic.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ananas::connectors {

// The WITH clause of a table, e.g. {"topic": "pizzas", "properties.group.id": "g"}.
using Options = std::map<std::string, std::string>;

// A bad or unsupported option. `key()` names the WITH-clause key so a caller
// that knows where the table was declared can point at it.
class OptionError : public std::runtime_error {
 public:
  OptionError(std::string key, const std::string& message)
      : std::runtime_error("option '" + key + "': " + message), key_(std::move(key)), message_(message) {}
  const std::string& key() const { return key_; }
  // The reason without the "option 'key': " prefix.
  const std::string& message() const { return message_; }

 private:
  std::string key_;
  std::string message_;
};

// A runtime failure of a connector (broker unreachable, fatal producer error...).
struct ConnectorError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Kafka's record timestamp types; NoTimestamp carries timestamp_ms == -1.
enum class TimestampType : uint8_t { NoTimestamp = 0, CreateTime = 1, LogAppendTime = 2 };

struct PartitionId {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const PartitionId&) const = default;
};

// One record as the source delivered it. The views point into memory owned by
// the RawBatch the record belongs to; they are valid as long as that batch is.
struct RawRecord {
  std::string_view topic;
  int32_t partition = 0;
  int64_t offset = -1;
  int64_t timestamp_ms = -1;
  TimestampType ts_type = TimestampType::NoTimestamp;
  std::optional<std::string_view> key;    // nullopt = null key
  std::optional<std::string_view> value;  // nullopt = tombstone
};

// What poll() returns: records plus whatever keeps their bytes alive (for
// Kafka, the librdkafka messages themselves, so no payload is copied).
// Non-fatal consumer errors (a partition that could not be fetched, an offset
// reset) are reported in `errors` so the caller logs and counts them; fatal
// ones are thrown as ConnectorError.
struct RawBatch {
  std::vector<RawRecord> records;
  std::vector<std::string> errors;
  std::shared_ptr<const void> storage;
  bool end_of_input = false;  // a bounded source has delivered everything

  RawBatch() = default;
  RawBatch(RawBatch&&) = default;
  RawBatch& operator=(RawBatch&&) = default;
  RawBatch(const RawBatch&) = delete;  // copying would leave views pointing at shared storage anyway
  RawBatch& operator=(const RawBatch&) = delete;

  size_t size() const { return records.size(); }
  bool empty() const { return records.empty(); }
};

// Builds a RawBatch for connectors that produce their own bytes (datagen,
// plugins): bytes are appended to one buffer, and the views are fixed up in
// finish() once the buffer no longer moves.
class RawBatchBuilder {
 public:
  explicit RawBatchBuilder(size_t expected_bytes = 0) { buffer_->reserve(expected_bytes); }

  void add(std::string_view topic, int32_t partition, int64_t offset, int64_t timestamp_ms, TimestampType ts_type,
           std::optional<std::string_view> key, std::optional<std::string_view> value) {
    Pending p;
    p.topic = append(topic);
    p.key = key ? std::optional(append(*key)) : std::nullopt;
    p.value = value ? std::optional(append(*value)) : std::nullopt;
    p.record.partition = partition;
    p.record.offset = offset;
    p.record.timestamp_ms = ts_type == TimestampType::NoTimestamp ? -1 : timestamp_ms;
    p.record.ts_type = ts_type;
    pending_.push_back(p);
  }

  size_t size() const { return pending_.size(); }
  size_t bytes() const { return buffer_->size(); }

  RawBatch finish() {
    RawBatch batch;
    batch.records.reserve(pending_.size());
    const std::string& buf = *buffer_;
    auto view = [&buf](Span s) { return std::string_view(buf.data() + s.first, s.second); };
    for (Pending& p : pending_) {
      RawRecord r = p.record;
      r.topic = view(p.topic);
      if (p.key) r.key = view(*p.key);
      if (p.value) r.value = view(*p.value);
      batch.records.push_back(r);
    }
    batch.storage = std::move(buffer_);
    buffer_ = std::make_shared<std::string>();
    pending_.clear();
    return batch;
  }

 private:
  using Span = std::pair<size_t, size_t>;  // offset, length in buffer_
  struct Pending {
    RawRecord record;
    Span topic;
    std::optional<Span> key, value;
  };
  Span append(std::string_view s) {
    Span span{buffer_->size(), s.size()};
    buffer_->append(s);
    return span;
  }
  std::shared_ptr<std::string> buffer_ = std::make_shared<std::string>();
  std::vector<Pending> pending_;
};

// The changes a connector reads or writes, in Flink's terms (ChangelogMode).
enum class ChangelogMode : uint8_t {
  AppendOnly,  // inserts only (+I)
  Upsert,      // +I/+U/-D keyed by the PRIMARY KEY, a delete written as a tombstone (upsert-kafka)
};

// What a connector can do, declared once so no layer has to know it by name.
// A source "produces" `changelog`; a sink "accepts" it (an upsert sink also
// accepts append-only input).
struct ConnectorCapabilities {
  // A source may reach the end of its input (RawBatch::end_of_input), e.g. a record count.
  bool bounded = false;
  // Record keys are the table's PRIMARY KEY columns: the table needs a PRIMARY KEY and a key format.
  bool keyed = false;
  ChangelogMode changelog = ChangelogMode::AppendOnly;
  // A source opened at a position continues exactly there. A source that is
  // not resumable starts over and only records the position it was given.
  bool resumable = false;
  // Talks to Kafka brokers: the worker fills in properties.bootstrap.servers
  // when the table has no broker address of its own.
  bool uses_brokers = false;
  // A source can run as several instances that each read a disjoint part of
  // it (ConnectorContext::instance / instances): Kafka's partitions.
  bool splittable = false;
};

// Who is opening a connector, for defaults (Kafka group ids) and notes.
namespace kafka {
class KafkaTransaction;
}

struct ConnectorContext {
  std::string pipeline;  // pipeline name, e.g. "windowing"
  std::string table;     // table name in the SQL, e.g. "pizza_orders"
  // Receives notes about defaults that were applied (e.g. the fallback of
  // group-offsets); may be empty.
  std::function<void(const std::string&)> note;
  // The pipeline's Kafka transaction, for sinks with
  // sink.delivery-guarantee = 'exactly-once' (connectors/kafka/kafka_transaction.hpp).
  std::shared_ptr<kafka::KafkaTransaction> transaction;
  // A splittable source opened as instance `instance` of `instances` reads
  // only its part (owns_partition); the others read the rest.
  int instance = 0;
  int instances = 1;
  // Set when the workers of a group split the source (the Worker's
  // placement): only these partitions are this process's, and each starts
  // where the source's consumer group committed it (a partition moved here
  // from another worker continues where that one stopped).
  std::shared_ptr<const std::set<PartitionId>> owned;
  // A source's poll() stops adding records once the keys and values it
  // returns reach this many bytes (a record larger than that still comes, in
  // a batch of its own); 0 = only poll()'s record count bounds it. It keeps a
  // batch of large messages from growing to max_records of them: the rows
  // decoded from a batch live until every operator has passed it on.
  size_t max_batch_bytes = 0;
  // Set by a keyed exchange that folds rows into partial aggregates
  // (actors/drivers/exchange_sink_driver.hpp), for a source split between
  // workers: called for each partition the source starts, before it reads
  // any record of it, with whether the partition's last reader left it
  // drained (its final commit, commit_drained) or no reader ever committed
  // it. Otherwise a reader may have read, and sent on, records past the
  // committed offset before it stopped. The source then marks the partition
  // as read (so that a crash of this run is seen by the next).
  std::function<void(const PartitionId&, bool drained)> on_partition_start;
};

// Whether this process owns a partition (ConnectorContext::owned), and which
// of its instances reads it: spread by partition number, so that every
// instance works out the same owner alone.
inline bool owns_partition(const ConnectorContext& c, const PartitionId& p) {
  if (c.owned && !c.owned->count(p)) return false;
  return c.instances <= 1 || p.partition % c.instances == c.instance;
}

// Next offset to read per partition ("committed" in Kafka's sense: the offset
// of the first record NOT yet durably processed).
using PartitionOffsets = std::map<PartitionId, int64_t>;

class SourceConnector {
 public:
  virtual ~SourceConnector() = default;
  // Returns up to max_records records, waiting at most `timeout` for the first.
  virtual RawBatch poll(size_t max_records, std::chrono::milliseconds timeout) = 0;
  // Back-pressure: stop fetching (poll keeps returning already fetched records or nothing).
  virtual void pause() = 0;
  virtual void resume() = 0;
  virtual std::vector<PartitionId> partitions() const = 0;
  // Makes `offsets` the resume point after a restart. Only pass offsets whose
  // records the pipeline has durably processed (after a checkpoint or sink flush).
  virtual void commit(const PartitionOffsets& offsets) = 0;
  // The same for the last commit of a reader that stops (a drain): nothing
  // past `offsets` was read. A source that keeps track says so to the next
  // reader (ConnectorContext::on_partition_start).
  virtual void commit_drained(const PartitionOffsets& offsets) { commit(offsets); }
  // Records not yet delivered by poll, per partition (-1 when unknown).
  virtual std::map<PartitionId, int64_t> lag() const = 0;
  virtual void close() = 0;
  // False while the source's brokers do not answer (an empty poll cannot
  // tell a quiet topic from an unreachable broker); /readyz reports it.
  virtual bool reachable() const { return true; }
  // What the source waits for before it can read anything (a topic that
  // does not exist yet), readable; empty when it is reading.
  virtual std::string waiting_for() const { return {}; }
};

struct DeliveryError {
  std::string message;
  std::optional<std::string> key;  // the key of the failed record, for logs
};

// One record for SinkConnector::write_batch; the views need to live only
// until the call returns.
struct SinkRecord {
  std::optional<std::string_view> key;    // nullopt = null key
  std::optional<std::string_view> value;  // nullopt = tombstone
  int32_t partition = -1;                 // < 0: the connector chooses
};

class SinkConnector {
 public:
  virtual ~SinkConnector() = default;
  // key nullopt = null key; value nullopt = tombstone. partition < 0 lets the
  // connector choose (Kafka: murmur2 of the key, as Java's default partitioner).
  // Throws ConnectorError when the record cannot even be queued.
  virtual void write(std::optional<std::string_view> key, std::optional<std::string_view> value,
                     int32_t partition = -1) = 0;
  // Writes `records` in order, as write() would one by one (which is what
  // this default does); a connector overrides it when its client takes a
  // batch for less than the records one at a time (Kafka: one produce call).
  virtual void write_batch(std::span<const SinkRecord> records) {
    for (const SinkRecord& r : records) write(r.key, r.value, r.partition);
  }
  // Waits until everything written so far is delivered or `timeout` passes;
  // returns every failure since the last flush (an undelivered record is a failure).
  virtual std::vector<DeliveryError> flush(std::chrono::milliseconds timeout) = 0;
  virtual void close() = 0;
  // The checkpoint whose barrier this sink flushed at last is durable. An
  // exactly-once sink holds what it is given after a barrier until then, so
  // that it lands in the next transaction, not in the one being committed.
  virtual void checkpoint_committed() {}
};

}  // namespace ananas::connectors
