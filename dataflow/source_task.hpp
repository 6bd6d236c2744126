#pragma once
// The source side of the graph semantics, transport-independent: what a
// source emits after each poll. The batch goes first, then the watermark if it
// advanced (a watermark never overtakes the rows it covers); the end of a
// bounded input is the watermark +inf, which makes every downstream window
// fire. A checkpoint barrier is emitted after everything polled so far, once
// the host recorded the position a restart resumes from.
#include <cstdint>

#include "core/batch.hpp"
#include "operators/operator.hpp"

namespace ananas::dataflow {

class SourceHost {
 public:
  virtual ~SourceHost() = default;
  virtual void emit_batch(const BatchPtr& batch) = 0;
  virtual void emit_watermark(int64_t watermark) = 0;
  virtual void emit_barrier(uint64_t id) = 0;
  // Barrier `id` is about to go out after everything emitted so far: record
  // the source position that belongs to it.
  virtual void checkpoint(uint64_t /*id*/) {}
};

class SourceTask {
 public:
  explicit SourceTask(SourceHost& host) : host_(host) {}
  SourceTask(const SourceTask&) = delete;
  SourceTask& operator=(const SourceTask&) = delete;

  // One poll's result: `batch` (may be null or empty) and the source's
  // watermark after it.
  void on_polled(const BatchPtr& batch, int64_t watermark);
  void on_watermark(int64_t watermark);  // emitted only if it advanced
  void end_of_input() { on_watermark(ops::kMaxWatermark); }
  void on_barrier(uint64_t id);

  int64_t watermark() const { return watermark_; }
  bool ended() const { return watermark_ == ops::kMaxWatermark; }

 private:
  SourceHost& host_;
  int64_t watermark_ = ops::kMinWatermark;
};

}  // namespace ananas::dataflow
