#include "actors/drivers/dead_letter_producer.hpp"

#include "connectors/kafka/kafka_config.hpp"

namespace ananas::rt::drivers {

connectors::Options dead_letter_producer_options(const connectors::Options& source_options) {
  connectors::Options out;
  for (const auto& [key, value] : source_options) {
    if (key.rfind(connectors::kafka::kPropertiesPrefix, 0) != 0) continue;
    const std::string name = key.substr(std::string(connectors::kafka::kPropertiesPrefix).size());
    if (name == "bootstrap.servers" || name.rfind("security.", 0) == 0 || name.rfind("ssl.", 0) == 0 ||
        name.rfind("sasl.", 0) == 0 || name == "client.dns.lookup" || name == "broker.address.family")
      out[key] = value;
  }
  return out;
}

void DeadLetterProducer::Reports::dr_cb(RdKafka::Message& message) {
  if (message.err() == RdKafka::ERR_NO_ERROR) return;
  std::lock_guard lock(mutex_);
  failures_.push_back(message.errstr());
}

std::vector<std::string> DeadLetterProducer::Reports::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(failures_, {});
}

DeadLetterProducer::DeadLetterProducer(const connectors::Options& source_options, std::string topic,
                                       std::string pipeline)
    : topic_(std::move(topic)), pipeline_(std::move(pipeline)) {
  // message.max.bytes: librdkafka's default (1 MB) would refuse any record
  // larger than that, and a record that cannot be dead-lettered fails the
  // pipeline. 100,000,000 is what the source's consumer reads at most
  // (receive.message.max.bytes), so every record read can be written; the
  // dead-letter topic must accept as much (docs/reliability.md).
  auto conf = connectors::kafka::make_conf(
      dead_letter_producer_options(source_options),
      {{"enable.idempotence", "true"}, {"linger.ms", "20"}, {"message.max.bytes", "100000000"}});
  std::string err;
  if (conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(&reports_), err) != RdKafka::Conf::CONF_OK)
    throw connectors::ConnectorError("dead-letter producer: " + err);
  producer_.reset(RdKafka::Producer::create(conf.get(), err));
  if (!producer_) throw connectors::ConnectorError("cannot create the dead-letter producer for '" + topic_ + "': " + err);
}

DeadLetterProducer::~DeadLetterProducer() {
  if (producer_) producer_->flush(5000);
}

void DeadLetterProducer::send(const connectors::RawRecord& record, const std::string& error,
                              const std::string& node) {
  RdKafka::Headers* headers = RdKafka::Headers::create();
  headers->add("__ananas.errors.pipeline", pipeline_);
  headers->add("__ananas.errors.topic", std::string(record.topic));
  headers->add("__ananas.errors.partition", std::to_string(record.partition));
  headers->add("__ananas.errors.offset", std::to_string(record.offset));
  headers->add("__ananas.errors.exception.message", error);
  if (!node.empty()) headers->add("__ananas.errors.operator", node);
  const auto value = record.value.value_or(std::string_view());
  const auto key = record.key.value_or(std::string_view());
  for (int attempt = 0;; ++attempt) {
    RdKafka::ErrorCode ec = producer_->produce(
        topic_, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
        record.value ? const_cast<char*>(value.data()) : nullptr, value.size(),
        record.key ? key.data() : nullptr, key.size(), record.timestamp_ms < 0 ? 0 : record.timestamp_ms, headers,
        nullptr);
    if (ec == RdKafka::ERR_NO_ERROR) break;  // librdkafka owns the headers now
    if (ec == RdKafka::ERR__QUEUE_FULL && attempt < 100) {
      producer_->poll(100);  // serve delivery reports to make room
      continue;
    }
    delete headers;
    throw connectors::ConnectorError("cannot queue a record for dead-letter topic '" + topic_ + "': " +
                                     RdKafka::err2str(ec));
  }
  ++pending_;
  producer_->poll(0);
}

void DeadLetterProducer::flush(std::chrono::milliseconds timeout) {
  std::lock_guard lock(flush_mutex_);
  // librdkafka's flush waits for everything queued so far, so the records
  // counted here are acknowledged when it returns; records sent meanwhile by
  // another thread stay counted for the next flush.
  const uint64_t sent = pending_.load();
  if (sent == 0) return;
  RdKafka::ErrorCode ec = producer_->flush(static_cast<int>(timeout.count()));
  auto failures = reports_.take();
  if (ec != RdKafka::ERR_NO_ERROR)
    throw connectors::ConnectorError("dead-letter topic '" + topic_ + "': records not acknowledged within " +
                                     std::to_string(timeout.count()) + " ms");
  if (!failures.empty())
    throw connectors::ConnectorError("dead-letter topic '" + topic_ + "': delivery failed: " + failures.front());
  pending_.fetch_sub(sent);
}

}  // namespace ananas::rt::drivers
