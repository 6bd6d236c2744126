#include "bench/latency/kafka_clients.hpp"

#include <stdexcept>
#include <vector>

namespace ananas::bench {

namespace {

constexpr int kRequestTimeoutMs = 10000;

rd_kafka_conf_t* make_conf(const std::string& bootstrap, const Properties& properties) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  Properties all = properties;
  all["bootstrap.servers"] = bootstrap;
  char err[512];
  for (const auto& [name, value] : all)
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      throw std::runtime_error("Kafka property " + name + "=" + value + ": " + err);
    }
  return conf;
}

}  // namespace

void KafkaDeleter::operator()(rd_kafka_t* rk) const {
  if (rd_kafka_type(rk) == RD_KAFKA_CONSUMER) rd_kafka_consumer_close(rk);
  else rd_kafka_flush(rk, 10000);
  rd_kafka_destroy(rk);
}

KafkaHandle make_producer(const std::string& bootstrap, const Properties& properties) {
  rd_kafka_conf_t* conf = make_conf(bootstrap, properties);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(std::string("cannot create Kafka producer: ") + err);
  }
  return KafkaHandle(rk);
}

TailConsumer::TailConsumer(const std::string& bootstrap, const std::string& topic, const Properties& properties) {
  Properties p = properties;
  // assign() needs a group; nothing is ever committed to it.
  p.emplace("group.id", "ananas-latency-bench");
  p.emplace("enable.auto.commit", "false");
  p.emplace("enable.partition.eof", "false");
  rd_kafka_conf_t* conf = make_conf(bootstrap, p);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!rk) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(std::string("cannot create Kafka consumer: ") + err);
  }
  consumer_.reset(rk);

  rd_kafka_topic_t* handle = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t e = rd_kafka_metadata(rk, 0, handle, &md, kRequestTimeoutMs);
  rd_kafka_topic_destroy(handle);
  if (e || md->topic_cnt != 1 || md->topics[0].err || md->topics[0].partition_cnt == 0) {
    std::string why = e ? rd_kafka_err2str(e) : md->topic_cnt ? rd_kafka_err2str(md->topics[0].err) : "no topic";
    if (md) rd_kafka_metadata_destroy(md);
    throw std::runtime_error("no partitions for topic '" + topic + "': " + why);
  }
  partitions_ = md->topics[0].partition_cnt;
  rd_kafka_metadata_destroy(md);

  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions_);
  for (int32_t p = 0; p < partitions_; ++p) {
    int64_t low = 0, high = 0;
    e = rd_kafka_query_watermark_offsets(rk, topic.c_str(), p, &low, &high, kRequestTimeoutMs);
    if (e) {
      rd_kafka_topic_partition_list_destroy(list);
      throw std::runtime_error("end offset of " + topic + "[" + std::to_string(p) + "]: " + rd_kafka_err2str(e));
    }
    rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = high;
  }
  e = rd_kafka_assign(rk, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (e) throw std::runtime_error("cannot assign " + topic + ": " + rd_kafka_err2str(e));
  queue_ = rd_kafka_queue_get_consumer(rk);
}

TailConsumer::~TailConsumer() {
  if (queue_) rd_kafka_queue_destroy(queue_);
}

rd_kafka_message_t* TailConsumer::next_message(std::chrono::milliseconds timeout) {
  rd_kafka_message_t* m = rd_kafka_consume_queue(queue_, static_cast<int>(timeout.count()));
  if (m && m->err) {
    rd_kafka_message_destroy(m);
    return nullptr;
  }
  return m;
}

void produce_copy(rd_kafka_t* producer, rd_kafka_topic_t* topic, const void* key, size_t key_len, const void* value,
                  size_t value_len, bool serve) {
  while (rd_kafka_produce(topic, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, const_cast<void*>(value), value_len, key,
                          key_len, nullptr) != 0) {
    rd_kafka_resp_err_t e = rd_kafka_last_error();
    if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(e));
    rd_kafka_poll(producer, 10);
  }
  if (serve) rd_kafka_poll(producer, 0);
}

void produce_at(rd_kafka_t* producer, const std::string& topic, int32_t partition, int64_t timestamp_ms,
                std::string_view key, std::string_view value) {
  while (true) {
    rd_kafka_resp_err_t e = rd_kafka_producev(
        producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_TIMESTAMP(timestamp_ms),
        RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()), RD_KAFKA_V_END);
    if (e == RD_KAFKA_RESP_ERR_NO_ERROR) break;
    if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL) throw std::runtime_error(std::string("produce: ") + rd_kafka_err2str(e));
    rd_kafka_poll(producer, 10);
  }
  rd_kafka_poll(producer, 0);
}

}  // namespace ananas::bench
