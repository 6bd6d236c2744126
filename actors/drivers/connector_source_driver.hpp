#pragma once
// The SourceDriver of every table the worker reads: a source connector from
// the registry (kafka, datagen, plugins) + the table's SourceRowDecoder +
// per-partition watermarks.
//
//  - Every partition the connector reports is declared to the watermark
//    tracker at open, so a partition that has not delivered yet holds the
//    watermark back, as in Flink (unless the table sets an idle timeout).
//    Instances of a splittable source (Kafka) each read the partitions they
//    own and share one tracker (shared_source_watermarks.hpp).
//  - Malformed records are counted (SourcePoll::bad_records), logged to stderr
//    with topic/partition/offset and the decoder's message, and then skipped,
//    written to the dead-letter topic, or — with `on_error: fail` — thrown.
//  - With `on_error: dead-letter` each batch carries its raw records as its
//    origin (core/source_records.hpp), so the worker can dead-letter a row an
//    operator fails on with the bytes it was read from.
//  - position() is the next offset of every partition that delivered something,
//    and the decoder's marks (source_position.hpp); open(position) resumes
//    exactly there; commit() commits to the connector (the Kafka consumer group).
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "actors/drivers/pipeline_dead_letters.hpp"
#include "actors/drivers/shared_source_watermarks.hpp"
#include "actors/source_driver.hpp"
#include "connectors/connector.hpp"
#include "operators/watermark.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/graph/source_rows.hpp"

namespace ananas::rt::drivers {

struct SourceDriverSpec {
  std::string pipeline;
  std::string connector;           // registry name: kafka, datagen, ...
  connectors::Options options;     // WITH clause, bootstrap servers resolved
  pipeline::OnError on_error = pipeline::OnError::Skip;
  std::optional<std::string> dead_letter_topic;  // with OnError::DeadLetter
  // The pipeline's dead letters, shared with its operators and flushed by its
  // sinks on every checkpoint; null: the driver makes its own at open.
  std::shared_ptr<PipelineDeadLetters> dead_letters;
  // A batch leaves the source with at most this many records, or once their
  // bytes reach max_batch_bytes (0: no byte bound), or when nothing more is
  // queued right now, whichever comes first (worker config source.batch.max.*).
  size_t max_batch_rows = 1000;
  size_t max_batch_bytes = 1 << 20;
  // How records become rows; null: the table's format (BuiltSource::make_decoder).
  // A keyed exchange's reading side sets its own (pipelines/graph/exchange_rows.hpp).
  std::function<std::unique_ptr<pipeline::RecordDecoder>()> make_decoder;
};

class ConnectorSourceDriver : public SourceDriver {
 public:
  // `built` must outlive the driver (the factory keeps it alive).
  ConnectorSourceDriver(SourceDriverSpec spec, std::shared_ptr<const pipeline::BuiltSource> built);
  ~ConnectorSourceDriver() override;

  void set_instance(int index, int count, std::shared_ptr<SourceShared>& shared) override;
  void set_owned_partitions(std::shared_ptr<const std::set<connectors::PartitionId>> owned) override {
    owned_ = std::move(owned);
  }
  void keep_origin() override { keep_origin_ = true; }
  void open(const std::optional<std::string>& position) override;
  SourcePoll poll(std::chrono::milliseconds timeout) override;
  std::string position() const override;
  void commit(const std::string& position, bool final) override;
  void on_partition_start(std::function<void(const connectors::PartitionId&, bool drained)> listener) override {
    on_partition_start_ = std::move(listener);
  }
  bool connected() const override { return connector_ && connector_->reachable(); }
  std::string waiting_for() const override { return connector_ ? connector_->waiting_for() : std::string(); }
  std::vector<HeldPartition> watermark_held_by() const override;

 private:
  // Handles one record that could not be decoded; returns normally to skip it.
  void reject(const connectors::RawRecord& record, const std::string& message);
  std::vector<PartitionLag> current_lag() const;

  SourceDriverSpec spec_;
  std::shared_ptr<const pipeline::BuiltSource> built_;
  std::unique_ptr<pipeline::RecordDecoder> decoder_;
  std::unique_ptr<connectors::SourceConnector> connector_;
  std::shared_ptr<PipelineDeadLetters> dead_letters_;
  int instance_ = 0, instances_ = 1;
  std::shared_ptr<const std::set<connectors::PartitionId>> owned_;  // null: every partition
  bool keep_origin_ = false;                                        // rows keep their source records
  std::function<void(const connectors::PartitionId&, bool)> on_partition_start_;
  std::shared_ptr<SharedSourceWatermarks> watermarks_;  // every instance's partitions
  connectors::PartitionOffsets next_offsets_;            // this instance's partitions only
};

}  // namespace ananas::rt::drivers
