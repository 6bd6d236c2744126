#pragma once
// Membership of a Kafka consumer group, for dividing work between processes
// the way Kafka Connect's distributed workers do: the group coordinator and
// the cooperative-sticky assignor decide who owns which partition of the
// subscribed topics; no protocol of our own. The consumer never reads
// records: ownership of a partition is the whole point.
//
// A thread of its own polls the consumer, so the rebalance callbacks run
// there. `revoked` may block (a pipeline drains, its final checkpoint made
// durable) before the partitions are given up: the group waits for it (up to
// max.poll.interval.ms), so the next owner starts from that checkpoint.
#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "connectors/connector.hpp"

namespace ananas::connectors::kafka {

struct GroupMembershipOptions {
  std::string bootstrap_servers;
  std::string group_id;
  std::string client_id;  // shown by the brokers' group tools (kafka-consumer-groups --describe)
  // How long the group waits for a member that stopped heartbeating before
  // its partitions move (Kafka Connect's session.timeout.ms default: 10 s).
  std::chrono::milliseconds session_timeout{10000};
  // librdkafka properties on top (TLS, SASL, ...), names without a prefix.
  std::map<std::string, std::string> properties;
};

struct GroupListener {
  // Partitions this member owns from now on.
  std::function<void(const std::vector<PartitionId>&)> assigned;
  // Partitions this member gives up. `lost`: the group already gave them to
  // another member (this one missed its session timeout): stop at once,
  // without a final write.
  std::function<void(const std::vector<PartitionId>&, bool lost)> revoked;
  // Something went wrong that the member cannot fix (logged by the caller).
  std::function<void(const std::string&)> error;
};

class KafkaGroupMembership {
 public:
  // Connects and starts the polling thread; joins the group once topics are
  // subscribed. Throws ConnectorError when the consumer cannot be made.
  KafkaGroupMembership(GroupMembershipOptions options, GroupListener listener);
  ~KafkaGroupMembership();  // leave()
  KafkaGroupMembership(const KafkaGroupMembership&) = delete;
  KafkaGroupMembership& operator=(const KafkaGroupMembership&) = delete;

  // Competes for the partitions of exactly these topics (a change rebalances
  // the group). Topics that do not exist are created by the brokers' auto
  // creation (allow.auto.create.topics) or wait until they exist.
  void subscribe(const std::set<std::string>& topics);
  // Gives up every partition (revoked callbacks run first) and leaves the
  // group, so that the others take over at once. Idempotent.
  void leave();
  // Runs `assigned` with no new partitions on the membership's thread, so
  // that the listener can hand what this member owns already to something
  // that competes for it from now on (a pipeline added over topics that are
  // subscribed already: no rebalance follows).
  void recheck();
  // The partition count of `topic` (the brokers' metadata; waits up to 10 s
  // for a topic being auto-created). Throws ConnectorError.
  int partition_count(const std::string& topic);

  std::vector<PartitionId> owned() const;
  const std::string& group_id() const { return options_.group_id; }

 private:
  class Rebalancer;
  void run();

  GroupMembershipOptions options_;
  GroupListener listener_;
  std::unique_ptr<Rebalancer> rebalancer_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::set<std::string> wanted_;
  bool subscription_changed_ = false;
  bool recheck_ = false;
  bool stopping_ = false;
  bool left_ = false;
  std::set<PartitionId> owned_;
};

}  // namespace ananas::connectors::kafka
