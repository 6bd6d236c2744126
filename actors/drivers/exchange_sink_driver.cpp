#include "actors/drivers/exchange_sink_driver.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <stdexcept>

#include "actors/drivers/exchange_topic.hpp"
#include "connectors/connector_registry.hpp"
#include "connectors/kafka/kafka_config.hpp"
#include "connectors/kafka/kafka_topics.hpp"
#include "core/key_group.hpp"
#include "core/log.hpp"
#include "operators/operator.hpp"

namespace ananas::rt::drivers {

namespace {

// A source partition as the partials are kept by: its topic's index in the
// stamps (ExchangeRowStamp::topic) and its number.
int64_t source_key(uint32_t topic, int32_t partition) { return (int64_t{topic} << 32) | static_cast<uint32_t>(partition); }

}  // namespace

ExchangeSinkDriver::ExchangeSinkDriver(ExchangeSinkSpec spec) : spec_(std::move(spec)), stamper_(spec_.source_topics) {}

ExchangeSinkDriver::~ExchangeSinkDriver() {
  if (sink_) sink_->close();
}

void ExchangeSinkDriver::open() {
  // A short-lived client for the source topics' metadata; the rows go through the
  // `kafka` sink connector (idempotent producer, explicit partitions).
  auto conf = connectors::kafka::make_conf(spec_.kafka, {{"client.id", "ananas-" + spec_.pipeline + "-exchange"}});
  std::string err;
  std::unique_ptr<RdKafka::Producer> admin(RdKafka::Producer::create(conf.get(), err));
  if (!admin) throw connectors::ConnectorError("exchange '" + spec_.topic + "': cannot create a Kafka client: " + err);
  partitions_ = ensure_exchange_topic(spec_.kafka, spec_.pipeline, spec_.topic, spec_.partitions, spec_.timeout);
  shares_.clear();
  for (const std::string& topic : spec_.source_topics) {
    dataflow::ExchangeTopicShare share;
    share.topic = topic;
    share.partitions = static_cast<uint32_t>(connectors::kafka::partition_count(*admin, topic, true, spec_.timeout));
    for (uint32_t p = 0; p < share.partitions; ++p)
      if (!owned_ || owned_->count(connectors::PartitionId{topic, static_cast<int32_t>(p)}))
        share.owned.push_back(static_cast<int32_t>(p));
    shares_.push_back(std::move(share));
  }
  if (spec_.make_combiner) {
    combiner_ = spec_.make_combiner();
    last_folded_.clear();
    replay_end_.clear();
    drain_checked_.clear();
    for (uint32_t t = 0; t < shares_.size(); ++t)
      for (int32_t p : shares_[t].owned) {
        int64_t low = 0, high = 0;
        const RdKafka::ErrorCode ec = admin->query_watermark_offsets(shares_[t].topic, p, &low, &high,
                                                                     static_cast<int>(spec_.timeout.count()));
        if (ec != RdKafka::ERR_NO_ERROR)
          throw connectors::ConnectorError("exchange '" + spec_.topic + "': cannot read the end offset of " +
                                           shares_[t].topic + "[" + std::to_string(p) + "]: " + RdKafka::err2str(ec));
        replay_end_[source_key(t, p)] = high;
      }
  }
  connectors::Options options;
  for (const auto& [key, value] : spec_.kafka)
    if (key.rfind(connectors::kafka::kPropertiesPrefix, 0) == 0) options[key] = value;
  options["topic"] = spec_.topic;
  connectors::ConnectorContext context;
  context.pipeline = spec_.pipeline;
  context.table = spec_.node;
  context.note = [pipeline = spec_.pipeline](const std::string& note) { log::info(pipeline, note); };
  sink_ = connectors::default_registry().create_sink("kafka", options, context);
}

uint64_t ExchangeSinkDriver::write(const BatchPtr& batch) {
  if (!sink_) throw std::logic_error("exchange sink written before open()");
  if (!batch) return 0;
  const size_t width = batch->num_columns();
  if (spec_.columns && carried_.size() != width) {
    carried_.assign(width, false);
    for (size_t c : *spec_.columns)
      if (c < width) carried_[c] = true;
    scratch_.assign(width, Value::null());
  }
  for (size_t r = 0; r < batch->num_rows(); ++r) {
    const Value* row = batch->row(r);
    if (!carried_.empty()) {
      for (size_t c = 0; c < width; ++c) scratch_[c] = carried_[c] ? row[c] : Value::null();
      row = scratch_.data();
    }
    const uint32_t group = key_group_of_row(row, spec_.key_columns, kDefaultKeyGroups);
    const auto partition = static_cast<int32_t>(
        instance_of_key_group(group, static_cast<uint32_t>(partitions_), kDefaultKeyGroups));
    const std::optional<dataflow::ExchangeRowStamp> stamp = stamper_.stamp(batch->source_record(r));
    if (combiner_ && stamp) {
      const int64_t source = source_key(stamp->topic, stamp->partition);
      if (stamp->offset >= replay_end(source)) {
        if (combiner_->add(source, partition, row, batch->kind(r))) {
          last_folded_[source] = *stamp;
          ++folding_.rows;
          continue;
        }
        flush_partials(source);  // everything before this row reaches the reader first
      }
    }
    record_.clear();
    if (!stamp && !warned_unstamped_) {
      warned_unstamped_ = true;
      log::warn(spec_.pipeline, "exchange '" + spec_.node + "': rows without their source record cross the exchange "
                                "unstamped; after a restart of this part, the keyed part may count them twice");
    }
    dataflow::encode_exchange_row(batch->kind(r), row, width, record_, stamp ? &*stamp : nullptr);
    sink_->write(std::nullopt, record_, partition);
  }
  if (combiner_ && combiner_->full()) flush_all_partials();
  return 0;
}

int64_t ExchangeSinkDriver::replay_end(int64_t source) {
  // Read at the first row: the source set it before reading the partition.
  if (drain_checked_.insert(source).second && spec_.drained_starts) {
    const auto topic = static_cast<size_t>(source >> 32);
    const auto partition = static_cast<int32_t>(source & 0xFFFFFFFF);
    if (topic < spec_.source_topics.size() &&
        spec_.drained_starts->drained(connectors::PartitionId{spec_.source_topics[topic], partition}))
      replay_end_[source] = 0;  // nothing of it was sent past where this run starts
  }
  auto it = replay_end_.find(source);
  return it == replay_end_.end() ? 0 : it->second;
}

void ExchangeSinkDriver::flush_partials(int64_t source) {
  std::vector<ops::WindowPartial> partials = combiner_->take(source);
  if (partials.empty()) return;
  folding_.partials += partials.size();
  const dataflow::ExchangeRowStamp& stamp = last_folded_.at(source);
  // take() orders them by target: one record per exchange partition.
  for (size_t i = 0; i < partials.size();) {
    const int32_t target = partials[i].target;
    views_.clear();
    for (; i < partials.size() && partials[i].target == target; ++i)
      views_.push_back({partials[i].cells, partials[i].state});
    record_.clear();
    dataflow::encode_exchange_partials(stamp, views_, record_);
    sink_->write(std::nullopt, record_, target);
  }
}

void ExchangeSinkDriver::flush_all_partials() {
  for (int64_t source : combiner_->sources()) flush_partials(source);
}

void ExchangeSinkDriver::on_watermark(int64_t watermark) {
  if (!sink_ || watermark == ops::kMinWatermark) return;
  if (combiner_) {
    combiner_->set_watermark(watermark);
    if (combiner_->flush_due()) flush_all_partials();  // Flink's local window aggregate flushes on progress too
  }
  const std::string record = dataflow::encode_exchange_watermark({watermark, shares_});
  for (int32_t p = 0; p < partitions_; ++p) sink_->write(std::nullopt, record, p);
}

void ExchangeSinkDriver::flush() {
  if (!sink_) return;
  if (combiner_) flush_all_partials();  // a checkpoint's offsets cover nothing still folded here
  auto failures = sink_->flush(spec_.timeout);
  if (!failures.empty())
    throw std::runtime_error("exchange '" + spec_.node + "': " + std::to_string(failures.size()) +
                             " record(s) not delivered to '" + spec_.topic + "': " + failures.front().message);
  if (spec_.dead_letters) spec_.dead_letters->flush(spec_.timeout);
}

}  // namespace ananas::rt::drivers
