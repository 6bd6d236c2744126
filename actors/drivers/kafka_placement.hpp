#pragma once
// Placement through Kafka consumer groups, as Kafka Connect's distributed
// workers share connectors: no protocol of our own, the group coordinator
// and the cooperative-sticky assignor decide.
//
// Pipelines that run whole on one worker: every worker with the same
// `group.id` joins that group and subscribes to one lease topic per pipeline
// (ananas-<pipeline>-lease, state/state_topics.hpp); the member that owns
// the pipeline's lease partition runs it. The lease partition is a hash of
// the pipeline's name over the lease topic's partitions (one on a broker
// that auto-creates topics with its default of one partition): the assignor
// deals each topic's partitions out over the members in turn, so a fixed
// partition 0 would put every pipeline on the same member whenever the
// partition count is a multiple of the member count.
//
// A pipeline of stateless operators over Kafka tables (PipelineGraph::
// splittable_topics) runs on every worker instead, each over the partitions
// of its source topics the group gives that worker. Those topics are shared
// out in a group of their own, `<group.id>.<topic>[+<topic>...]`, one per set
// of source topics: the assignor balances the *total* number of partitions
// per member, so in one group with the lease topics a worker could keep
// every partition of the source while the others hold only leases. Each
// member subscribes them paused (it never reads them), and every change of
// its share restarts the pipeline's run over the new share, drained first,
// so that the offsets committed to the source's group are where the next
// owner of a moved partition continues.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "actors/placement.hpp"
#include "connectors/kafka/group_membership.hpp"

namespace ananas::rt::drivers {

class KafkaPlacement : public Placement {
 public:
  // `log` gets one line per change of ownership and per group error.
  KafkaPlacement(connectors::kafka::GroupMembershipOptions options, std::function<void(const std::string&)> log);
  ~KafkaPlacement() override;

  void start(Events events) override;
  void add(const std::string& pipeline, const std::vector<std::string>& split_topics) override;
  void remove(const std::string& pipeline) override;
  void leave() override;
  std::string group() const override { return options_.group_id; }

  // The group that shares out `topics` among the split pipelines reading
  // exactly them.
  static std::string split_group(const std::string& group_id, const std::set<std::string>& topics);
  // The partition of a lease topic with `partitions` partitions that is the
  // pipeline's lease.
  static int32_t lease_partition(const std::string& pipeline, int partitions);

 private:
  using Topics = std::set<std::string>;
  using Share = std::set<connectors::PartitionId>;

  // Brings what runs here in line with what this member owns now (`owned`:
  // during a revocation, without the partitions being given up).
  void settle_leases(const std::vector<connectors::PartitionId>& owned, bool lost);
  void settle_split(const Topics& topics, const std::vector<connectors::PartitionId>& owned, bool lost);
  // Joins `group_id`; `settle` gets what this member owns after each change.
  std::unique_ptr<connectors::kafka::KafkaGroupMembership> join(
      const std::string& group_id, std::function<void(const std::vector<connectors::PartitionId>&, bool lost)> settle);
  Topics lease_topics() const;
  void log(const std::string& line) const;

  connectors::kafka::GroupMembershipOptions options_;
  std::function<void(const std::string&)> log_;
  Events events_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> pipeline_of_lease_;  // lease topic -> pipeline
  std::map<std::string, int32_t> lease_partition_;        // lease topic -> its lease partition, once known
  std::set<std::string> running_;                         // lease pipelines acquired here
  std::map<std::string, Topics> split_;                   // split pipeline -> its source topics
  std::map<std::string, Share> share_;                    // split pipeline -> the share its run reads
  std::unique_ptr<connectors::kafka::KafkaGroupMembership> leases_;
  std::map<Topics, std::unique_ptr<connectors::kafka::KafkaGroupMembership>> splits_;
};

}  // namespace ananas::rt::drivers
