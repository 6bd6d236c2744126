#pragma once
// Watermark bookkeeping (Flink docs, Table API & SQL > SQL > CREATE Statements > WATERMARK), kept apart from any clock so tests can
// drive processing time explicitly.
//
// PartitionWatermarks — one source, per Kafka partition (Flink's
// WatermarkOutputMultiplexer / CombinedWatermarkStatus):
//   - each record offers a candidate (the WATERMARK expression evaluated on the
//     row by the host); a partition's watermark only moves when a candidate is
//     strictly larger (Flink: DefaultWatermarkGenerator, WatermarkOutputMultiplexer);
//   - the source watermark is the minimum over non-idle partitions, and never
//     goes back; a declared partition that has not delivered a record yet
//     holds it at kMinWatermark (Flink docs, Kafka connector > Source Per-Partition Watermarks);
//   - with idle_timeout_ms > 0, a partition without a record for that long
//     (processing time) is idle and excluded; all idle → the source is idle and
//     its watermark stays; a record re-activates its partition (Flink docs, Table API & SQL > Configuration > table.exec.source.idle-timeout);
//   - advance_to_end(): a bounded input is exhausted, watermark +∞.
//
// InputWatermarks — an operator with several inputs (Flink's
// StatusWatermarkValve): minimum over active inputs; an input that comes back
// from idleness behind the current watermark is ignored until it catches up.
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "operators/operator.hpp"

namespace ananas::ops {

class PartitionWatermarks {
 public:
  explicit PartitionWatermarks(int64_t idle_timeout_ms = 0) : idle_timeout_ms_(idle_timeout_ms) {}

  // A partition the source reads; it holds the watermark back until it
  // delivers a record or (with a timeout) goes idle. `now_ms` starts its idle clock.
  void declare_partition(int32_t partition, int64_t now_ms);
  // A record's watermark candidate. Returns the source watermark if it advanced.
  std::optional<int64_t> on_record(int32_t partition, int64_t candidate, int64_t now_ms);
  // Re-evaluates idleness at processing time `now_ms`. Returns the source watermark if it advanced.
  std::optional<int64_t> on_processing_time(int64_t now_ms);
  // The input is bounded and exhausted: watermark +∞ (everything fires).
  std::optional<int64_t> advance_to_end();

  int64_t current() const { return current_; }
  // True when every partition is idle (downstream must ignore this source).
  bool idle() const;
  bool partition_idle(int32_t partition) const;
  // Partitions that hold the watermark back: active, at the minimum, with no
  // record for at least `quiet_ms` of processing time, while another active
  // partition is ahead of them (so it is one partition's silence that stops
  // windows from firing, not a quiet source). Flink's remedy is the idle
  // timeout (table.exec.source.idle-timeout).
  struct Holder {
    int32_t partition;
    int64_t quiet_since_ms;  // its last record, or when it was declared
  };
  std::vector<Holder> holding_back(int64_t now_ms, int64_t quiet_ms) const;
  size_t partitions() const { return partitions_.size(); }

  void snapshot(StateWriter& w) const;
  void restore(StateReader& r);

 private:
  struct Partition {
    int64_t watermark = kMinWatermark;
    int64_t last_activity_ms = 0;
    bool idle = false;
  };
  std::optional<int64_t> combine();
  void recompute_min();

  int64_t idle_timeout_ms_;
  std::map<int32_t, Partition> partitions_;  // ordered: snapshots are deterministic
  int64_t current_ = kMinWatermark;
  // The minimum over active partitions and how many hold it, kept so that a
  // record costs O(log n): only the last partition at the minimum advancing,
  // or a change in the set of active partitions, needs a walk over all of them.
  bool min_valid_ = false;
  bool any_active_ = false;
  int64_t min_active_ = kMaxWatermark;
  size_t min_holders_ = 0;
};

class InputWatermarks {
 public:
  explicit InputWatermarks(size_t inputs);

  // Returns the combined watermark if it advanced. A watermark also marks the input active.
  std::optional<int64_t> on_watermark(size_t input, int64_t watermark);
  std::optional<int64_t> set_idle(size_t input, bool idle);

  int64_t current() const { return current_; }
  bool idle() const;

  void snapshot(StateWriter& w) const;
  void restore(StateReader& r);

 private:
  struct Input {
    int64_t watermark = kMinWatermark;
    bool idle = false;
    bool aligned = true;  // counts in the minimum (false: came back from idleness behind the output)
  };
  std::optional<int64_t> combine();

  std::vector<Input> inputs_;
  int64_t current_ = kMinWatermark;
};

}  // namespace ananas::ops
