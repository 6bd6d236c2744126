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
  CheckpointFailed,   // a checkpoint could not be made durable (the pipeline keeps running)
  StateIncompatible,  // the stored checkpoint cannot serve the pipeline as it is now defined
  Fenced,             // exactly-once: another instance with the same transactional id took over
};
inline constexpr FailureKind kLastFailureKind = FailureKind::Fenced;
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

// Checkpoints of one pipeline, as GET /pipelines/{name}/status shows them.
struct CheckpointStatus {
  std::string storage = "memory";   // "kafka" (durable) or "memory"
  std::string topic;                // the checkpoints topic (kafka)
  uint64_t last_completed = 0;      // id, 0 if none
  int64_t completed_at_ms = 0;      // wall clock
  int64_t duration_ms = 0;          // barrier injected -> durable
  uint64_t size_bytes = 0;          // changelog bytes the checkpoint wrote
  uint64_t state_bytes = 0;         // the whole state, encoded
  uint64_t restored_from = 0;       // the checkpoint this run resumed from, 0 if none
  uint64_t failed = 0;              // checkpoints that could not be made durable
  std::string last_failure;
};

struct SourceHealth {
  bool connected = false;
  std::string waiting_for;  // e.g. a topic that does not exist; empty when reading
  std::vector<HeldPartition> watermark_held_by;  // silent partitions holding the watermark back
};

// Where the pipeline runs when workers share it through a group (worker
// config group.id): here, or on another member (this one stands by).
struct PlacementStatus {
  std::string group;
  bool runs_here = false;
  int64_t since_ms = 0;  // wall clock of the last change
  std::vector<std::string> partitions;  // a split pipeline's share here, "topic/partition"
  // A sharded keyed part's key groups here, one inclusive range per owned
  // exchange partition ("0-15"): the keys this worker counts.
  std::vector<std::string> key_groups;
};

// Where a pipeline came from when it is a file the worker watches, and
// while that file cannot be applied, why (the running version stays).
struct DefinitionStatus {
  std::string file;
  std::string problem;  // "file:line:column: message", or why a change cannot restart it; empty when fine
  int64_t problem_since_ms = 0;  // wall clock
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
  CheckpointStatus checkpoints;
  std::vector<ActorStatus> actors;
  bool sources_connected = false;
  std::map<std::string, SourceHealth> sources;  // by source node
  std::optional<PlacementStatus> placement;      // none: the worker runs every pipeline it is given
  std::optional<DefinitionStatus> definition;    // none: not from a watched file (e.g. POST /pipelines)
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
  void set_checkpoint_storage(std::string storage, std::string topic);
  void record_checkpoint(uint64_t id, int64_t duration_ms, uint64_t size_bytes, uint64_t state_bytes);
  void record_checkpoint_failure(const std::string& message);
  void set_restored_from(uint64_t id);
  void set_source_health(const std::string& node, bool connected, const std::string& waiting_for);
  void set_watermark_held(const std::string& node, const std::vector<HeldPartition>& held);
  void set_placement(const std::string& group, bool runs_here, std::vector<std::string> partitions = {},
                     std::vector<std::string> key_groups = {});
  // The file and its problem; a problem keeps its first time while unchanged.
  void set_definition(const std::string& file, const std::string& problem);

 private:
  mutable std::mutex mu_;
  PipelineStatus status_;
  std::map<std::string, SourceHealth> sources_;
};

// The status of a keyed part that runs as several shards on this worker
// (PipelineGraph::sharding), as one: `base` gives the placement and the
// definition, the shards' runs everything else (the worst state, restarts
// and failures summed, the least advanced shard's last checkpoint, actors
// and sources of every shard).
PipelineStatus merge_shard_statuses(PipelineStatus base, const std::vector<PipelineStatus>& shards);

}  // namespace ananas::rt
