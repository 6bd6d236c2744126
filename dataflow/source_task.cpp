#include "dataflow/source_task.hpp"

namespace ananas::dataflow {

void SourceTask::on_polled(const BatchPtr& batch, int64_t watermark) {
  if (batch && !batch->empty()) host_.emit_batch(batch);
  on_watermark(watermark);
}

void SourceTask::on_watermark(int64_t watermark) {
  if (watermark <= watermark_) return;
  watermark_ = watermark;
  host_.emit_watermark(watermark);
}

void SourceTask::on_barrier(uint64_t id) {
  host_.checkpoint(id);
  host_.emit_barrier(id);
}

}  // namespace ananas::dataflow
