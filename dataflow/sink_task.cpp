#include "dataflow/sink_task.hpp"

#include <stdexcept>

namespace ananas::dataflow {

SinkTask::SinkTask(size_t inputs, SinkHost& host, TaskOptions options)
    : host_(host),
      options_(options),
      aligner_(inputs, InputAligner<Delivery>::Handlers{
                           [this](Delivery& d) { write(d); },
                           [this](int64_t wm) { host_.on_watermark(wm); },
                           [this](uint64_t id) { host_.on_barrier(id); },
                       }) {
  if (inputs == 0) throw std::invalid_argument("sink task without inputs");
}

void SinkTask::on_batch(size_t input, BatchPtr batch, uint64_t ticket) {
  aligner_.on_batch(input, Delivery{input, ticket, std::move(batch)});
}

void SinkTask::on_watermark(size_t input, int64_t watermark) { aligner_.on_watermark(input, watermark); }

void SinkTask::on_barrier(size_t input, uint64_t id) { aligner_.on_barrier(input, id); }

void SinkTask::write(Delivery& d) {
  Consumed c{d.input, d.ticket, d.batch ? d.batch->num_rows() : 0, {}};
  if (d.batch && !d.batch->empty()) {
    if (options_.measure_elapsed) {
      const auto start = std::chrono::steady_clock::now();
      host_.write(d.batch);
      c.elapsed = std::chrono::steady_clock::now() - start;
    } else {
      host_.write(d.batch);
    }
  }
  d.batch.reset();
  host_.consumed(c);
}

}  // namespace ananas::dataflow
