#pragma once
// Drives a window operator the way `ananas test` does (DESIGN.md): one row at
// a time, the watermark candidate (rowtime − delay) offered after every row
// (on-event emission), results collected before the watermark would be
// forwarded, and watermark +∞ at the end of the input.
#include <utility>

#include "operator_test_helpers.hpp"
#include "operators/watermark.hpp"

namespace optest {

struct TimedRow {
  int32_t partition = 0;
  Row row;
  int64_t rowtime;
};

class WindowDriver {
 public:
  WindowDriver(ops::Operator& op, size_t width, int64_t delay_ms, std::vector<int32_t> partitions = {0})
      : op_(op), width_(width), delay_(delay_ms) {
    for (int32_t p : partitions) watermarks_.declare_partition(p, 0);
  }

  void feed(const TimedRow& r) {
    op_.process(batch(width_, {r.row}), out_);
    if (auto w = watermarks_.on_record(r.partition, r.rowtime - delay_, 0)) op_.on_watermark(*w, out_);
  }
  void feed(const std::vector<TimedRow>& rows) {
    for (const auto& r : rows) feed(r);
  }
  void finish() {
    if (auto w = watermarks_.advance_to_end()) op_.on_watermark(*w, out_);
  }
  // The rows emitted so far, cleared.
  std::vector<std::string> take() {
    auto rows = rows_of(out_);
    out_.clear();
    return rows;
  }
  std::vector<BatchPtr> take_batches() { return std::exchange(out_, {}); }
  int64_t watermark() const { return watermarks_.current(); }

 private:
  ops::Operator& op_;
  size_t width_;
  int64_t delay_;
  ops::PartitionWatermarks watermarks_;
  std::vector<BatchPtr> out_;
};

}  // namespace optest
