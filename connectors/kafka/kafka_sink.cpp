#include "connectors/kafka/kafka_sink.hpp"

#include <thread>

#include "connectors/kafka/kafka_config.hpp"
#include "connectors/kafka/kafka_options.hpp"

namespace ananas::connectors::kafka {

namespace {

// How long write() waits for room when librdkafka's local queue is full,
// before reporting back-pressure as an error.
constexpr auto kQueueFullWait = std::chrono::seconds(30);
// Serve delivery reports regularly so their memory does not pile up.
constexpr size_t kPollEvery = 1024;

// An empty but present key/value must stay distinguishable from null, and an
// empty string_view may carry a null data pointer.
const void* bytes_of(const std::optional<std::string_view>& s) {
  static const char kEmpty[1] = {0};
  if (!s) return nullptr;
  return s->data() ? s->data() : kEmpty;
}

}  // namespace

void KafkaSink::DeliveryReports::dr_cb(RdKafka::Message& message) {
  if (message.err() == RdKafka::ERR_NO_ERROR) {
    delivered_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  DeliveryError e;
  e.message = message.topic_name() + "[" + std::to_string(message.partition()) + "]: " + message.errstr();
  if (message.key_pointer()) e.key = std::string(static_cast<const char*>(message.key_pointer()), message.key_len());
  std::lock_guard lock(mutex_);
  failures_.push_back(std::move(e));
}

std::vector<DeliveryError> KafkaSink::DeliveryReports::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(failures_, {});
}

KafkaSink::KafkaSink(const Options& options, const ConnectorContext& context) {
  validate_sink_options(options);
  topic_ = topics_option(options).front();
  if (auto g = options.find("sink.delivery-guarantee"); g != options.end() && g->second == "exactly-once") {
    if (!context.transaction)
      throw ConnectorError("table '" + context.table +
                           "': sink.delivery-guarantee 'exactly-once' needs the pipeline's checkpoints in Kafka "
                           "(the worker's checkpoint.storage is 'memory', or no Kafka brokers are known)");
    transaction_ = context.transaction;
    std::string err;
    topic_handle_.reset(RdKafka::Topic::create(&transaction_->producer(), topic_, nullptr, err));
    if (!topic_handle_) throw ConnectorError("topic '" + topic_ + "': " + err);
    return;
  }

  std::map<std::string, std::string> defaults = {
      {"client.id", "ananas-" + (context.pipeline.empty() ? "" : context.pipeline + "-") + context.table},
      {"enable.idempotence", "true"},
      {"partitioner", "murmur2_random"},
      // librdkafka's own default: every output row waits up to this long
      // for its batch. Under a backlog batches fill by batch.num.messages
      // long before it; 20 ms added 15 ms to the filter's p50 and nothing
      // to its throughput (docs/performance.md, "Latency").
      {"linger.ms", "5"},
  };
  std::unique_ptr<RdKafka::Conf> conf = make_conf(options, defaults);
  std::string err;
  if (conf->set("dr_cb", &reports_, err) != RdKafka::Conf::CONF_OK)
    throw ConnectorError("cannot install delivery report callback: " + err);
  producer_.reset(RdKafka::Producer::create(conf.get(), err));
  if (!producer_) throw ConnectorError("cannot create Kafka producer for table '" + context.table + "': " + err);
  topic_handle_.reset(RdKafka::Topic::create(producer_.get(), topic_, nullptr, err));
  if (!topic_handle_) throw ConnectorError("topic '" + topic_ + "': " + err);
}

KafkaSink::~KafkaSink() { close(); }

void KafkaSink::write(std::optional<std::string_view> key, std::optional<std::string_view> value, int32_t partition) {
  if (closed_) throw ConnectorError("write to a closed Kafka sink (topic '" + topic_ + "')");
  if (holding_) return hold(key, value, partition);
  produce(key, value, partition);
}

void KafkaSink::write_batch(std::span<const SinkRecord> records) {
  if (closed_) throw ConnectorError("write to a closed Kafka sink (topic '" + topic_ + "')");
  if (holding_) {
    for (const SinkRecord& r : records) hold(r.key, r.value, r.partition);
    return;
  }
  produce_batch(records);
}

void KafkaSink::hold(std::optional<std::string_view> key, std::optional<std::string_view> value, int32_t partition) {
  held_.push_back({key ? std::optional<std::string>(*key) : std::nullopt,
                   value ? std::optional<std::string>(*value) : std::nullopt, partition});
}

void KafkaSink::produce(std::optional<std::string_view> key, std::optional<std::string_view> value,
                        int32_t partition) {
  RdKafka::Producer& p = producer();
  // Read the clock only once the queue is full: a clock read per record
  // showed in the worker's profile.
  std::optional<std::chrono::steady_clock::time_point> give_up;
  while (true) {
    RdKafka::ErrorCode ec = p.produce(
        topic_handle_.get(), partition < 0 ? RdKafka::Topic::PARTITION_UA : partition, RdKafka::Producer::RK_MSG_COPY,
        const_cast<void*>(bytes_of(value)), value ? value->size() : 0, bytes_of(key), key ? key->size() : 0, nullptr);
    if (ec == RdKafka::ERR_NO_ERROR) break;
    if (ec != RdKafka::ERR__QUEUE_FULL)
      throw ConnectorError("cannot produce to topic '" + topic_ + "': " + RdKafka::err2str(ec));
    wait_for_queue_space(give_up);
  }
  after_produce(1);
}

void KafkaSink::produce_batch(std::span<const SinkRecord> records) {
  batch_.resize(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const SinkRecord& r = records[i];
    rd_kafka_message_t& m = batch_[i];
    m = rd_kafka_message_t{};
    m.partition = r.partition < 0 ? RD_KAFKA_PARTITION_UA : r.partition;
    m.payload = const_cast<void*>(bytes_of(r.value));
    m.len = r.value ? r.value->size() : 0;
    m.key = const_cast<void*>(bytes_of(r.key));
    m.key_len = r.key ? r.key->size() : 0;
  }
  rd_kafka_topic_t* topic = topic_handle_->c_ptr();
  std::optional<std::chrono::steady_clock::time_point> give_up;
  size_t done = 0;
  while (done < batch_.size()) {
    // Each message's own partition (RD_KAFKA_MSG_F_PARTITION); UA runs the
    // partitioner, as produce() does. librdkafka queues the messages in order
    // and, once one finds the queue full, fails all that follow it too, so
    // what was queued is always a prefix and the rest is retried in order.
    const int count = static_cast<int>(batch_.size() - done);
    rd_kafka_produce_batch(topic, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_PARTITION,
                           batch_.data() + done, count);
    size_t first_failed = done;
    while (first_failed < batch_.size() && batch_[first_failed].err == RD_KAFKA_RESP_ERR_NO_ERROR) ++first_failed;
    after_produce(first_failed - done);
    done = first_failed;
    if (done == batch_.size()) break;
    const rd_kafka_resp_err_t err = batch_[done].err;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
      throw ConnectorError("cannot produce to topic '" + topic_ + "': " + rd_kafka_err2str(err));
    wait_for_queue_space(give_up);
  }
}

void KafkaSink::wait_for_queue_space(std::optional<std::chrono::steady_clock::time_point>& give_up) {
  const auto now = std::chrono::steady_clock::now();
  if (!give_up) give_up = now + kQueueFullWait;
  if (now >= *give_up)
    throw ConnectorError("producer queue for topic '" + topic_ + "' stayed full for 30 s (brokers unreachable?)");
  producer().poll(100);  // serves delivery reports, which frees queue space
}

void KafkaSink::after_produce(size_t records) {
  RdKafka::Producer& p = producer();
  writes_since_poll_ += records;
  if (writes_since_poll_ >= kPollEvery) {
    writes_since_poll_ = 0;
    p.poll(0);
  }
  if (transaction_) {
    transaction_->check_usable();
    return;
  }
  std::string fatal;
  if (p.fatal_error(fatal) != RdKafka::ERR_NO_ERROR) throw ConnectorError("fatal Kafka producer error: " + fatal);
}

void KafkaSink::checkpoint_committed() {
  if (!transaction_ || !holding_) return;
  holding_ = false;
  std::vector<SinkRecord> records;
  records.reserve(held_.size());
  for (const Held& h : held_)
    records.push_back({h.key ? std::optional<std::string_view>(*h.key) : std::nullopt,
                       h.value ? std::optional<std::string_view>(*h.value) : std::nullopt, h.partition});
  produce_batch(records);
  held_.clear();
}

std::vector<DeliveryError> KafkaSink::flush(std::chrono::milliseconds timeout) {
  if (closed_) return {};
  if (transaction_) {
    // The records are in the open transaction; its commit delivers them or
    // fails the checkpoint. Hold what follows the barrier until then.
    holding_ = true;
    return {};
  }
  producer_->flush(static_cast<int>(timeout.count()));
  producer_->poll(0);
  std::vector<DeliveryError> failures = reports_.take();
  flush_gave_up_ = producer_->outq_len() > 0;
  if (int left = producer_->outq_len(); left > 0)
    failures.push_back({std::to_string(left) + " record(s) to topic '" + topic_ + "' not delivered within " +
                            std::to_string(timeout.count()) + " ms",
                        std::nullopt});
  return failures;
}

void KafkaSink::close() {
  if (transaction_) {  // the shared producer belongs to the pipeline
    closed_ = true;
    held_.clear();
    topic_handle_.reset();
    return;
  }
  if (closed_ || !producer_) return;
  // After a flush that already timed out (brokers gone), waiting again
  // would only delay the stop: those records were reported as failed.
  if (!flush_gave_up_) producer_->flush(10000);
  producer_->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
  producer_->poll(0);
  closed_ = true;
  topic_handle_.reset();
  producer_.reset();
}

}  // namespace ananas::connectors::kafka
