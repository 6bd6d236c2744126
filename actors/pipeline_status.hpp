#pragma once
// What GET /pipelines/{name}/status reports, in Kafka Connect's vocabulary.
// The supervisor writes a StatusBoard; the Worker and the HTTP server read it
// without messaging actors (so a busy or failing pipeline never blocks REST).
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "actors/pipeline_graph.hpp"

namespace ananas::rt {

enum class State { Unassigned, Running, Paused, Restarting, Failed };
std::string_view state_name(State s);  // "RUNNING", ...

struct ActorStatus {
  std::string node;
  NodeKind kind = NodeKind::Operator;
  int instance = 0;
  State state = State::Unassigned;
  uint64_t failures = 0;  // failures of this actor (each one fails the whole pipeline over)
  std::string trace;      // last error of this actor
};

struct PipelineStatus {
  std::string name;
  State state = State::Unassigned;
  uint64_t restarts = 0;
  std::string trace;  // last error (any actor), empty if none
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
  void record_failure(const std::string& node, const std::string& trace);
  void record_restart();
  void set_checkpoint(uint64_t id);
  void set_source_connected(const std::string& node, bool connected);

 private:
  mutable std::mutex mu_;
  PipelineStatus status_;
  std::map<std::string, bool> connected_;
};

}  // namespace ananas::rt
