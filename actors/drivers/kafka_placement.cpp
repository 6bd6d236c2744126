#include "actors/drivers/kafka_placement.hpp"

#include "state/state_topics.hpp"

namespace ananas::rt::drivers {

namespace {
// The lease is partition 0: a lease topic the brokers auto-created with
// several partitions (the development broker makes 4) still has one owner.
constexpr int32_t kLeasePartition = 0;
}  // namespace

KafkaPlacement::KafkaPlacement(connectors::kafka::GroupMembershipOptions options,
                               std::function<void(const std::string&)> log)
    : options_(std::move(options)), log_(std::move(log)) {}

KafkaPlacement::~KafkaPlacement() { leave(); }

void KafkaPlacement::start(Events events) {
  events_ = std::move(events);
  connectors::kafka::GroupListener listener;
  listener.assigned = [this](const auto& ps) { on_assigned(ps); };
  listener.revoked = [this](const auto& ps, bool lost) { on_revoked(ps, lost); };
  listener.error = [this](const std::string& e) {
    if (log_) log_(e);
  };
  membership_ = std::make_unique<connectors::kafka::KafkaGroupMembership>(options_, std::move(listener));
}

std::set<std::string> KafkaPlacement::lease_topics() const {
  std::set<std::string> out;
  for (const auto& [topic, _] : pipeline_of_topic_) out.insert(topic);
  return out;
}

void KafkaPlacement::add(const std::string& pipeline) {
  std::set<std::string> topics;
  {
    std::lock_guard lock(mu_);
    pipeline_of_topic_[state::lease_topic(pipeline)] = pipeline;
    topics = lease_topics();
  }
  if (membership_) membership_->subscribe(topics);
}

void KafkaPlacement::remove(const std::string& pipeline) {
  std::set<std::string> topics;
  {
    std::lock_guard lock(mu_);
    pipeline_of_topic_.erase(state::lease_topic(pipeline));
    topics = lease_topics();
  }
  if (membership_) membership_->subscribe(topics);
}

void KafkaPlacement::leave() {
  if (membership_) membership_->leave();
}

void KafkaPlacement::on_assigned(const std::vector<connectors::PartitionId>& partitions) {
  for (const auto& p : partitions) {
    if (p.partition != kLeasePartition) continue;
    std::string pipeline;
    {
      std::lock_guard lock(mu_);
      auto it = pipeline_of_topic_.find(p.topic);
      if (it == pipeline_of_topic_.end()) continue;  // removed meanwhile
      pipeline = it->second;
    }
    if (log_) log_("pipeline '" + pipeline + "' runs on this worker now (group '" + options_.group_id + "')");
    if (events_.acquired) events_.acquired(pipeline);
  }
}

void KafkaPlacement::on_revoked(const std::vector<connectors::PartitionId>& partitions, bool lost) {
  for (const auto& p : partitions) {
    if (p.partition != kLeasePartition) continue;
    std::string pipeline;
    {
      std::lock_guard lock(mu_);
      auto it = pipeline_of_topic_.find(p.topic);
      // A removed pipeline was drained by its removal: only the name is needed.
      pipeline = it != pipeline_of_topic_.end() ? it->second : std::string();
    }
    if (pipeline.empty()) continue;
    if (log_)
      log_("pipeline '" + pipeline + "' moves to another worker of group '" + options_.group_id + "'" +
           (lost ? " (this worker missed its session timeout: stopped without a final checkpoint)"
                 : " (draining: final checkpoint first)"));
    if (events_.released) events_.released(pipeline, lost);
  }
}

}  // namespace ananas::rt::drivers
