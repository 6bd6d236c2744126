#pragma once
// The runtime-facing side of a sink: what the sink actor writes to. The graph
// builder implements it on top of a connector + a row encoder. Used by one
// detached actor at a time, so flush() may block until the data is durable.
#include <cstdint>
#include <memory>
#include <set>

#include "connectors/connector.hpp"
#include "core/batch.hpp"

namespace ananas::rt {

class SinkDriver {
 public:
  virtual ~SinkDriver() = default;
  virtual void open() = 0;
  // Hands a batch over (may buffer). Returns the number of records written,
  // the ananas_anomalies_emitted_total increment. Throws on a fatal error.
  virtual uint64_t write(const BatchPtr& batch) = 0;
  // Returns once everything written so far is durable (acknowledged by the
  // broker). A checkpoint completes only after every sink has flushed.
  virtual void flush() = 0;
  // The checkpoint this sink flushed for last is durable (exactly-once sinks
  // release what they held since its barrier).
  virtual void checkpoint_committed() {}
  virtual bool connected() const { return true; }
  // The watermark of the sink's input advanced to `watermark`: after every
  // row written before it. Most sinks only show it in metrics; a keyed
  // exchange forwards it to its readers.
  virtual void on_watermark(int64_t watermark) { (void)watermark; }
  // Called before open() when the workers of a group split the pipeline's
  // sources (PipelineGraph::owned_partitions): the partitions this run reads.
  virtual void set_owned_partitions(std::shared_ptr<const std::set<connectors::PartitionId>> owned) { (void)owned; }
  // Since open: rows a keyed exchange folded into partial aggregates, and the
  // partials it sent instead (two-phase window aggregation); 0 elsewhere.
  struct Folding {
    uint64_t rows = 0;
    uint64_t partials = 0;
  };
  virtual Folding folding() const { return {}; }
};

}  // namespace ananas::rt
