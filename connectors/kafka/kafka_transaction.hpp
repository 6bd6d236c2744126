#pragma once
// Exactly-once delivery (`sink.delivery-guarantee = 'exactly-once'`): one
// transactional producer per pipeline, shared by its exactly-once sinks and
// its durable checkpoint storage, so that one checkpoint's output records,
// changelog records and checkpoint record (with the sources' positions) are
// committed in one Kafka transaction, or not at all.
//
// Lifecycle (driven by the pipeline's state actor):
//   begin()   the first time init_transactions (fences an older instance
//             with the same transactional.id and aborts what it left open),
//             then begin_transaction; an open transaction is aborted first
//             (a restart discards the output of the checkpoint it lost);
//   commit()  commit_transaction (flushes everything produced), then the
//             caller begins the next one.
// Sinks produce() from their own threads while a transaction is open; a
// delivery report goes to the DeliveryReportCb passed as the record's opaque
// (the storage's, which needs the offsets), else it is counted as a failure
// that fails the commit.
//
// After a fatal error (fenced by another instance with the same id) the
// producer cannot be used again: every call throws TransactionFenced, and
// the pipeline must stop rather than fence the other instance in turn.
#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "connectors/connector.hpp"

namespace ananas::connectors::kafka {

struct TransactionFenced : ConnectorError {
  using ConnectorError::ConnectorError;
};

class KafkaTransaction {
 public:
  // `kafka`: properties.* options with properties.bootstrap.servers.
  KafkaTransaction(const Options& kafka, std::string transactional_id,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~KafkaTransaction();

  const std::string& transactional_id() const { return id_; }
  RdKafka::Producer& producer() { return *producer_; }

  void begin();
  void commit();
  // Throws TransactionFenced when the producer is fatally failed.
  void check_usable();

 private:
  class Reports : public RdKafka::DeliveryReportCb {
   public:
    void dr_cb(RdKafka::Message& m) override;
    std::string take_failure();

   private:
    std::mutex mu_;
    std::string failure_;
  };
  [[noreturn]] void raise(const std::string& what, const RdKafka::Error* error);

  std::string id_;
  std::chrono::milliseconds timeout_;
  Reports reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  bool initialized_ = false;
  bool open_ = false;
  std::string fatal_;
};

}  // namespace ananas::connectors::kafka
