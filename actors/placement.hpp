#pragma once
// Which worker runs a pipeline when several workers are given the same
// pipelines (replicas of one Deployment). A Placement hands each pipeline to
// exactly one of them at a time and moves it when that worker leaves or dies;
// the Worker starts a pipeline when it is acquired and drains it (final
// checkpoint) when it is released, so the next owner resumes from there.
// The Kafka implementation is actors/drivers/kafka_placement.hpp.
#include <functional>
#include <string>

namespace ananas::rt {

class Placement {
 public:
  struct Events {
    std::function<void(const std::string& pipeline)> acquired;
    // Returns once the pipeline has stopped. `lost`: another worker may
    // already run it (this one missed its session timeout): stop at once,
    // without a final checkpoint.
    std::function<void(const std::string& pipeline, bool lost)> released;
  };
  virtual ~Placement() = default;
  // Called once, before the first add.
  virtual void start(Events events) = 0;
  // Competes for / stops competing for one pipeline (remove releases it first
  // if it runs here).
  virtual void add(const std::string& pipeline) = 0;
  virtual void remove(const std::string& pipeline) = 0;
  // Releases everything and leaves, so the others take over now. Idempotent.
  virtual void leave() = 0;
  // What status shows, e.g. "kafka group ananas-workers".
  virtual std::string group() const = 0;
};

}  // namespace ananas::rt
