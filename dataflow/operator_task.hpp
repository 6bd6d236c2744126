#pragma once
// One instance of an operator with N inputs, as every driver runs it (the
// operator actor, `ananas replay`, the engine benchmark): the graph semantics
// live here and nowhere else; hosts only move messages.
//  - batch from input i: op.process, then each non-empty result is emitted,
//    then the host hears the input batch was consumed (the actor returns its
//    flow-control credit);
//  - watermark from input i: the task's watermark is the minimum over its
//    inputs; when that minimum advances, op.on_watermark, its results are
//    emitted, THEN the watermark (results are never behind the watermark that
//    made them final, as in Flink's WindowOperator);
//  - barrier n from input i: input i is held back until every input delivered
//    barrier n (aligned checkpoint, Flink's "Stream Barriers"); then the host
//    snapshots the operator (checkpoint hook) and the barrier is emitted.
//  - processing time: the host asks next_processing_timer() after every call
//    and calls on_processing_time(now) once its clock reached that time; what
//    fires is emitted like any result (Flink's processing-time timers, which
//    run between records on the task's thread). No watermark follows.
// End of input is the watermark +inf on every input: everything event-time
// fires. Pending processing-time timers do not (Flink quiesces the
// processing-time service when a bounded input ends and drops them).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "dataflow/input_aligner.hpp"
#include "operators/operator.hpp"

namespace ananas::dataflow {

// An input batch that went through the operator (or the sink).
struct Consumed {
  size_t input = 0;
  uint64_t ticket = 0;                  // what the host passed with the batch
  size_t rows = 0;
  std::chrono::nanoseconds elapsed{0};  // time in process()/write(), when the task measures it
};

// Where an operator task's outputs go.
class OperatorHost {
 public:
  virtual ~OperatorHost() = default;
  virtual void emit_batch(const BatchPtr& batch) = 0;
  virtual void emit_watermark(int64_t watermark) = 0;
  virtual void emit_barrier(uint64_t id) = 0;
  // Every input delivered barrier `id` and nothing after it went through the
  // operator: snapshot it now (the barrier is emitted right after).
  virtual void checkpoint(uint64_t id) = 0;
  virtual void consumed(const Consumed& /*c*/) {}
};

struct TaskOptions {
  bool measure_elapsed = false;  // fill Consumed::elapsed (two clock reads per batch)
  // The slot each input number comes from (Topology::input_slots), told to
  // the operator with each batch; empty: every input is slot 0.
  std::vector<size_t> input_slots;
};

class OperatorTask {
 public:
  OperatorTask(ops::OperatorPtr op, size_t inputs, OperatorHost& host, TaskOptions options = {});
  OperatorTask(const OperatorTask&) = delete;
  OperatorTask& operator=(const OperatorTask&) = delete;

  void on_batch(size_t input, BatchPtr batch, uint64_t ticket = 0);
  void on_watermark(size_t input, int64_t watermark);
  void on_barrier(size_t input, uint64_t id);
  // When the operator next needs the clock (epoch ms), if ever.
  std::optional<int64_t> next_processing_timer() const { return op_->next_processing_timer(); }
  // Processing time is `now_ms`: fires the operator's due timers, if any. A
  // time behind an earlier call's counts as that earlier time.
  void on_processing_time(int64_t now_ms);

  ops::Operator& op() { return *op_; }
  const ops::Operator& op() const { return *op_; }
  int64_t watermark() const { return aligner_.watermark(); }
  size_t inputs() const { return aligner_.inputs(); }
  size_t held() const { return aligner_.held(); }  // messages held back by barrier alignment

 private:
  struct Delivery {
    size_t input = 0;
    uint64_t ticket = 0;
    BatchPtr batch;
  };
  void process(Delivery& d);
  size_t slot_of(size_t input) const { return input < options_.input_slots.size() ? options_.input_slots[input] : 0; }
  void fire(int64_t watermark);
  void checkpoint(uint64_t id);
  void emit_results();

  ops::OperatorPtr op_;
  OperatorHost& host_;
  TaskOptions options_;
  InputAligner<Delivery> aligner_;
  std::vector<BatchPtr> scratch_;
  int64_t processing_time_ = ops::kMinWatermark;  // the latest time on_processing_time was given
};

}  // namespace ananas::dataflow
