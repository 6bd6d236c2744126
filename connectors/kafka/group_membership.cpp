#include "connectors/kafka/group_membership.hpp"

#include <cstdlib>
#include <utility>

#include "connectors/kafka/kafka_config.hpp"
#include "connectors/kafka/kafka_topics.hpp"

namespace ananas::connectors::kafka {

namespace {

constexpr int kPollMs = 100;

std::vector<PartitionId> to_ids(const std::vector<RdKafka::TopicPartition*>& tps) {
  std::vector<PartitionId> out;
  out.reserve(tps.size());
  for (const RdKafka::TopicPartition* tp : tps) out.push_back({tp->topic(), tp->partition()});
  return out;
}

}  // namespace

// librdkafka calls this from consume() and close(), on the membership's own
// thread. With the cooperative protocol only the partitions that move are
// named: the rest stay owned and untouched.
class KafkaGroupMembership::Rebalancer : public RdKafka::RebalanceCb {
 public:
  explicit Rebalancer(KafkaGroupMembership& m) : m_(m) {}

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override {
    const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
    const std::vector<PartitionId> ids = to_ids(partitions);
    if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
      std::unique_ptr<RdKafka::Error> e(cooperative ? consumer->incremental_assign(partitions) : nullptr);
      if (!cooperative) consumer->assign(partitions);
      if (e) report("cannot take partitions: " + e->str());
      // Owned, never read: the pipelines' own consumers read them.
      if (!partitions.empty()) consumer->pause(partitions);
      {
        std::lock_guard lock(m_.mu_);
        m_.owned_.insert(ids.begin(), ids.end());
      }
      if (m_.listener_.assigned && !ids.empty()) m_.listener_.assigned(ids);
      return;
    }
    // Revoked (or lost): whoever used them stops first, then they are given up.
    const bool lost = consumer->assignment_lost();
    if (m_.listener_.revoked && !ids.empty()) m_.listener_.revoked(ids, lost);
    {
      std::lock_guard lock(m_.mu_);
      for (const PartitionId& p : ids) m_.owned_.erase(p);
    }
    std::unique_ptr<RdKafka::Error> e(cooperative ? consumer->incremental_unassign(partitions) : nullptr);
    if (!cooperative) consumer->unassign();
    if (e) report("cannot give partitions up: " + e->str());
  }

 private:
  void report(const std::string& what) {
    if (m_.listener_.error) m_.listener_.error("group '" + m_.options_.group_id + "': " + what);
  }
  KafkaGroupMembership& m_;
};

KafkaGroupMembership::KafkaGroupMembership(GroupMembershipOptions options, GroupListener listener)
    : options_(std::move(options)), listener_(std::move(listener)), rebalancer_(std::make_unique<Rebalancer>(*this)) {
  Options table;  // make_conf reads the table-style `properties.*` options
  table["properties.bootstrap.servers"] = options_.bootstrap_servers;
  for (const auto& [k, v] : options_.properties) table[kPropertiesPrefix + k] = v;
  std::unique_ptr<RdKafka::Conf> conf = make_conf(
      table, {
                 {"group.id", options_.group_id},
                 {"client.id", options_.client_id.empty() ? options_.group_id : options_.client_id},
                 // Incremental rebalances: a member joining or leaving moves only
                 // the partitions that must move; the others keep running.
                 {"partition.assignment.strategy", "cooperative-sticky"},
                 {"session.timeout.ms", std::to_string(options_.session_timeout.count())},
                 {"heartbeat.interval.ms", std::to_string(std::max<int64_t>(100, options_.session_timeout.count() / 5))},
                 {"enable.auto.commit", "false"},
                 {"enable.auto.offset.store", "false"},
                 {"enable.partition.eof", "false"},
                 // The partitions are leases, not data: fetch as little as possible.
                 {"fetch.wait.max.ms", "1000"},
                 {"allow.auto.create.topics", "true"},
                 {"log_level", "3"},
             });
  std::string err;
  if (const char* debug = std::getenv("ANANAS_GROUP_DEBUG")) conf->set("debug", debug, err);
  if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(rebalancer_.get()), err) != RdKafka::Conf::CONF_OK)
    throw ConnectorError("group '" + options_.group_id + "': " + err);
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer_) throw ConnectorError("cannot join group '" + options_.group_id + "': " + err);
  thread_ = std::thread([this] { run(); });
}

KafkaGroupMembership::~KafkaGroupMembership() { leave(); }

void KafkaGroupMembership::subscribe(const std::set<std::string>& topics) {
  {
    std::lock_guard lock(mu_);
    if (topics == wanted_) return;
    wanted_ = topics;
    subscription_changed_ = true;
  }
  wake_.notify_all();
}

void KafkaGroupMembership::recheck() {
  {
    std::lock_guard lock(mu_);
    recheck_ = true;
  }
  wake_.notify_all();
}

int KafkaGroupMembership::partition_count(const std::string& topic) {
  return kafka::partition_count(*consumer_, topic, false, std::chrono::seconds(10));
}

std::vector<PartitionId> KafkaGroupMembership::owned() const {
  std::lock_guard lock(mu_);
  return {owned_.begin(), owned_.end()};
}

void KafkaGroupMembership::run() {
  while (true) {
    std::set<std::string> topics;
    bool change = false;
    bool recheck = false;
    {
      std::unique_lock lock(mu_);
      if (stopping_) break;
      if (!subscription_changed_ && wanted_.empty())  // nothing to own: wait for a subscription
        wake_.wait_for(lock, std::chrono::milliseconds(kPollMs), [this] { return stopping_ || subscription_changed_; });
      if (stopping_) break;
      change = subscription_changed_;
      subscription_changed_ = false;
      recheck = std::exchange(recheck_, false);
      topics = wanted_;
    }
    if (recheck && listener_.assigned) listener_.assigned({});
    if (change) {
      const RdKafka::ErrorCode ec =
          topics.empty() ? consumer_->unsubscribe() : consumer_->subscribe({topics.begin(), topics.end()});
      if (ec != RdKafka::ERR_NO_ERROR && listener_.error)
        listener_.error("group '" + options_.group_id + "': cannot subscribe: " + RdKafka::err2str(ec));
    }
    if (topics.empty() && !change) continue;
    // Runs the rebalance callbacks; the lease topics carry no records.
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(kPollMs));
    if (m && m->err() != RdKafka::ERR_NO_ERROR && m->err() != RdKafka::ERR__TIMED_OUT &&
        m->err() != RdKafka::ERR__PARTITION_EOF && listener_.error)
      listener_.error("group '" + options_.group_id + "': " + m->errstr());
  }
  // close() revokes what is still owned through the callback, then leaves.
  consumer_->close();
}

void KafkaGroupMembership::leave() {
  {
    std::lock_guard lock(mu_);
    if (left_) return;
    left_ = true;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ananas::connectors::kafka
