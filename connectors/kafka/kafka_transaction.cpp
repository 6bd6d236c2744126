#include "connectors/kafka/kafka_transaction.hpp"

#include "connectors/kafka/kafka_config.hpp"

namespace ananas::connectors::kafka {

void KafkaTransaction::Reports::dr_cb(RdKafka::Message& m) {
  if (auto* owner = static_cast<RdKafka::DeliveryReportCb*>(m.msg_opaque())) {
    owner->dr_cb(m);
    return;
  }
  if (m.err() == RdKafka::ERR_NO_ERROR) return;
  std::lock_guard lock(mu_);
  if (failure_.empty()) failure_ = m.topic_name() + "[" + std::to_string(m.partition()) + "]: " + m.errstr();
}

std::string KafkaTransaction::Reports::take_failure() {
  std::lock_guard lock(mu_);
  return std::exchange(failure_, {});
}

KafkaTransaction::KafkaTransaction(const Options& kafka, std::string transactional_id,
                                   std::chrono::milliseconds timeout)
    : id_(std::move(transactional_id)), timeout_(timeout) {
  auto conf = make_conf(kafka, {
                                   {"client.id", id_},
                                   {"transactional.id", id_},
                                   {"enable.idempotence", "true"},
                                   {"acks", "all"},
                                   {"partitioner", "murmur2_random"},
                                   {"linger.ms", "5"},
                               });
  std::string err;
  if (conf->set("dr_cb", static_cast<RdKafka::DeliveryReportCb*>(&reports_), err) != RdKafka::Conf::CONF_OK)
    throw ConnectorError("cannot install the delivery report callback: " + err);
  producer_.reset(RdKafka::Producer::create(conf.get(), err));
  if (!producer_) throw ConnectorError("cannot create the transactional producer '" + id_ + "': " + err);
}

KafkaTransaction::~KafkaTransaction() {
  // An open transaction is left to the broker's transaction timeout (or the
  // next instance's init) to abort: committing here would publish output of
  // a checkpoint that never completed.
  if (producer_ && open_ && fatal_.empty()) {
    if (RdKafka::Error* e = producer_->abort_transaction(1000)) delete e;
  }
}

void KafkaTransaction::raise(const std::string& what, const RdKafka::Error* error) {
  std::string message = "transactional producer '" + id_ + "': " + what;
  if (error) message += ": " + error->str();
  if (error && error->is_fatal()) {
    fatal_ = message +
             " (another worker with the same sink.transactional-id-prefix took over this pipeline, or the "
             "transaction timed out)";
    throw TransactionFenced(fatal_);
  }
  throw ConnectorError(message);
}

void KafkaTransaction::check_usable() {
  if (!fatal_.empty()) throw TransactionFenced(fatal_);
  std::string fatal;
  if (producer_->fatal_error(fatal) != RdKafka::ERR_NO_ERROR) {
    fatal_ = "transactional producer '" + id_ + "': " + fatal +
             " (another worker with the same sink.transactional-id-prefix took over this pipeline?)";
    throw TransactionFenced(fatal_);
  }
}

void KafkaTransaction::begin() {
  check_usable();
  const int ms = static_cast<int>(timeout_.count());
  if (!initialized_) {
    std::unique_ptr<RdKafka::Error> e(producer_->init_transactions(ms));
    if (e) raise("cannot initialize transactions", e.get());
    initialized_ = true;
  }
  if (open_) {
    std::unique_ptr<RdKafka::Error> e(producer_->abort_transaction(ms));
    if (e) raise("cannot abort the open transaction", e.get());
    open_ = false;
    reports_.take_failure();  // the aborted records' failures no longer matter
  }
  std::unique_ptr<RdKafka::Error> e(producer_->begin_transaction());
  if (e) raise("cannot begin a transaction", e.get());
  open_ = true;
}

void KafkaTransaction::commit() {
  check_usable();
  if (!open_) throw ConnectorError("transactional producer '" + id_ + "': no transaction to commit");
  // Delivery failures of sink records fail the commit (librdkafka makes the
  // transaction abortable); the first one is the useful message.
  std::unique_ptr<RdKafka::Error> e(producer_->commit_transaction(static_cast<int>(timeout_.count())));
  const std::string failure = reports_.take_failure();
  if (e) raise("cannot commit" + (failure.empty() ? std::string() : " (" + failure + ")"), e.get());
  open_ = false;
  if (!failure.empty()) throw ConnectorError("transactional producer '" + id_ + "': a record failed: " + failure);
}

}  // namespace ananas::connectors::kafka
