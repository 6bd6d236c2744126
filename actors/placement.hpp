#pragma once
// Which worker runs a pipeline when several workers are given the same
// pipelines (replicas of one Deployment). A Placement hands each pipeline to
// exactly one of them at a time and moves it when that worker leaves or dies;
// the Worker starts a pipeline when it is acquired and drains it (final
// checkpoint) when it is released, so the next owner resumes from there.
// The Kafka implementation is actors/drivers/kafka_placement.hpp.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "connectors/connector.hpp"

namespace ananas::rt {

class Placement {
 public:
  struct Events {
    std::function<void(const std::string& pipeline)> acquired;
    // Returns once the pipeline has stopped. `lost`: another worker may
    // already run it (this one missed its session timeout): stop at once,
    // without a final checkpoint.
    std::function<void(const std::string& pipeline, bool lost)> released;
    // A split pipeline's partitions on this worker are `owned` from now on
    // (empty: none). Returns once the run over the previous ones has stopped
    // (drained; at once when `lost`) and a run over `owned` has started.
    std::function<void(const std::string& pipeline, const std::set<connectors::PartitionId>& owned, bool lost)>
        reassigned;
  };
  virtual ~Placement() = default;
  // Called once, before the first add.
  virtual void start(Events events) = 0;
  // Competes for / stops competing for one pipeline (remove releases it first
  // if it runs here). With `split_topics`, the pipeline runs on every worker
  // over the partitions of those topics the group gives it (reassigned);
  // without, on one worker at a time (acquired / released).
  virtual void add(const std::string& pipeline, const std::vector<std::string>& split_topics) = 0;
  virtual void remove(const std::string& pipeline) = 0;
  // Releases everything and leaves, so the others take over now. Idempotent.
  virtual void leave() = 0;
  // What status shows, e.g. "kafka group ananas-workers".
  virtual std::string group() const = 0;
};

}  // namespace ananas::rt
