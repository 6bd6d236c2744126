#include "actors/drivers/kafka_placement.hpp"

#include <algorithm>
#include <iterator>

#include "core/murmur2.hpp"
#include "state/state_topics.hpp"

namespace ananas::rt::drivers {

using connectors::PartitionId;
using connectors::kafka::KafkaGroupMembership;

KafkaPlacement::KafkaPlacement(connectors::kafka::GroupMembershipOptions options,
                               std::function<void(const std::string&)> log)
    : options_(std::move(options)), log_(std::move(log)) {}

KafkaPlacement::~KafkaPlacement() { leave(); }

std::string KafkaPlacement::split_group(const std::string& group_id, const std::set<std::string>& topics) {
  std::string out = group_id + ".";
  for (const auto& t : topics) out += (out.back() == '.' ? "" : "+") + t;
  return out;
}

int32_t KafkaPlacement::lease_partition(const std::string& pipeline, int partitions) {
  return partitions <= 1 ? 0 : static_cast<int32_t>(kafka_partition(pipeline, static_cast<uint32_t>(partitions)));
}

void KafkaPlacement::log(const std::string& line) const {
  if (log_) log_(line);
}

std::unique_ptr<KafkaGroupMembership> KafkaPlacement::join(
    const std::string& group_id, std::function<void(const std::vector<PartitionId>&, bool lost)> settle) {
  connectors::kafka::GroupMembershipOptions options = options_;
  options.group_id = group_id;
  // The listener needs the membership it listens to; no callback runs before
  // the first subscription, which follows the construction.
  auto self = std::make_shared<KafkaGroupMembership*>(nullptr);
  connectors::kafka::GroupListener listener;
  listener.assigned = [self, settle](const std::vector<PartitionId>&) { settle((*self)->owned(), false); };
  listener.revoked = [self, settle](const std::vector<PartitionId>& given_up, bool lost) {
    // Still owned while this runs: what remains is the owned set without them.
    std::vector<PartitionId> remaining;
    for (const auto& p : (*self)->owned())
      if (std::find(given_up.begin(), given_up.end(), p) == given_up.end()) remaining.push_back(p);
    settle(remaining, lost);
  };
  listener.error = [this](const std::string& e) { log(e); };
  auto membership = std::make_unique<KafkaGroupMembership>(std::move(options), std::move(listener));
  *self = membership.get();
  return membership;
}

void KafkaPlacement::start(Events events) {
  events_ = std::move(events);
  leases_ = join(options_.group_id, [this](const auto& owned, bool lost) { settle_leases(owned, lost); });
}

KafkaPlacement::Topics KafkaPlacement::lease_topics() const {
  Topics out;
  for (const auto& [topic, _] : pipeline_of_lease_) out.insert(topic);
  return out;
}

void KafkaPlacement::add(const std::string& pipeline, const std::vector<std::string>& split_topics) {
  if (split_topics.empty()) {
    Topics topics;
    {
      std::lock_guard lock(mu_);
      pipeline_of_lease_[state::lease_topic(pipeline)] = pipeline;
      topics = lease_topics();
    }
    if (leases_) leases_->subscribe(topics);
    return;
  }
  const Topics topics(split_topics.begin(), split_topics.end());
  KafkaGroupMembership* group = nullptr;
  bool joined = false;
  {
    std::lock_guard lock(mu_);
    split_[pipeline] = topics;
    auto it = splits_.find(topics);
    if (it == splits_.end()) {
      it = splits_
               .emplace(topics, join(split_group(options_.group_id, topics),
                                     [this, topics](const auto& owned, bool lost) { settle_split(topics, owned, lost); }))
               .first;
      joined = true;
    }
    group = it->second.get();
  }
  // The membership lives until this pipeline's removal (the caller's).
  if (joined) group->subscribe(topics);
  else group->recheck();  // the share this member owns already is the new pipeline's too
}

void KafkaPlacement::remove(const std::string& pipeline) {
  std::unique_ptr<KafkaGroupMembership> unused;
  Topics topics;
  {
    std::lock_guard lock(mu_);
    // The caller drained the pipeline already: only the bookkeeping goes.
    running_.erase(pipeline);
    share_.erase(pipeline);
    if (pipeline_of_lease_.erase(state::lease_topic(pipeline))) lease_partition_.erase(state::lease_topic(pipeline));
    auto split = split_.find(pipeline);
    if (split != split_.end()) {
      const Topics read = split->second;
      split_.erase(split);
      const bool still_read = std::any_of(split_.begin(), split_.end(), [&](const auto& e) { return e.second == read; });
      auto group = splits_.find(read);
      if (!still_read && group != splits_.end()) {
        unused = std::move(group->second);
        splits_.erase(group);
      }
    }
    topics = lease_topics();
  }
  if (unused) unused->leave();  // its callbacks take the lock
  if (leases_) leases_->subscribe(topics);
}

void KafkaPlacement::leave() {
  std::vector<KafkaGroupMembership*> groups;
  {
    std::lock_guard lock(mu_);
    for (auto& [_, m] : splits_) groups.push_back(m.get());
  }
  // Memberships are destroyed only by remove and the destructor, neither of
  // which runs concurrently with leave (the worker's owner calls them).
  for (auto* m : groups) m->leave();
  if (leases_) leases_->leave();
}

void KafkaPlacement::settle_leases(const std::vector<PartitionId>& owned, bool lost) {
  // Which partition is a lease topic's lease takes its partition count: asked
  // once per topic, off the lock (a metadata request).
  std::vector<std::string> unknown;
  {
    std::lock_guard lock(mu_);
    for (const auto& p : owned)
      if (pipeline_of_lease_.count(p.topic) && !lease_partition_.count(p.topic)) unknown.push_back(p.topic);
  }
  std::map<std::string, int32_t> found;
  for (const auto& topic : unknown) {
    if (found.count(topic)) continue;
    try {
      const int partitions = leases_->partition_count(topic);
      std::string pipeline;
      {
        std::lock_guard lock(mu_);
        auto it = pipeline_of_lease_.find(topic);
        if (it == pipeline_of_lease_.end()) continue;
        pipeline = it->second;
      }
      found[topic] = lease_partition(pipeline, partitions);
    } catch (const std::exception& e) {
      log("group '" + options_.group_id + "': cannot tell which partition of '" + topic + "' is the lease: " + e.what() +
          " (retried at the next rebalance)");
    }
  }
  std::vector<std::string> acquire;
  std::vector<std::string> release;
  {
    std::lock_guard lock(mu_);
    lease_partition_.insert(found.begin(), found.end());
    std::set<std::string> wanted;
    for (const auto& p : owned) {
      auto pipeline = pipeline_of_lease_.find(p.topic);
      auto lease = lease_partition_.find(p.topic);
      if (pipeline != pipeline_of_lease_.end() && lease != lease_partition_.end() && lease->second == p.partition)
        wanted.insert(pipeline->second);
    }
    std::set_difference(running_.begin(), running_.end(), wanted.begin(), wanted.end(), std::back_inserter(release));
    std::set_difference(wanted.begin(), wanted.end(), running_.begin(), running_.end(), std::back_inserter(acquire));
    running_ = std::move(wanted);
  }
  const std::string how = lost ? " (this worker missed its session timeout: stopped without a final checkpoint)"
                               : " (draining: final checkpoint first)";
  for (const auto& pipeline : release) {
    log("pipeline '" + pipeline + "' moves to another worker of group '" + options_.group_id + "'" + how);
    if (events_.released) events_.released(pipeline, lost);
  }
  for (const auto& pipeline : acquire) {
    log("pipeline '" + pipeline + "' runs on this worker now (group '" + options_.group_id + "')");
    if (events_.acquired) events_.acquired(pipeline);
  }
}

void KafkaPlacement::settle_split(const Topics& topics, const std::vector<PartitionId>& owned, bool lost) {
  std::vector<std::pair<std::string, Share>> changed;
  {
    std::lock_guard lock(mu_);
    for (const auto& [pipeline, read] : split_) {
      if (read != topics) continue;
      Share share;
      for (const auto& p : owned)
        if (read.count(p.topic)) share.insert(p);
      auto now = share_.find(pipeline);
      if (now != share_.end() ? now->second == share : share.empty()) {
        share_[pipeline] = share;
        continue;
      }
      share_[pipeline] = share;
      changed.emplace_back(pipeline, std::move(share));
    }
  }
  const std::string group = split_group(options_.group_id, topics);
  for (const auto& [pipeline, share] : changed) {
    log("pipeline '" + pipeline + "' reads " + std::to_string(share.size()) + " partition(s) on this worker now (group '" +
        group + "')" +
        (lost ? " after losing some (this worker missed its session timeout: stopped without a final checkpoint)" : ""));
    if (events_.reassigned) events_.reassigned(pipeline, share, lost);
  }
}

}  // namespace ananas::rt::drivers
