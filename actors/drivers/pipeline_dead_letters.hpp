#pragma once
// A pipeline's dead-letter topic (`on_error: dead-letter`), shared by its
// sources (records they cannot decode) and its operators (rows they fail on,
// written as the source record the row was decoded from). A record's dead
// letter goes to the brokers of the table that read it, with that table's
// security settings; tables on the same brokers share one producer, created on
// the first dead letter, so a pipeline whose records never fail opens none.
//
// At-least-once: the pipeline's sinks flush it on every checkpoint barrier
// (ConnectorSinkDriver::flush), so a checkpoint completes only once every dead
// letter sent before its barrier is acknowledged, and a failed flush fails the
// sink, hence the checkpoint: the pipeline restarts from the previous one and
// the failing rows are read and dead-lettered again, never lost.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "actors/drivers/dead_letter_producer.hpp"
#include "connectors/connector.hpp"

namespace ananas::rt::drivers {

class PipelineDeadLetters {
 public:
  PipelineDeadLetters(std::string pipeline, std::string topic);

  // The dead letters of records read by source table `table` go to the
  // brokers in `table_options` (its WITH clause, bootstrap servers resolved).
  void route(const std::string& table, const connectors::Options& table_options);
  // Sends `record`, read by `table`, unchanged with the error headers; `node`
  // names the operator that failed on its row (empty: the source could not
  // decode it). Throws ConnectorError when the record cannot be queued or the
  // table has no route.
  void send(std::string_view table, const connectors::RawRecord& record, const std::string& error,
            const std::string& node = {});
  // Waits until everything sent is acknowledged; throws ConnectorError naming
  // the first failure.
  void flush(std::chrono::milliseconds timeout);
  // Dead letters sent and not yet acknowledged by a flush.
  uint64_t pending() const;
  const std::string& topic() const { return topic_; }

 private:
  const std::string pipeline_, topic_;
  mutable std::mutex mutex_;
  std::map<std::string, connectors::Options, std::less<>> routes_;  // table -> producer options
  // By producer options; never erased, so a producer outlives the lock that found it.
  std::map<connectors::Options, std::unique_ptr<DeadLetterProducer>> producers_;
};

}  // namespace ananas::rt::drivers
