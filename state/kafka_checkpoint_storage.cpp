#include "state/kafka_checkpoint_storage.hpp"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafkacpp.h>

#include <mutex>
#include <set>
#include <thread>

#include "connectors/kafka/kafka_config.hpp"
#include "connectors/kafka/kafka_topics.hpp"
#include "connectors/kafka/kafka_transaction.hpp"
#include "state/state_error.hpp"
#include "state/state_topics.hpp"

namespace ananas::state {
namespace {

using Clock = std::chrono::steady_clock;

int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string where(const std::string& topic, int32_t partition) { return topic + "[" + std::to_string(partition) + "]"; }

bool has_state(const ops::CheckpointStore::StoredOperator& op) {
  if (!op.keyed.keyed.empty()) return true;
  for (const auto& [instance, bytes] : op.shared)
    if (!bytes.empty()) return true;
  return false;
}

uint64_t state_size(const ops::CheckpointStore::StoredOperator& op) {
  uint64_t n = 0;
  for (const auto& [instance, bytes] : op.shared) n += bytes.size();
  for (const auto& [group, bytes] : op.keyed.keyed) n += bytes.size();
  return n;
}

}  // namespace

// Delivery reports of the records produced since the last flush.
struct KafkaCheckpointStorage::Delivery : RdKafka::DeliveryReportCb {
  std::vector<std::string> errors;
  std::map<std::pair<std::string, int32_t>, int64_t> last_offset;  // per partition
  size_t outstanding = 0;
  void dr_cb(RdKafka::Message& m) override {
    if (outstanding > 0) --outstanding;
    if (m.err() != RdKafka::ERR_NO_ERROR) {
      if (errors.size() < 5) errors.push_back(where(m.topic_name(), m.partition()) + ": " + m.errstr());
      return;
    }
    int64_t& last = last_offset[{m.topic_name(), m.partition()}];
    last = std::max(last, m.offset());
  }
  void reset() {
    errors.clear();
    last_offset.clear();
    outstanding = 0;
  }
};

KafkaCheckpointStorage::KafkaCheckpointStorage(StorageOptions options)
    : options_(std::move(options)),
      checkpoints_topic_(state::checkpoints_topic(options_.pipeline)),
      record_key_(checkpoint_record_key(options_.pipeline, options_.shard)),
      delivery_(std::make_unique<Delivery>()) {}

KafkaCheckpointStorage::~KafkaCheckpointStorage() {
  if (consumer_) consumer_->close();
  if (producer_) producer_->flush(1000);
}

RdKafka::Producer& KafkaCheckpointStorage::producer() {
  if (options_.transaction) return options_.transaction->producer();
  if (producer_) return *producer_;
  auto conf = connectors::kafka::make_conf(options_.kafka, {
                                                               {"client.id", "ananas-" + options_.pipeline + "-state"},
                                                               {"acks", "all"},
                                                               {"enable.idempotence", "true"},
                                                               {"linger.ms", "5"},
                                                               {"message.timeout.ms", "30000"},
                                                           });
  std::string err;
  if (conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(delivery_.get()), err) != RdKafka::Conf::CONF_OK)
    throw StateError("cannot set the delivery report callback: " + err);
  producer_.reset(RdKafka::Producer::create(conf.get(), err));
  if (!producer_) throw StateError("pipeline '" + options_.pipeline + "': cannot create the state producer: " + err);
  return *producer_;
}

RdKafka::KafkaConsumer& KafkaCheckpointStorage::consumer() {
  if (consumer_) return *consumer_;
  // Reads by assignment only: the group id is required by the client, never joined.
  auto conf = connectors::kafka::make_conf(options_.kafka, {
                                                               {"group.id", "ananas-" + options_.pipeline + "-state-reader"},
                                                               {"client.id", "ananas-" + options_.pipeline + "-state"},
                                                               {"enable.auto.commit", "false"},
                                                               {"enable.auto.offset.store", "false"},
                                                               {"enable.partition.eof", "true"},
                                                               // A restore reads one partition after another up to
                                                               // its end: a fetch left waiting at the end (the
                                                               // default 500 ms long poll) would delay the next one.
                                                               {"fetch.wait.max.ms", "10"},
                                                               {"allow.auto.create.topics", "false"},
                                                               // Brokers too old for that flag (the mock) say so on every lookup.
                                                               {"log_level", "3"},
                                                           });
  std::string err;
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer_) throw StateError("pipeline '" + options_.pipeline + "': cannot create the state reader: " + err);
  return *consumer_;
}

void KafkaCheckpointStorage::ensure_topics(const std::vector<std::pair<std::string, int>>& wanted) {
  // Only those that do not exist. (librdkafka's mock cluster creates a topic
  // on this lookup already: it ignores allow.auto.create.topics=false.)
  std::vector<std::pair<std::string, int>> topics;
  for (const auto& t : wanted)
    if (partition_count(t.first, false) == 0) topics.push_back(t);
  if (topics.empty()) return;
  const std::string brokers = options_.kafka.count("properties.bootstrap.servers")
                                  ? options_.kafka.at("properties.bootstrap.servers")
                                  : std::string();
  // Records of a checkpoint that never completed may follow the ones a
  // restore needs; an hour keeps the cleaner off both until the restarted
  // pipeline has rewritten those keys.
  const std::string problem = connectors::kafka::create_topics(
      producer().c_ptr(), brokers, topics, {{"cleanup.policy", "compact"}, {"min.compaction.lag.ms", "3600000"}},
      options_.timeout);
  if (problem.empty()) return;
  // The first record then creates the topic with the broker's defaults
  // (librdkafka's mock cluster, `ananas broker`: no compaction).
  if (options_.note)
    options_.note("pipeline '" + options_.pipeline + "': cannot create its state topics (" + problem +
                  "); they are created on first write with the broker's default partitions and settings");
}

int KafkaCheckpointStorage::partition_count(const std::string& topic, bool create) {
  RdKafka::Handle& handle = create ? static_cast<RdKafka::Handle&>(producer()) : consumer();
  try {
    return connectors::kafka::partition_count(handle, topic, !create, options_.timeout);
  } catch (const connectors::ConnectorError& e) {
    throw StateError("pipeline '" + options_.pipeline + "': " + e.what());
  }
}

std::pair<int64_t, int64_t> KafkaCheckpointStorage::watermarks(const std::string& topic, int32_t partition) {
  int64_t lo = -1, hi = -1;
  RdKafka::ErrorCode ec =
      consumer().query_watermark_offsets(topic, partition, &lo, &hi, static_cast<int>(options_.timeout.count()));
  if (ec != RdKafka::ERR_NO_ERROR)
    throw StateError("cannot read the offsets of " + where(topic, partition) + ": " + RdKafka::err2str(ec));
  return {lo, hi};
}

void KafkaCheckpointStorage::read_partition(
    const std::string& topic, int32_t partition, int64_t from, int64_t to,
    const std::function<void(int64_t, std::string_view, std::optional<std::string_view>)>& apply) {
  if (from >= to) return;
  RdKafka::KafkaConsumer& c = consumer();
  std::vector<RdKafka::TopicPartition*> tps{RdKafka::TopicPartition::create(topic, partition, from)};
  RdKafka::ErrorCode ec = c.assign(tps);
  RdKafka::TopicPartition::destroy(tps);
  if (ec != RdKafka::ERR_NO_ERROR) throw StateError("cannot read " + where(topic, partition) + ": " + RdKafka::err2str(ec));
  const auto deadline = Clock::now() + options_.timeout;
  int64_t next = from;
  while (next < to) {
    if (Clock::now() >= deadline) {
      c.unassign();
      throw StateError("timed out reading " + where(topic, partition) + " at offset " + std::to_string(next) + " of " +
                       std::to_string(to));
    }
    std::unique_ptr<RdKafka::Message> m(c.consume(200));
    if (m->err() == RdKafka::ERR__TIMED_OUT || m->err() == RdKafka::ERR__PARTITION_EOF) continue;
    if (m->err() != RdKafka::ERR_NO_ERROR) {
      c.unassign();
      throw StateError("cannot read " + where(topic, partition) + ": " + m->errstr());
    }
    if (m->offset() >= to) break;
    std::string_view key = m->key_pointer() ? std::string_view(static_cast<const char*>(m->key_pointer()), m->key_len())
                                            : std::string_view();
    std::optional<std::string_view> value;
    if (m->payload()) value = std::string_view(static_cast<const char*>(m->payload()), m->len());
    apply(m->offset(), key, value);
    next = m->offset() + 1;
  }
  c.unassign();
}

void KafkaCheckpointStorage::read_checkpoints(
    const std::function<void(const std::string&, int64_t, const std::optional<std::string>&)>& apply) {
  if (partition_count(checkpoints_topic_, false) == 0) return;
  checkpoints_topic_ready_ = true;
  auto [lo, hi] = watermarks(checkpoints_topic_, 0);
  // The latest value per key: the topic is compacted, and older records of
  // a key are checkpoints that a later one replaced.
  std::map<std::string, std::pair<int64_t, std::optional<std::string>>> latest;
  read_partition(checkpoints_topic_, 0, lo, hi, [&](int64_t offset, std::string_view key, auto v) {
    if (key.substr(0, options_.pipeline.size()) != options_.pipeline) return;
    latest[std::string(key)] = {offset, v ? std::optional<std::string>(*v) : std::nullopt};
  });
  for (const auto& [key, at] : latest) apply(key, at.first, at.second);
}

CheckpointRecord KafkaCheckpointStorage::decode_record(const std::string& value, int64_t offset) const {
  const std::string at = where(checkpoints_topic_, 0) + " offset " + std::to_string(offset);
  CheckpointRecord r = decode_checkpoint_record(value, at);
  if (r.pipeline != options_.pipeline)
    throw StateError("the checkpoint at " + at + " belongs to pipeline '" + r.pipeline + "', not '" +
                     options_.pipeline + "'");
  return r;
}

std::optional<CheckpointRecord> KafkaCheckpointStorage::latest() {
  std::optional<CheckpointRecord> out;
  read_checkpoints([&](const std::string& key, int64_t offset, const std::optional<std::string>& value) {
    if (key != record_key_ || !value) return;  // another's, or discarded by `ananas reset`
    out = decode_record(*value, offset);
  });
  if (out && options_.shard && out->shard != options_.shard)
    throw StateError("pipeline '" + options_.pipeline + "': the checkpoint of shard " +
                     std::to_string(options_.shard->index) + " was written for " +
                     (out->shard ? std::to_string(out->shard->count) : std::string("no")) +
                     " shards, the pipeline's exchange has " + std::to_string(options_.shard->count) +
                     " partitions now (discard its state with `ananas reset " + options_.pipeline + "`)");
  return out;
}

std::map<uint32_t, CheckpointRecord> KafkaCheckpointStorage::latest_shards() {
  std::map<uint32_t, CheckpointRecord> out;
  read_checkpoints([&](const std::string& key, int64_t offset, const std::optional<std::string>& value) {
    const auto shard = shard_of_record_key(key, options_.pipeline);
    if (shard && value) out[*shard] = decode_record(*value, offset);
  });
  return out;
}

void KafkaCheckpointStorage::restore_operator(const std::string& node, const OperatorRecord& rec,
                                              ops::CheckpointStore& into) {
  const std::string who = "pipeline '" + options_.pipeline + "', operator '" + node + "': ";
  const int partitions = partition_count(rec.changelog, false);
  if (partitions == 0) throw StateError(who + "changelog topic '" + rec.changelog + "' no longer exists");
  // A shard's checkpoint names its own partition only.
  const size_t written_to = options_.shard ? options_.shard->count : rec.partitions.size();
  if (static_cast<size_t>(partitions) != written_to)
    throw StateError(who + "changelog topic '" + rec.changelog + "' has " + std::to_string(partitions) +
                     " partitions, the checkpoint was written to " + std::to_string(written_to));
  OperatorLog& log = logs_[node];
  log = OperatorLog{};
  log.record = rec;
  std::map<std::string, std::string> values;  // record key -> latest value within the checkpoint
  std::set<std::string> later;                // keys written after it (a checkpoint that never completed)
  // Every partition's offsets first: asked between reads, each query waits
  // behind the reader's fetches (~45 ms per partition on the development broker).
  std::map<int32_t, std::pair<int64_t, int64_t>> offsets;
  for (const auto& [p, range] : rec.partitions) offsets[p] = watermarks(rec.changelog, p);
  for (const auto& [p, range] : rec.partitions) {
    const auto [lo, hi] = offsets.at(p);
    if (lo > range.start)
      throw StateError(who + "changelog " + where(rec.changelog, p) + " starts at offset " + std::to_string(lo) +
                       ", but checkpoint needs its records from offset " + std::to_string(range.start) +
                       ": the broker's retention deleted state (raise the topic's retention, or discard the state "
                       "with `ananas reset " + options_.pipeline + "`)");
    if (hi < range.end)
      throw StateError(who + "changelog " + where(rec.changelog, p) + " ends at offset " + std::to_string(hi) +
                       ", but the checkpoint wrote up to " + std::to_string(range.end) + " (was the topic recreated?)");
    const int64_t end = range.end;  // clang 14 cannot capture a structured binding
    read_partition(rec.changelog, p, range.start, hi, [&](int64_t offset, std::string_view key, auto value) {
      parse_record_key(key);
      if (offset >= end) {
        later.emplace(key);
        return;
      }
      if (value) values.insert_or_assign(std::string(key), std::string(*value));
      else values.erase(std::string(key));
    });
  }
  ops::CheckpointStore::StoredOperator stored;
  stored.parallelism = rec.parallelism;
  stored.keyed.layout = rec.layout;
  for (const auto& [key, value] : values) {
    const RecordKey parsed = parse_record_key(key);
    log.diff.holds(key, value);
    if (parsed.shared) {
      if (parsed.number < rec.parallelism) stored.shared[parsed.number] = value;
      continue;
    }
    if (parsed.number >= rec.layout.key_groups)
      throw StateError(who + "changelog record of key group " + std::to_string(parsed.number) + ", the operator has " +
                       std::to_string(rec.layout.key_groups));
    stored.keyed.keyed[parsed.number] += value;
    stored.keyed.entries[parsed.number].push_back({std::string(parsed.state_key), value.size()});
  }
  for (uint32_t i = 0; i < rec.parallelism; ++i) stored.shared.try_emplace(i);
  for (const auto& key : later) log.diff.holds_unknown(key);
  into.put(node, std::move(stored));
}

std::optional<Restored> KafkaCheckpointStorage::load() {
  if (options_.transaction) options_.transaction->begin();
  auto record = latest();
  if (!record) return std::nullopt;
  Restored r;
  r.record = std::move(*record);
  logs_.clear();
  for (const auto& [node, op] : r.record.operators) restore_operator(node, op, r.state);
  return r;
}

KafkaCheckpointStorage::OperatorLog& KafkaCheckpointStorage::log_of(const std::string& node,
                                                                    const ops::CheckpointStore::StoredOperator& state) {
  auto it = logs_.find(node);
  if (it == logs_.end()) {
    OperatorLog log;
    log.record.changelog = changelog_topic(options_.pipeline, node);
    const int partitions = partition_count(log.record.changelog, true);
    if (options_.shard && static_cast<uint32_t>(partitions) != options_.shard->count)
      throw StateError("pipeline '" + options_.pipeline + "': changelog topic '" + log.record.changelog + "' has " +
                       std::to_string(partitions) + " partitions, one per shard needs " +
                       std::to_string(options_.shard->count));
    // A fresh start: whatever the topic already holds (a pipeline that was
    // reset) is not this pipeline's state.
    for (int32_t p = 0; p < partitions; ++p) {
      if (options_.shard && static_cast<uint32_t>(p) != options_.shard->index) continue;  // another shard's
      const int64_t hi = watermarks(log.record.changelog, p).second;
      log.record.partitions[p] = {hi, hi};
    }
    it = logs_.emplace(node, std::move(log)).first;
  }
  it->second.record.layout = state.keyed.layout;
  it->second.record.parallelism = state.parallelism;
  return it->second;
}

PersistStats KafkaCheckpointStorage::persist(uint64_t id, const std::map<std::string, std::string>& positions,
                                             const ops::CheckpointStore& state) {
  PersistStats stats;
  RdKafka::Producer& p = producer();
  delivery_->reset();
  std::vector<std::pair<OperatorLog*, std::vector<Change>>> written;
  auto give_up = [&](const std::string& why) -> StateError {
    for (auto& [log, changes] : written) log->diff.uncertain(changes);
    return StateError("pipeline '" + options_.pipeline + "': checkpoint " + std::to_string(id) + " not written: " + why);
  };
  std::vector<std::pair<std::string, int>> missing;
  for (const auto& [node, op] : state.operators())
    if (has_state(op) && !logs_.count(node))
      missing.emplace_back(changelog_topic(options_.pipeline, node),
                           options_.shard ? static_cast<int>(options_.shard->count) : options_.changelog_partitions);
  if (!checkpoints_topic_ready_) missing.emplace_back(checkpoints_topic_, 1);
  ensure_topics(missing);
  checkpoints_topic_ready_ = true;
  for (const auto& [node, op] : state.operators()) {
    if (!has_state(op) && !logs_.count(node)) continue;  // stateless operators keep no changelog
    stats.state_bytes += state_size(op);
    OperatorLog& log = log_of(node, op);
    written.emplace_back(&log, log.diff.changes(op));
    const int32_t partitions = static_cast<int32_t>(log.record.partitions.size());
    for (const Change& c : written.back().second) {
      // A shard's records all go to its own partition: it holds the key groups
      // of one exchange partition, and no other shard writes there.
      const int32_t partition = options_.shard ? static_cast<int32_t>(options_.shard->index)
                                               : static_cast<int32_t>(c.slot % static_cast<uint32_t>(partitions));
      void* payload = c.value ? const_cast<char*>(c.value->data()) : nullptr;
      const size_t len = c.value ? c.value->size() : 0;
      while (true) {
        RdKafka::ErrorCode ec = p.produce(log.record.changelog, partition, RdKafka::Producer::RK_MSG_COPY, payload, len,
                                          c.key.data(), c.key.size(), 0, delivery_.get());
        if (ec == RdKafka::ERR_NO_ERROR) break;
        if (ec != RdKafka::ERR__QUEUE_FULL) throw give_up("cannot write to " + log.record.changelog + ": " + RdKafka::err2str(ec));
        p.poll(50);
      }
      ++delivery_->outstanding;
      ++stats.records;
      stats.written_bytes += c.key.size() + len;
    }
  }
  if (p.flush(static_cast<int>(options_.timeout.count())) != RdKafka::ERR_NO_ERROR || delivery_->outstanding > 0)
    throw give_up("changelog records not acknowledged within " + std::to_string(options_.timeout.count()) + " ms");
  if (!delivery_->errors.empty()) throw give_up(delivery_->errors.front());
  for (auto& [log, changes] : written) {
    log->diff.accepted(changes);
    for (auto& [partition, range] : log->record.partitions) {
      auto last = delivery_->last_offset.find({log->record.changelog, partition});
      if (last != delivery_->last_offset.end()) range.end = std::max(range.end, last->second + 1);
    }
  }

  CheckpointRecord record;
  record.pipeline = options_.pipeline;
  record.shard = options_.shard;
  record.id = id;
  record.completed_at_ms = wall_clock_ms();
  record.positions = positions;
  for (const auto& [node, log] : logs_) record.operators[node] = log.record;
  record.state_bytes = stats.state_bytes;
  record.written_bytes = stats.written_bytes;
  produce_and_flush(checkpoints_topic_, 0, record_key_, encode_checkpoint_record(record));
  if (options_.transaction) {
    try {
      options_.transaction->commit();
    } catch (const connectors::kafka::TransactionFenced&) {
      throw;
    } catch (const std::exception& e) {
      throw StateError("pipeline '" + options_.pipeline + "': checkpoint " + std::to_string(id) + " not committed: " +
                       e.what());
    }
    options_.transaction->begin();
  }
  return stats;
}

void KafkaCheckpointStorage::produce_and_flush(const std::string& topic, int32_t partition, std::string_view key,
                                               std::optional<std::string_view> value) {
  RdKafka::Producer& p = producer();
  delivery_->reset();
  void* payload = value ? const_cast<char*>(value->data()) : nullptr;
  RdKafka::ErrorCode ec = p.produce(topic, partition, RdKafka::Producer::RK_MSG_COPY, payload, value ? value->size() : 0,
                                    key.data(), key.size(), 0, delivery_.get());
  if (ec != RdKafka::ERR_NO_ERROR) throw StateError("cannot write to " + where(topic, partition) + ": " + RdKafka::err2str(ec));
  delivery_->outstanding = 1;
  if (p.flush(static_cast<int>(options_.timeout.count())) != RdKafka::ERR_NO_ERROR || delivery_->outstanding > 0)
    throw StateError("the record to " + where(topic, partition) + " was not acknowledged in time");
  if (!delivery_->errors.empty()) throw StateError(delivery_->errors.front());
}

void KafkaCheckpointStorage::discard() {
  if (partition_count(checkpoints_topic_, false) == 0) return;
  std::vector<std::string> keys{record_key_};
  if (!options_.shard)
    read_checkpoints([&](const std::string& key, int64_t, const std::optional<std::string>& value) {
      if (value && shard_of_record_key(key, options_.pipeline)) keys.push_back(key);
    });
  for (const auto& key : keys) produce_and_flush(checkpoints_topic_, 0, key, std::nullopt);
  logs_.clear();
}

}  // namespace ananas::state
