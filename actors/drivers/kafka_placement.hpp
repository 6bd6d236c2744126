#pragma once
// Placement through a Kafka consumer group, as Kafka Connect's distributed
// workers share connectors: every worker with the same `group.id` joins the
// group and subscribes to one lease topic per pipeline
// (ananas-<pipeline>-lease, state/state_topics.hpp); the member the
// cooperative-sticky assignor gives partition 0 of a pipeline's lease topic
// runs that pipeline. The assignor balances partitions over the members, so
// pipelines spread over the workers; when a worker leaves (SIGTERM: after its
// pipelines drained) or dies (after the session timeout), its leases move and
// the new owners resume from the last completed checkpoints.
//
// A pipeline of stateless operators over Kafka tables (PipelineGraph::
// splittable_topics) runs on every worker instead, each over the partitions
// of its source topics the group gives that worker: the worker's consumer
// subscribes those topics too (paused: it never reads them) and every change
// of its share restarts the pipeline's run over the new share, drained first,
// so that the offsets committed to the source's group are where the next
// owner of a moved partition continues.
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

 private:
  void on_assigned(const std::vector<connectors::PartitionId>& partitions);
  void on_revoked(const std::vector<connectors::PartitionId>& partitions, bool lost);
  std::set<std::string> subscription() const;
  // Split pipelines reading any of `partitions`' topics, with their share of
  // `owned` (every partition this member owns).
  std::map<std::string, std::set<connectors::PartitionId>> shares(
      const std::vector<connectors::PartitionId>& partitions, const std::vector<connectors::PartitionId>& owned) const;

  connectors::kafka::GroupMembershipOptions options_;
  std::function<void(const std::string&)> log_;
  Events events_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> pipeline_of_topic_;  // lease topic -> pipeline
  std::map<std::string, std::vector<std::string>> split_;  // split pipeline -> its source topics
  std::unique_ptr<connectors::kafka::KafkaGroupMembership> membership_;
};

}  // namespace ananas::rt::drivers
