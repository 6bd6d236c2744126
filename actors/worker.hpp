#pragma once
// The Worker: one actor system running any number of pipelines, each under
// its own supervisor (a failing pipeline never takes the others or the worker
// down). This facade hides CAF, so the CLI and the HTTP server include no CAF
// headers. Thread-safe.
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/metrics.hpp"
#include "actors/pipeline_graph.hpp"
#include "actors/placement.hpp"
#include "actors/pipeline_status.hpp"

namespace ananas::rt {

struct WorkerConfig {
  size_t threads = 0;         // CAF scheduler threads; 0: from the CPU limit (cgroup quota or cores)
  int max_throughput = 100;   // messages an actor handles before yielding its thread (must be finite)
  // "sharing": idle threads block on one queue; "stealing": CAF's default,
  // idle threads poll and sleep (see make_config in worker.cpp).
  std::string scheduler_policy = "sharing";
  std::string worker_id = "ananas";
};

// The number of CPUs this process may use: the cgroup v2 quota when set,
// else hardware_concurrency(), at least 1.
size_t cpu_limit();

struct PipelineExists : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PipelineInfo {
  std::string name;
  std::string definition;
  struct Node {
    std::string name;
    NodeKind kind;
    int parallelism;
    std::vector<std::string> inputs;
    std::string topic;
  };
  std::vector<Node> nodes;
};

class Worker {
 public:
  explicit Worker(WorkerConfig config = {}, std::shared_ptr<Metrics> metrics = nullptr);
  ~Worker();  // stop()
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Shares the pipelines with other workers: from now on a pipeline added
  // runs only while `placement` gives it to this worker (it stands by,
  // UNASSIGNED, otherwise). Call before the first add.
  void set_placement(std::shared_ptr<Placement> placement);

  // Starts a pipeline (with a placement: competes for it). Throws
  // PipelineExists, or std::invalid_argument for a malformed graph.
  void add(PipelineGraph graph);
  // Stops a pipeline gracefully (final checkpoint: sinks flushed, offsets
  // committed) and forgets it. False if unknown.
  bool remove(const std::string& name);
  bool pause(const std::string& name);
  bool resume(const std::string& name);
  // Restarts from the last completed checkpoint with a fresh restart budget
  // (also revives a FAILED pipeline). False if unknown.
  bool restart(const std::string& name);

  // Shown in the pipeline's status as `definition` (see DefinitionStatus).
  // False if unknown.
  bool set_definition_status(const std::string& name, const std::string& file, const std::string& problem);

  std::vector<std::string> names() const;
  std::optional<PipelineStatus> status(const std::string& name) const;
  std::optional<PipelineInfo> info(const std::string& name) const;
  // Every pipeline RUNNING (or PAUSED by request) with its sources connected,
  // or standing by while another worker of the group runs it.
  bool ready() const;
  // Stops every pipeline as remove() does, leaves the placement's group (so
  // the others take the pipelines over from their final checkpoints), then
  // stops the actor system. Idempotent.
  void stop();
  // stop() on a thread of its own, waiting at most `bound`; true when it
  // finished. Each pipeline's drain gives up after its drain timeout, but a
  // detached actor may still sit in a Kafka call for brokers that are gone
  // (a flush, a close): then this returns false, the stop goes on in the
  // background, and the caller must end the process instead of destroying
  // the worker.
  bool stop_within(Millis bound);

  Metrics& metrics() { return *metrics_; }
  std::shared_ptr<Metrics> metrics_ptr() const { return metrics_; }
  const WorkerConfig& config() const { return config_; }

 private:
  struct Impl;
  WorkerConfig config_;
  std::shared_ptr<Metrics> metrics_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ananas::rt
