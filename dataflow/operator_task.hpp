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
// End of input is the watermark +inf on every input: everything fires.
#include <chrono>
#include <cstddef>
#include <cstdint>

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
};

}  // namespace ananas::dataflow
