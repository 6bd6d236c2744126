#include "actors/pipeline_status.hpp"

#include <algorithm>
#include <chrono>

namespace ananas::rt {

std::string_view state_name(State s) {
  switch (s) {
    case State::Unassigned: return "UNASSIGNED";
    case State::Running: return "RUNNING";
    case State::Paused: return "PAUSED";
    case State::Restarting: return "RESTARTING";
    case State::Failed: return "FAILED";
  }
  return "?";
}

std::string_view failure_kind_name(FailureKind k) {
  switch (k) {
    case FailureKind::SourceFailed: return "source_failed";
    case FailureKind::OperatorFailed: return "operator_failed";
    case FailureKind::SinkFailed: return "sink_failed";
    case FailureKind::RestoreFailed: return "restore_failed";
    case FailureKind::StartFailed: return "start_failed";
    case FailureKind::CheckpointTimeout: return "checkpoint_timeout";
    case FailureKind::ActorExited: return "actor_exited";
    case FailureKind::SupervisorFailed: return "supervisor_failed";
    case FailureKind::CheckpointFailed: return "checkpoint_failed";
    case FailureKind::StateIncompatible: return "state_incompatible";
    case FailureKind::Fenced: return "fenced";
  }
  return "unknown";
}

StatusBoard::StatusBoard(const PipelineGraph& g) {
  status_.name = g.name;
  status_.restart_strategy = g.restart.kind_name();
  for (const auto& n : g.nodes) {
    for (int i = 0; i < n.parallelism; ++i) status_.actors.push_back({n.name, n.kind, i, State::Unassigned, 0, {}, std::nullopt});
    if (n.kind == NodeKind::Source) sources_[n.name] = {};
  }
}

PipelineStatus StatusBoard::snapshot() const {
  std::lock_guard lock(mu_);
  PipelineStatus out = status_;
  out.sources_connected = true;
  for (const auto& [_, h] : sources_) out.sources_connected &= h.connected;
  out.sources = sources_;
  return out;
}

void StatusBoard::set_state(State s) {
  std::lock_guard lock(mu_);
  status_.state = s;
  for (auto& a : status_.actors) a.state = s;
  if (s != State::Running && s != State::Paused)
    for (auto& [_, h] : sources_) h = {};
}

void StatusBoard::record_failure(const std::string& node, FailureKind kind, const std::string& trace) {
  std::lock_guard lock(mu_);
  status_.trace = node + ": " + trace;
  status_.failure_kind = kind;
  ++status_.failures_by_kind[kind];
  for (auto& a : status_.actors)
    if (a.node == node) {
      a.trace = trace;
      a.failure_kind = kind;
      ++a.failures;
    }
}

void StatusBoard::record_restart() {
  std::lock_guard lock(mu_);
  ++status_.restarts;
}

void StatusBoard::set_checkpoint(uint64_t id) {
  std::lock_guard lock(mu_);
  status_.last_checkpoint = id;
}

void StatusBoard::set_checkpoint_storage(std::string storage, std::string topic) {
  std::lock_guard lock(mu_);
  status_.checkpoints.storage = std::move(storage);
  status_.checkpoints.topic = std::move(topic);
}

void StatusBoard::record_checkpoint(uint64_t id, int64_t duration_ms, uint64_t size_bytes, uint64_t state_bytes) {
  std::lock_guard lock(mu_);
  status_.last_checkpoint = id;
  auto& c = status_.checkpoints;
  c.last_completed = id;
  c.completed_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  c.duration_ms = duration_ms;
  c.size_bytes = size_bytes;
  c.state_bytes = state_bytes;
}

void StatusBoard::record_checkpoint_failure(const std::string& message) {
  std::lock_guard lock(mu_);
  ++status_.checkpoints.failed;
  status_.checkpoints.last_failure = message;
}

void StatusBoard::set_restored_from(uint64_t id) {
  std::lock_guard lock(mu_);
  status_.checkpoints.restored_from = id;
  status_.last_checkpoint = id;
  status_.checkpoints.last_completed = id;
}

void StatusBoard::set_source_health(const std::string& node, bool connected, const std::string& waiting_for) {
  std::lock_guard lock(mu_);
  auto& h = sources_[node];
  h.connected = connected;
  h.waiting_for = waiting_for;
}

void StatusBoard::set_watermark_held(const std::string& node, const std::vector<HeldPartition>& held) {
  std::lock_guard lock(mu_);
  sources_[node].watermark_held_by = held;
}

void StatusBoard::set_placement(const std::string& group, bool runs_here, std::vector<std::string> partitions,
                                std::vector<std::string> key_groups) {
  std::lock_guard lock(mu_);
  status_.placement = PlacementStatus{group, runs_here,
                                      std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch()).count(),
                                      std::move(partitions), std::move(key_groups)};
}

void StatusBoard::set_definition(const std::string& file, const std::string& problem) {
  std::lock_guard lock(mu_);
  const bool same = status_.definition && status_.definition->problem == problem;
  const int64_t since = same ? status_.definition->problem_since_ms
                      : problem.empty()
                          ? 0
                          : std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  status_.definition = DefinitionStatus{file, problem, since};
}

namespace {

// Failed outranks restarting outranks running; paused only when all are.
int severity(State s) {
  switch (s) {
    case State::Failed: return 4;
    case State::Restarting: return 3;
    case State::Unassigned: return 2;
    case State::Running: return 1;
    case State::Paused: return 0;
  }
  return 0;
}

}  // namespace

PipelineStatus merge_shard_statuses(PipelineStatus base, const std::vector<PipelineStatus>& shards) {
  if (shards.empty()) return base;
  PipelineStatus out = shards.front();
  out.name = base.name;
  out.placement = std::move(base.placement);
  out.definition = std::move(base.definition);
  for (size_t i = 1; i < shards.size(); ++i) {
    const PipelineStatus& s = shards[i];
    if (severity(s.state) > severity(out.state)) out.state = s.state;
    out.restarts += s.restarts;
    if (out.trace.empty() && !s.trace.empty()) {
      out.trace = s.trace;
      out.failure_kind = s.failure_kind;
    }
    for (const auto& [kind, n] : s.failures_by_kind) out.failures_by_kind[kind] += n;
    // Each shard counts its own checkpoints: the one shown is the least
    // advanced shard's, so that everything before it is durable everywhere.
    CheckpointStatus& c = out.checkpoints;
    if (s.checkpoints.completed_at_ms - s.checkpoints.duration_ms < c.completed_at_ms - c.duration_ms) {
      c.last_completed = s.checkpoints.last_completed;
      c.completed_at_ms = s.checkpoints.completed_at_ms;
      c.duration_ms = s.checkpoints.duration_ms;
      out.last_checkpoint = s.last_checkpoint;
    }
    c.size_bytes += s.checkpoints.size_bytes;
    c.state_bytes += s.checkpoints.state_bytes;
    c.failed += s.checkpoints.failed;
    if (c.last_failure.empty()) c.last_failure = s.checkpoints.last_failure;
    out.actors.insert(out.actors.end(), s.actors.begin(), s.actors.end());
    out.sources_connected = out.sources_connected && s.sources_connected;
    for (const auto& [node, health] : s.sources) {
      auto [it, fresh] = out.sources.try_emplace(node, health);
      if (fresh) continue;
      it->second.connected = it->second.connected && health.connected;
      if (it->second.waiting_for.empty()) it->second.waiting_for = health.waiting_for;
      it->second.watermark_held_by.insert(it->second.watermark_held_by.end(), health.watermark_held_by.begin(),
                                          health.watermark_held_by.end());
    }
  }
  return out;
}

}  // namespace ananas::rt
