#include "connectors/kafka/kafka_source.hpp"

#include <algorithm>
#include <cstring>
#include <thread>

#include "connectors/kafka/drained_marks.hpp"
#include "connectors/kafka/kafka_config.hpp"

namespace ananas::connectors::kafka {

namespace {

constexpr auto kMetadataDeadline = std::chrono::seconds(15);
constexpr int kRequestTimeoutMs = 10000;
constexpr int64_t kMaxPollMs = 10000;  // a poll never blocks longer than this, whatever the caller asks
constexpr int kProbeTimeoutMs = 2000;
constexpr int64_t kProbeIdleMs = 1000;  // the probe asks only after this long without a record
// Unreachable after this long without an answer: a few missed probes, so a
// busy broker is not reported, and a frozen one is within seconds.
constexpr int64_t kUnreachableAfterMs = 5000;
// fetch.wait.max.ms against the development broker (see the constructor):
// measured with bench/latency_filter.sh, docs/performance.md.
constexpr int kDevelopmentBrokerFetchWaitMs = 5;

// Owns one poll's librdkafka messages (and a reference to their handle).
struct MessageStorage {
  std::vector<rd_kafka_message_t*> messages;
  std::shared_ptr<RdKafka::KafkaConsumer> consumer;
  ~MessageStorage() {
    for (rd_kafka_message_t* m : messages)
      if (m) rd_kafka_message_destroy(m);  // slots a failed consume call left empty
  }
};

TimestampType to_timestamp_type(rd_kafka_timestamp_type_t t) {
  switch (t) {
    case RD_KAFKA_TIMESTAMP_CREATE_TIME: return TimestampType::CreateTime;
    case RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME: return TimestampType::LogAppendTime;
    default: return TimestampType::NoTimestamp;
  }
}

void free_partitions(std::vector<RdKafka::TopicPartition*>& tps) {
  RdKafka::TopicPartition::destroy(tps);
  tps.clear();
}

// Frees a TopicPartition list however the scope is left.
struct PartitionListGuard {
  std::vector<RdKafka::TopicPartition*>& list;
  ~PartitionListGuard() { free_partitions(list); }
};

}  // namespace

std::unique_ptr<SourceConnector> KafkaSource::open(const Options& options, const ConnectorContext& context,
                                                   const std::optional<PartitionOffsets>& start) {
  if (!start) return std::make_unique<KafkaSource>(options, context);
  // A partition the position does not name (it had delivered nothing) starts
  // where the table's own startup mode would have started it: from the group
  // if it has an offset there, else from the end the mode names.
  Options resumed = options;
  const auto mode = options.find("scan.startup.mode");
  if (!resumed.count("properties.auto.offset.reset"))
    resumed["properties.auto.offset.reset"] =
        mode != options.end() && mode->second == "latest-offset" ? "latest" : "earliest";
  resumed.erase("scan.startup.specific-offsets");
  resumed.erase("scan.startup.timestamp-millis");
  resumed["scan.startup.mode"] = "group-offsets";
  return std::make_unique<KafkaSource>(resumed, context, start);
}

KafkaSource::KafkaSource(const Options& options, const ConnectorContext& context,
                         const std::optional<PartitionOffsets>& start)
    : start_(start), context_(context) {
  topics_ = topics_option(options);
  startup_ = parse_startup_options(options);
  auto props = kafka_properties(options);
  bootstrap_servers_ = props["bootstrap.servers"];

  group_id_ = props.count("group.id") ? props["group.id"]
                                      : "ananas-" + (context.pipeline.empty() ? "" : context.pipeline + "-") + context.table;
  std::map<std::string, std::string> defaults = {
      {"group.id", group_id_},
      {"client.id", group_id_},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"fetch.max.bytes", "4194304"},
      {"auto.offset.reset", "earliest"},
      {"enable.partition.eof", "false"},
  };
  // Split between workers, partitions start from the group's offsets: a
  // partition without one starts where the startup mode says.
  if (context.owned && startup_.mode == StartupMode::LatestOffset && !props.count("auto.offset.reset"))
    defaults["auto.offset.reset"] = "latest";
  {
    const std::string reset = props.count("auto.offset.reset") ? props["auto.offset.reset"] : defaults["auto.offset.reset"];
    reset_to_latest_ = reset == "latest" || reset == "largest" || reset == "end";
  }
  if (startup_.mode == StartupMode::GroupOffsets && !props.count("auto.offset.reset") && context.note)
    context.note("table '" + context.table +
                 "': scan.startup.mode 'group-offsets' without properties.auto.offset.reset: partitions with no "
                 "committed offset in group '" + group_id_ + "' start from the earliest offset (Flink would fail)");
  create_consumer(options, defaults, context.table);
  try {
    const std::vector<std::string> missing = missing_topics(topics_, kMetadataDeadline);
    // fetch.wait.max.ms stays librdkafka's 500 ms, right for a real broker:
    // it answers a waiting fetch as soon as data arrives (fetch.min.bytes 1),
    // so the wait costs no latency, only bounds idle fetches. The development
    // broker (librdkafka's mock: `ananas broker`, `ananas demo`, the tests)
    // answers a fetch that found nothing only when its wait expires: with 500
    // ms every record waited 250 ms on average per hop. There a short wait
    // stands in for the real broker's early answer; the consumer is made
    // again, as its settings are fixed at creation.
    if (!props.count("fetch.wait.max.ms") && on_development_broker()) {
      defaults["fetch.wait.max.ms"] = std::to_string(kDevelopmentBrokerFetchWaitMs);
      destroy_consumer();
      create_consumer(options, defaults, context.table);
      // Assigned before it has a broker connection, the new consumer waited
      // ~500 ms for its group coordinator (a retry interval) before fetching.
      await_brokers();
    }
    if (missing.empty()) assign_partitions();
    else wait_for_topics(missing);
    last_answer_ms_ = steady_ms();
    probe_ = std::thread([this] { probe_brokers(); });
  } catch (...) {
    close();
    throw;
  }
}

KafkaSource::~KafkaSource() { close(); }

void KafkaSource::create_consumer(const Options& options, const std::map<std::string, std::string>& defaults,
                                  const std::string& table) {
  std::unique_ptr<RdKafka::Conf> conf = make_conf(options, defaults);
  std::string err;
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer_) throw ConnectorError("cannot create Kafka consumer for table '" + table + "': " + err);
  queue_ = rd_kafka_queue_get_consumer(consumer_->c_ptr());
}

void KafkaSource::destroy_consumer() {
  if (queue_) {
    rd_kafka_queue_destroy(queue_);
    queue_ = nullptr;
  }
  if (consumer_) consumer_->close();
  consumer_.reset();
}

void KafkaSource::await_brokers() {
  std::string err;
  std::unique_ptr<RdKafka::Topic> topic(RdKafka::Topic::create(consumer_.get(), topics_.front(), nullptr, err));
  RdKafka::Metadata* raw = nullptr;
  const RdKafka::ErrorCode ec = topic ? consumer_->metadata(false, topic.get(), &raw, kRequestTimeoutMs)
                                      : RdKafka::ERR__INVALID_ARG;
  std::unique_ptr<RdKafka::Metadata> md(raw);
  if (ec != RdKafka::ERR_NO_ERROR)
    throw ConnectorError("no answer from " + bootstrap_servers_ + ": " + RdKafka::err2str(ec) + (topic ? "" : " (" + err + ")"));
}

bool KafkaSource::on_development_broker() {
  // The mock names its cluster "mockCluster<hex>" (librdkafka's
  // rd_kafka_mock_cluster_new). The id came with missing_topics' metadata,
  // so no wait: a broker that sends none is not the mock.
  return consumer_->clusterid(0).rfind("mockCluster", 0) == 0;
}

std::vector<std::string> KafkaSource::missing_topics(const std::vector<std::string>& topics,
                                                     std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  std::vector<PartitionId> found;
  std::vector<std::string> missing;
  for (const std::string& name : topics) {
    std::string err;
    std::unique_ptr<RdKafka::Topic> topic(RdKafka::Topic::create(consumer_.get(), name, nullptr, err));
    if (!topic) throw ConnectorError("topic '" + name + "': " + err);
    std::string last_error;
    while (true) {
      RdKafka::Metadata* raw = nullptr;
      RdKafka::ErrorCode ec = consumer_->metadata(false, topic.get(), &raw, kRequestTimeoutMs);
      std::unique_ptr<RdKafka::Metadata> md(raw);
      if (ec == RdKafka::ERR_NO_ERROR && md && md->topics()->size() == 1) {
        const RdKafka::TopicMetadata* tm = md->topics()->front();
        if (tm->err() == RdKafka::ERR_NO_ERROR && !tm->partitions()->empty()) {
          for (const RdKafka::PartitionMetadata* pm : *tm->partitions())
            if (owns_partition(context_, {name, pm->id()})) found.push_back({name, pm->id()});
          break;
        }
        // The brokers answered that the topic does not exist: waiting for
        // it is all a source can do (a crash loop would not create it).
        if (tm->err() == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART) {
          missing.push_back(name);
          break;
        }
        last_error = RdKafka::err2str(tm->err());
      } else {
        last_error = RdKafka::err2str(ec);
      }
      if (std::chrono::steady_clock::now() >= deadline)
        throw ConnectorError("cannot get partitions of topic '" + name + "' from " +
                             bootstrap_servers_ + ": " + last_error);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  if (missing.empty()) {
    std::sort(found.begin(), found.end());
    partitions_ = std::move(found);
  }
  return missing;
}

void KafkaSource::assign_partitions() {
  if (partitions_.empty()) {  // more instances than partitions: this one reads nothing
    std::lock_guard lock(waiting_mutex_);
    waiting_.clear();
    assigned_.store(true, std::memory_order_release);
    return;
  }
  // Before the consumer fetches the committed offsets to start from: the
  // mark it leaves is committed at those same offsets.
  if (context_.owned && context_.on_partition_start) mark_partitions_started();
  std::vector<RdKafka::TopicPartition*> positions = starting_positions();
  PartitionListGuard guard{positions};
  RdKafka::ErrorCode ec = consumer_->assign(positions);
  if (ec != RdKafka::ERR_NO_ERROR) throw ConnectorError("cannot assign partitions: " + RdKafka::err2str(ec));
  // The checkpoint's offsets are exactly what the group should hold (they
  // were committed after that checkpoint, or were about to be).
  if (start_) commit(*start_);
  if (paused_) pause();
  {
    std::lock_guard lock(waiting_mutex_);
    waiting_.clear();
  }
  assigned_.store(true, std::memory_order_release);
}

void KafkaSource::wait_for_topics(const std::vector<std::string>& missing) {
  std::string names;
  for (const std::string& t : missing) names += (names.empty() ? "'" : ", '") + t + "'";
  std::lock_guard lock(waiting_mutex_);
  waiting_ = "topic" + std::string(missing.size() > 1 ? "s " : " ") + names + " not found on " + bootstrap_servers_ +
             " (checked every second; reading starts when " + (missing.size() > 1 ? "they exist" : "it exists") + ")";
}

std::string KafkaSource::waiting_for() const {
  std::lock_guard lock(waiting_mutex_);
  return waiting_;
}

std::vector<RdKafka::TopicPartition*> KafkaSource::starting_positions() {
  std::vector<RdKafka::TopicPartition*> tps;
  for (const PartitionId& p : partitions_) {
    int64_t offset = RdKafka::Topic::OFFSET_STORED;
    if (start_) {
      if (auto it = start_->find(p); it != start_->end()) {
        tps.push_back(RdKafka::TopicPartition::create(p.topic, p.partition, it->second));
        continue;
      }
    }
    // Split between the workers of a group: the group's committed offset is
    // where the last owner's final or last completed checkpoint left the
    // partition (auto.offset.reset, from the startup mode, covers a
    // partition that never had one).
    if (context_.owned) {
      tps.push_back(RdKafka::TopicPartition::create(p.topic, p.partition, RdKafka::Topic::OFFSET_STORED));
      continue;
    }
    switch (startup_.mode) {
      case StartupMode::EarliestOffset: offset = RdKafka::Topic::OFFSET_BEGINNING; break;
      case StartupMode::LatestOffset: offset = RdKafka::Topic::OFFSET_END; break;
      case StartupMode::GroupOffsets: offset = RdKafka::Topic::OFFSET_STORED; break;
      case StartupMode::Timestamp: offset = startup_.timestamp_ms; break;  // resolved below
      case StartupMode::SpecificOffsets: {
        // As Flink, the offsets name partitions of the first topic; other
        // partitions resume from the group, then auto.offset.reset.
        auto it = startup_.specific_offsets.find(p.partition);
        if (p.topic == topics_.front() && it != startup_.specific_offsets.end()) offset = it->second;
        break;
      }
    }
    tps.push_back(RdKafka::TopicPartition::create(p.topic, p.partition, offset));
  }
  if (startup_.mode == StartupMode::Timestamp) {
    RdKafka::ErrorCode ec = consumer_->offsetsForTimes(tps, kRequestTimeoutMs);
    if (ec != RdKafka::ERR_NO_ERROR) {
      free_partitions(tps);
      throw ConnectorError("cannot look up offsets for scan.startup.timestamp-millis=" +
                           std::to_string(startup_.timestamp_ms) + ": " + RdKafka::err2str(ec));
    }
    // No offset for the time: either no record is that recent (Kafka) or the
    // broker cannot search by time (librdkafka 2.0.2's mock answers -1).
    // Scanning from the beginning and skipping older records gives the same
    // result in both cases; it only costs reading the partition once.
    for (RdKafka::TopicPartition* tp : tps)
      if (tp->offset() < 0) {
        tp->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
        scanning_for_timestamp_.push_back({tp->topic(), tp->partition()});
      }
  }
  return tps;
}

std::vector<RdKafka::TopicPartition*> KafkaSource::assignment_list() const {
  std::vector<RdKafka::TopicPartition*> tps;
  for (const PartitionId& p : partitions_) tps.push_back(RdKafka::TopicPartition::create(p.topic, p.partition));
  return tps;
}

size_t KafkaSource::take_messages(rd_kafka_message_t** out, size_t max_records, int timeout_ms) {
  auto take = [&](int wait_ms, rd_kafka_message_t** to, size_t max) {
    ssize_t n = rd_kafka_consume_batch_queue(queue_, wait_ms, to, max);
    if (n < 0) throw ConnectorError(std::string("Kafka consume failed: ") + rd_kafka_err2str(rd_kafka_last_error()));
    return static_cast<size_t>(n);
  };
  // rd_kafka_consume_batch_queue waits its whole timeout for the batch to
  // fill: asked for 1,000 records at 10k/s it held the first ones for the
  // 50 ms poll timeout (at 1k/s, for all of it). A batch leaves when it is
  // full or when nothing more is there right now: take what is queued without
  // waiting; only when that is nothing, wait for the first record alone, then
  // take what came with it (a fetch response is queued at once).
  //
  // With a byte bound (ConnectorContext::max_batch_bytes) the queue is taken
  // in chunks sized from the average record so far (the first chunk is one
  // record), so that a batch of large messages stops at about the bound
  // instead of at max_records of them, while small ones still come in one or
  // two calls; what is left stays in librdkafka's queue for the next poll.
  const size_t max_bytes = context_.max_batch_bytes;
  size_t bytes = 0;
  auto add_bytes = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) bytes += out[i]->len + out[i]->key_len;
  };
  auto next_chunk = [&](size_t n) -> size_t {
    if (max_bytes == 0) return max_records - n;
    if (n == 0) return 1;
    const size_t average = std::max<size_t>(1, bytes / n);
    return std::clamp<size_t>((max_bytes - bytes) / average, 1, max_records - n);
  };
  auto take_more = [&](size_t n) {
    while (n < max_records && (max_bytes == 0 || bytes < max_bytes)) {
      const size_t asked = next_chunk(n);
      const size_t got = take(0, out + n, asked);
      add_bytes(n, n + got);
      n += got;
      if (got < asked) break;  // the queue is empty for now
    }
    return n;
  };
  size_t n = take_more(0);
  if (n > 0 || timeout_ms == 0) return n;
  n = take(timeout_ms, out, 1);
  if (n == 0) return n;
  add_bytes(0, n);
  return take_more(n);
}

RawBatch KafkaSource::poll(size_t max_records, std::chrono::milliseconds timeout) {
  RawBatch batch;
  if (closed_) throw ConnectorError("poll on a closed Kafka source");
  if (max_records == 0) return batch;
  if (!assigned_.load(std::memory_order_acquire)) {
    // The probe thread looks for the missing topics; assigning happens here,
    // on the thread that polls, because it changes what poll reads.
    if (topics_found_.load()) {
      if (missing_topics(topics_, kMetadataDeadline).empty()) assign_partitions();
      else topics_found_ = false;  // gone again between the probe and now
    }
    if (!assigned_.load(std::memory_order_acquire)) {
      std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(timeout, std::chrono::milliseconds(kMaxPollMs)));
      return batch;
    }
  }
  auto storage = std::make_shared<MessageStorage>();
  storage->consumer = consumer_;
  storage->messages.resize(max_records);
  int timeout_ms = static_cast<int>(std::clamp<int64_t>(timeout.count(), 0, kMaxPollMs));
  const size_t n = take_messages(storage->messages.data(), max_records, timeout_ms);
  storage->messages.resize(n);
  if (n > 0) last_answer_ms_ = steady_ms();  // fetched from the brokers moments ago (see probe_brokers)

  char fatal[512];
  if (rd_kafka_fatal_error(consumer_->c_ptr(), fatal, sizeof fatal) != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw ConnectorError(std::string("fatal Kafka consumer error: ") + fatal);

  batch.records.reserve(storage->messages.size());
  // The last offset seen per partition in this batch; a batch spans few partitions.
  struct Last {
    const char* topic;
    int32_t partition;
    int64_t offset;
  };
  std::vector<Last> last;
  size_t kept = 0;
  for (rd_kafka_message_t* m : storage->messages) {
    if (m->err) {
      std::string where = m->rkt ? std::string(rd_kafka_topic_name(m->rkt)) + "[" + std::to_string(m->partition) + "]"
                                 : std::string("consumer");
      batch.errors.push_back(where + ": " + rd_kafka_message_errstr(m));
      rd_kafka_message_destroy(m);
      continue;
    }
    storage->messages[kept++] = m;
    RawRecord r;
    const char* topic = rd_kafka_topic_name(m->rkt);
    r.topic = topic;
    r.partition = m->partition;
    r.offset = m->offset;
    rd_kafka_timestamp_type_t tstype;
    r.timestamp_ms = rd_kafka_message_timestamp(m, &tstype);
    r.ts_type = to_timestamp_type(tstype);
    if (r.ts_type == TimestampType::NoTimestamp) r.timestamp_ms = -1;  // Flink docs, Kafka connector > Available Metadata: timestamp
    if (m->key) r.key = std::string_view(static_cast<const char*>(m->key), m->key_len);
    if (m->payload) r.value = std::string_view(static_cast<const char*>(m->payload), m->len);
    batch.records.push_back(r);
    auto it = std::find_if(last.begin(), last.end(), [&](const Last& l) {
      return l.partition == m->partition && (l.topic == topic || std::strcmp(l.topic, topic) == 0);
    });
    if (it == last.end()) last.push_back({topic, m->partition, m->offset});
    else it->offset = m->offset;
  }
  storage->messages.resize(kept);
  if (!scanning_for_timestamp_.empty()) skip_before_timestamp(batch);
  if (!last.empty()) {
    std::lock_guard lock(positions_mutex_);
    for (const Last& l : last) next_offsets_[PartitionId{l.topic, l.partition}] = l.offset + 1;
  }
  batch.storage = std::move(storage);
  return batch;
}

size_t KafkaSource::skip_before_timestamp(RawBatch& batch) {
  auto scanning = [this](const RawRecord& r) {
    return std::find_if(scanning_for_timestamp_.begin(), scanning_for_timestamp_.end(), [&](const PartitionId& p) {
      return p.partition == r.partition && p.topic == r.topic;
    });
  };
  size_t kept = 0;
  for (const RawRecord& r : batch.records) {
    auto it = scanning(r);
    if (it != scanning_for_timestamp_.end()) {
      if (r.timestamp_ms < startup_.timestamp_ms) continue;
      scanning_for_timestamp_.erase(it);  // found the start: deliver everything from here on
    }
    batch.records[kept++] = r;
  }
  batch.records.resize(kept);
  return kept;
}

void KafkaSource::pause() {
  paused_ = true;
  // Applied when the partitions are assigned; an instance without any has nothing to pause.
  if (!assigned_.load(std::memory_order_acquire) || partitions_.empty()) return;
  std::vector<RdKafka::TopicPartition*> tps = assignment_list();
  PartitionListGuard guard{tps};
  RdKafka::ErrorCode ec = consumer_->pause(tps);
  if (ec != RdKafka::ERR_NO_ERROR) throw ConnectorError("cannot pause Kafka consumer: " + RdKafka::err2str(ec));
}

void KafkaSource::resume() {
  paused_ = false;
  if (!assigned_.load(std::memory_order_acquire) || partitions_.empty()) return;
  std::vector<RdKafka::TopicPartition*> tps = assignment_list();
  PartitionListGuard guard{tps};
  RdKafka::ErrorCode ec = consumer_->resume(tps);
  if (ec != RdKafka::ERR_NO_ERROR) throw ConnectorError("cannot resume Kafka consumer: " + RdKafka::err2str(ec));
}

void KafkaSource::mark_partitions_started() {
  const int timeout_ms = static_cast<int>(kRequestTimeoutMs);
  // A run restarted from its in-memory checkpoint has read past what it
  // committed: its partitions are not drained, whatever the group says.
  std::map<PartitionId, CommittedMark> marks;
  if (!start_) marks = read_committed_marks(consumer_->c_ptr(), partitions_, timeout_ms, group_id_);
  PartitionOffsets reading;
  for (const PartitionId& p : partitions_) {
    const CommittedMark mark = marks.count(p) ? marks[p] : CommittedMark{};
    int64_t offset = start_ && start_->count(p) ? start_->at(p) : mark.offset;
    if (offset < 0) {
      // Never committed: mark it where auto.offset.reset will start it.
      int64_t low = 0, high = 0;
      const RdKafka::ErrorCode ec = consumer_->query_watermark_offsets(p.topic, p.partition, &low, &high, timeout_ms);
      if (ec != RdKafka::ERR_NO_ERROR)
        throw ConnectorError("cannot read the offsets of " + p.topic + "[" + std::to_string(p.partition) +
                             "]: " + RdKafka::err2str(ec));
      offset = reset_to_latest_ ? high : low;
    }
    reading[p] = offset;
    if (context_.on_partition_start) context_.on_partition_start(p, !start_ && (mark.offset < 0 || mark.drained));
  }
  commit_with_metadata(consumer_->c_ptr(), reading, kReadingMetadata, group_id_);
}

std::vector<RdKafka::TopicPartition*> KafkaSource::owned_list(const PartitionOffsets& offsets) const {
  std::vector<RdKafka::TopicPartition*> tps;
  // A checkpoint's position holds every instance's partitions: each commits its own.
  for (const auto& [p, offset] : offsets)
    if (owns_partition(context_, p)) tps.push_back(RdKafka::TopicPartition::create(p.topic, p.partition, offset));
  return tps;
}

void KafkaSource::commit_drained(const PartitionOffsets& offsets) {
  PartitionOffsets mine;
  for (const auto& [p, offset] : offsets)
    if (owns_partition(context_, p)) mine[p] = offset;
  commit_with_metadata(consumer_->c_ptr(), mine, kDrainedMetadata, group_id_);
}

void KafkaSource::commit(const PartitionOffsets& offsets) {
  if (offsets.empty()) return;
  std::vector<RdKafka::TopicPartition*> tps = owned_list(offsets);
  PartitionListGuard guard{tps};
  if (tps.empty()) return;
  RdKafka::ErrorCode ec = consumer_->commitSync(tps);
  if (ec != RdKafka::ERR_NO_ERROR)
    throw ConnectorError("cannot commit offsets to group '" + group_id_ + "': " + RdKafka::err2str(ec));
  for (RdKafka::TopicPartition* tp : tps)
    if (tp->err() != RdKafka::ERR_NO_ERROR)
      throw ConnectorError("cannot commit offset of " + tp->topic() + "[" + std::to_string(tp->partition()) +
                           "] to group '" + group_id_ + "': " + RdKafka::err2str(tp->err()));
}

std::map<PartitionId, int64_t> KafkaSource::lag() const {
  std::map<PartitionId, int64_t> out;
  if (!assigned_.load(std::memory_order_acquire)) return out;  // partitions_ is written once, before assigned_
  std::map<PartitionId, int64_t> next;
  {
    std::lock_guard lock(positions_mutex_);
    next = next_offsets_;
  }
  for (const PartitionId& p : partitions_) {
    int64_t low = -1, high = -1;
    // Cached by the fetcher: no broker round trip, cheap enough for every scrape.
    consumer_->get_watermark_offsets(p.topic, p.partition, &low, &high);
    auto it = next.find(p);
    if (high < 0) out[p] = -1;
    else if (it != next.end()) out[p] = std::max<int64_t>(0, high - it->second);
    else out[p] = -1;  // nothing delivered yet: the start position is not known here
  }
  return out;
}

int64_t KafkaSource::steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void KafkaSource::probe_brokers() {
  // Records arriving are the brokers' answer: the probe asks only after a
  // second without any. A request on the consumer's own connection delays
  // its fetches on the development broker: a ListOffsets every second (the
  // probe before) held them ~40 ms each time, a p99 of 42 ms instead of 11 at
  // 1k records/s; a metadata request, the probe now, still adds ~35 ms to the
  // p99 at a 500 ms fetch wait (bench/latency_filter.sh, docs/performance.md).
  std::string err;
  std::unique_ptr<RdKafka::Topic> topic(RdKafka::Topic::create(consumer_.get(), topics_.front(), nullptr, err));
  std::unique_lock lock(probe_mutex_);
  while (!probe_stop_) {
    lock.unlock();
    if (assigned_.load(std::memory_order_acquire)) {
      if (steady_ms() - last_answer_ms_.load() >= kProbeIdleMs) {
        RdKafka::Metadata* raw = nullptr;
        const RdKafka::ErrorCode ec = topic ? consumer_->metadata(false, topic.get(), &raw, kProbeTimeoutMs)
                                            : RdKafka::ERR__INVALID_ARG;
        std::unique_ptr<RdKafka::Metadata> md(raw);
        if (ec == RdKafka::ERR_NO_ERROR) last_answer_ms_ = steady_ms();
      }
    } else if (!topics_found_.load()) {
      probe_topics();
    }
    lock.lock();
    probe_wake_.wait_for(lock, std::chrono::seconds(1), [this] { return probe_stop_; });
  }
}

void KafkaSource::probe_topics() {
  bool all = true;
  for (const std::string& name : topics_) {
    std::string err;
    std::unique_ptr<RdKafka::Topic> topic(RdKafka::Topic::create(consumer_.get(), name, nullptr, err));
    if (!topic) return;
    RdKafka::Metadata* raw = nullptr;
    RdKafka::ErrorCode ec = consumer_->metadata(false, topic.get(), &raw, kProbeTimeoutMs);
    std::unique_ptr<RdKafka::Metadata> md(raw);
    if (ec != RdKafka::ERR_NO_ERROR || !md || md->topics()->size() != 1) return;  // no answer: unreachable
    last_answer_ms_ = steady_ms();
    const RdKafka::TopicMetadata* tm = md->topics()->front();
    all &= tm->err() == RdKafka::ERR_NO_ERROR && !tm->partitions()->empty();
  }
  if (all) topics_found_ = true;
}

bool KafkaSource::reachable() const { return steady_ms() - last_answer_ms_.load() < kUnreachableAfterMs; }

void KafkaSource::close() {
  if (probe_.joinable()) {
    {
      std::lock_guard lock(probe_mutex_);
      probe_stop_ = true;
    }
    probe_wake_.notify_all();
    probe_.join();
  }
  if (closed_) return;
  closed_ = true;
  if (queue_) {
    rd_kafka_queue_destroy(queue_);
    queue_ = nullptr;
  }
  if (consumer_) consumer_->close();
}

}  // namespace ananas::connectors::kafka
