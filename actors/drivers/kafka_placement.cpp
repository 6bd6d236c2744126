#include "actors/drivers/kafka_placement.hpp"

#include <algorithm>

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

std::set<std::string> KafkaPlacement::subscription() const {
  std::set<std::string> out;
  for (const auto& [topic, _] : pipeline_of_topic_) out.insert(topic);
  for (const auto& [_, topics] : split_) out.insert(topics.begin(), topics.end());
  return out;
}

std::map<std::string, std::set<connectors::PartitionId>> KafkaPlacement::shares(
    const std::vector<connectors::PartitionId>& partitions, const std::vector<connectors::PartitionId>& owned) const {
  std::map<std::string, std::set<connectors::PartitionId>> out;
  for (const auto& [pipeline, split_topics] : split_) {
    const auto& topics = split_topics;  // clang 14 cannot capture a structured binding
    auto reads = [&](const connectors::PartitionId& p) {
      return std::find(topics.begin(), topics.end(), p.topic) != topics.end();
    };
    if (std::none_of(partitions.begin(), partitions.end(), reads)) continue;
    auto& share = out[pipeline];
    for (const auto& p : owned)
      if (reads(p)) share.insert(p);
  }
  return out;
}

void KafkaPlacement::add(const std::string& pipeline, const std::vector<std::string>& split_topics) {
  std::set<std::string> topics;
  {
    std::lock_guard lock(mu_);
    if (split_topics.empty()) pipeline_of_topic_[state::lease_topic(pipeline)] = pipeline;
    else split_[pipeline] = split_topics;
    topics = subscription();
  }
  if (membership_) membership_->subscribe(topics);
}

void KafkaPlacement::remove(const std::string& pipeline) {
  std::set<std::string> topics;
  {
    std::lock_guard lock(mu_);
    pipeline_of_topic_.erase(state::lease_topic(pipeline));
    split_.erase(pipeline);
    topics = subscription();
  }
  if (membership_) membership_->subscribe(topics);
}

void KafkaPlacement::leave() {
  if (membership_) membership_->leave();
}

void KafkaPlacement::on_assigned(const std::vector<connectors::PartitionId>& partitions) {
  std::map<std::string, std::set<connectors::PartitionId>> changed;
  {
    std::lock_guard lock(mu_);
    changed = shares(partitions, membership_->owned());  // `partitions` are owned already
  }
  for (const auto& [pipeline, share] : changed) {
    if (log_)
      log_("pipeline '" + pipeline + "' reads " + std::to_string(share.size()) + " partition(s) on this worker now (group '" +
           options_.group_id + "')");
    if (events_.reassigned) events_.reassigned(pipeline, share, false);
  }
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
  std::map<std::string, std::set<connectors::PartitionId>> changed;
  {
    std::lock_guard lock(mu_);
    // Still owned while this runs: the share is what remains without them.
    std::vector<connectors::PartitionId> remaining;
    for (const auto& p : membership_->owned())
      if (std::find(partitions.begin(), partitions.end(), p) == partitions.end()) remaining.push_back(p);
    changed = shares(partitions, remaining);
  }
  for (const auto& [pipeline, share] : changed) {
    if (log_)
      log_("pipeline '" + pipeline + "' gives partitions up to another worker of group '" + options_.group_id + "'" +
           (lost ? " (this worker missed its session timeout: stopped without a final checkpoint)"
                 : " (draining: final checkpoint first)") +
           "; " + std::to_string(share.size()) + " remain here");
    if (events_.reassigned) events_.reassigned(pipeline, share, lost);
  }
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
