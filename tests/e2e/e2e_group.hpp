#pragma once
// Where the pipelines of a worker group run, read from each worker's
// GET /pipelines/{name}/status (shared by the worker group tests).
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "e2e_kafka.hpp"

namespace ananas::e2e {

int64_t wall_ms();

std::optional<nlohmann::json> pipeline_status(const WorkerProcess& w, const std::string& pipeline);
// RUNNING on this worker (not standing by for another one).
bool runs_here(const nlohmann::json& status);

// Per pipeline (in the order asked), the live workers that run it and, for a
// split pipeline, the source partitions it reads on each (empty for one that
// runs whole).
struct GroupPlacement {
  // Per pipeline, the workers that run it, each with its share of partitions (none: whole).
  using Runs = std::vector<std::pair<size_t, std::vector<std::string>>>;
  std::vector<Runs> runs;
  // Runs whole, on exactly one worker.
  bool whole_once(size_t pipeline) const;
  // Split: each of `partitions` read on exactly one worker.
  bool split_over(size_t pipeline, int partitions) const;
};
GroupPlacement placement_of(const std::vector<WorkerProcess*>& workers, const std::vector<std::string>& pipelines);
std::string describe(const GroupPlacement& p, const std::vector<std::string>& pipelines);

// Worker processes of one group, numbered from 1 (worker<n>, its worker.id
// too); a stopped one's slot stays, empty, so indices keep naming the same worker.
struct WorkerGroup {
  WorkerGroup(const ScratchDir& dir, std::string bootstrap, std::vector<std::string> files,
              std::map<std::string, std::string> env);
  WorkerProcess& start();  // the next one
  std::vector<WorkerProcess*> live() const;  // by slot; null where stopped
  std::string stderr_of_all() const;

  std::vector<std::unique_ptr<WorkerProcess>> workers;

 private:
  const ScratchDir& dir_;
  std::string bootstrap_;
  std::vector<std::string> files_;
  std::map<std::string, std::string> env_;
};

// Whether `pipeline` on its owner has completed a checkpoint whose barrier
// went round after `after_ms` (wall clock).
bool checkpointed_after(const WorkerProcess& owner, const std::string& pipeline, int64_t after_ms);

// Waits up to `timeout` until the placement of `names` (left in `placed`)
// is `settled` and every worker that runs names[first..] has checkpointed
// it after `after_ms`: what was fed before is then durable everywhere.
bool wait_settled_and_checkpointed(const WorkerGroup& group, const std::vector<std::string>& names, size_t first,
                                   const std::function<bool(const GroupPlacement&)>& settled, int64_t after_ms,
                                   std::chrono::milliseconds timeout, GroupPlacement& placed);

}  // namespace ananas::e2e
