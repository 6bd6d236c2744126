#pragma once
// What GET /pipelines/{name}/status reports, in Kafka Connect's vocabulary.
// The supervisor writes a StatusBoard; the Worker and the HTTP server read it
// without messaging actors (so a busy or failing pipeline never blocks REST).
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "actors/pipeline_graph.hpp"

namespace ananas::rt {

enum class State { Unassigned, Running, Paused, Restarting, Failed };
std::string_view state_name(State s);  // "RUNNING", ...

// Why something failed. The actors end with an error of this kind (an error
// code registered with the actor system), so the status and the
// ananas_pipeline_failures_total counter can tell failures apart by kind.
enum class FailureKind : uint8_t {
  SourceFailed = 1,   // a source's driver threw (open, poll, commit)
  OperatorFailed,     // an operator threw on a batch, a watermark or a snapshot
  SinkFailed,         // a sink's driver threw (open, write, flush)
  RestoreFailed,      // an operator could not restore its checkpointed state
  StartFailed,        // building the pipeline failed (a factory threw or returned nothing)
  CheckpointTimeout,  // the final checkpoint of a stop did not complete in time
  ActorExited,        // an actor ended without an error of ours (killed, or lost)
  SupervisorFailed,   // the supervisor itself threw
};
inline constexpr FailureKind kLastFailureKind = FailureKind::SupervisorFailed;
std::string_view failure_kind_name(FailureKind k);  // "source_failed", ...

struct ActorStatus {
  std::string node;
  NodeKind kind = NodeKind::Operator;
  int instance = 0;
  State state = State::Unassigned;
  uint64_t failures = 0;  // failures of this actor (each one fails the whole pipeline over)
  std::string trace;      // last error of this actor
  std::optional<FailureKind> failure_kind;  // kind of the last error of this actor
};

struct PipelineStatus {
  std::string name;
  State state = State::Unassigned;
  uint64_t restarts = 0;
  std::string trace;  // last error (any actor), empty if none
  std::optional<FailureKind> failure_kind;          // kind of that last error
  std::map<FailureKind, uint64_t> failures_by_kind;  // every failure so far, by kind
  std::string restart_strategy;
  uint64_t last_checkpoint = 0;  // id of the last completed checkpoint, 0 if none
  std::vector<ActorStatus> actors;
  bool sources_connected = false;
};

class StatusBoard {
 public:
  explicit StatusBoard(const PipelineGraph& g);
  PipelineStatus snapshot() const;

  // Sets the pipeline and every actor to `s` (actors keep their own traces).
  void set_state(State s);
  // `node` may also be "(pipeline)" or "(supervisor)": no actor's own status changes then.
  void record_failure(const std::string& node, FailureKind kind, const std::string& trace);
  void record_restart();
  void set_checkpoint(uint64_t id);
  void set_source_connected(const std::string& node, bool connected);

 private:
  mutable std::mutex mu_;
  PipelineStatus status_;
  std::map<std::string, bool> connected_;
};

}  // namespace ananas::rt
