#pragma once
// One instance of a sink with N inputs, transport-independent: the same
// alignment as an operator (dataflow/operator_task.hpp), with the operator
// replaced by the host's writer:
//  - batch from input i -> write, then consumed;
//  - the watermark (minimum over the inputs) -> the host (metrics);
//  - barrier n aligned over every input -> the host flushes until durable and
//    reports; everything before the barrier was written, nothing after it.
#include <cstddef>
#include <cstdint>

#include "dataflow/input_aligner.hpp"
#include "dataflow/operator_task.hpp"

namespace ananas::dataflow {

class SinkHost {
 public:
  virtual ~SinkHost() = default;
  virtual void write(const BatchPtr& batch) = 0;
  virtual void on_watermark(int64_t /*watermark*/) {}
  // Every input delivered barrier `id`: flush, then report the barrier done.
  virtual void on_barrier(uint64_t id) = 0;
  virtual void consumed(const Consumed& /*c*/) {}
};

class SinkTask {
 public:
  SinkTask(size_t inputs, SinkHost& host, TaskOptions options = {});
  SinkTask(const SinkTask&) = delete;
  SinkTask& operator=(const SinkTask&) = delete;

  void on_batch(size_t input, BatchPtr batch, uint64_t ticket = 0);
  void on_watermark(size_t input, int64_t watermark);
  void on_barrier(size_t input, uint64_t id);

  int64_t watermark() const { return aligner_.watermark(); }
  size_t inputs() const { return aligner_.inputs(); }
  size_t held() const { return aligner_.held(); }

 private:
  struct Delivery {
    size_t input = 0;
    uint64_t ticket = 0;
    BatchPtr batch;
  };
  void write(Delivery& d);

  SinkHost& host_;
  TaskOptions options_;
  InputAligner<Delivery> aligner_;
};

}  // namespace ananas::dataflow
