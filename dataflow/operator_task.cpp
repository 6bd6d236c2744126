#include "dataflow/operator_task.hpp"

#include <algorithm>
#include <stdexcept>

namespace ananas::dataflow {

OperatorTask::OperatorTask(ops::OperatorPtr op, size_t inputs, OperatorHost& host, TaskOptions options)
    : op_(std::move(op)),
      host_(host),
      options_(options),
      aligner_(inputs, InputAligner<Delivery>::Handlers{
                           [this](Delivery& d) { process(d); },
                           [this](int64_t wm) { fire(wm); },
                           [this](uint64_t id) { checkpoint(id); },
                       }) {
  if (!op_) throw std::invalid_argument("operator task without an operator");
  if (inputs == 0) throw std::invalid_argument("operator task without inputs");
}

void OperatorTask::on_batch(size_t input, BatchPtr batch, uint64_t ticket) {
  aligner_.on_batch(input, Delivery{input, ticket, std::move(batch)});
}

void OperatorTask::on_watermark(size_t input, int64_t watermark) { aligner_.on_watermark(input, watermark); }

void OperatorTask::on_barrier(size_t input, uint64_t id) { aligner_.on_barrier(input, id); }

void OperatorTask::on_processing_time(int64_t now_ms) {
  processing_time_ = std::max(processing_time_, now_ms);
  const auto due = op_->next_processing_timer();
  if (!due || *due > processing_time_) return;
  op_->on_processing_time(processing_time_, scratch_);
  emit_results();
}

void OperatorTask::process(Delivery& d) {
  Consumed c{d.input, d.ticket, d.batch ? d.batch->num_rows() : 0, {}};
  if (d.batch) {
    if (options_.measure_elapsed) {
      const auto start = std::chrono::steady_clock::now();
      op_->process_input(slot_of(d.input), d.batch, scratch_);
      c.elapsed = std::chrono::steady_clock::now() - start;
    } else {
      op_->process_input(slot_of(d.input), d.batch, scratch_);
    }
  }
  d.batch.reset();  // the operator keeps what it needs; the input is not held past this call
  emit_results();
  host_.consumed(c);
}

void OperatorTask::fire(int64_t watermark) {
  op_->on_watermark(watermark, scratch_);
  emit_results();
  host_.emit_watermark(op_->output_watermark(watermark));
}

void OperatorTask::checkpoint(uint64_t id) {
  host_.checkpoint(id);
  host_.emit_barrier(id);
}

void OperatorTask::emit_results() {
  // Swapped out first, so a host that re-enters the task while we emit finds
  // the scratch vector empty.
  std::vector<BatchPtr> out;
  out.swap(scratch_);
  for (const auto& b : out)
    if (b && !b->empty()) host_.emit_batch(b);
  out.clear();
  if (scratch_.empty()) scratch_.swap(out);  // keep the capacity
}

}  // namespace ananas::dataflow
