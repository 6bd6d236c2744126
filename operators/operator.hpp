#pragma once
// A stream operator: a plain class with no knowledge of actors or Kafka. The
// offline runner calls it directly; in the worker one generic actor hosts any
// operator. Contract:
//  - process() consumes one input batch (rows carry a RowKind: operators that
//    accept changelogs honour it) and appends zero or more output batches;
//  - on_watermark() is called when the input watermark advances; operators
//    that hold rows (windows, MATCH_RECOGNIZE) emit what became final. The host
//    forwards the watermark downstream after the emitted batches;
//  - next_processing_timer()/on_processing_time() are the processing-time
//    timers (Flink's ProcessingTimeService): an operator that fires on the
//    wall clock (a processing-time window) says when it next needs the clock,
//    and the host calls on_processing_time once the clock reached it, then
//    emits what it returned;
//  - snapshot_state()/restore_state() capture all state, so a restarted
//    operator resumes exactly where its last checkpoint left it, and a keyed
//    operator's state can be restored at another parallelism: it is written
//    per key group (operators/operator_snapshot.hpp describes the format);
//  - stats() exposes state size and drop counters (metrics and tests).
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch.hpp"
#include "core/key_group.hpp"
#include "core/row_codec.hpp"
#include "core/schema.hpp"
#include "operators/operator_snapshot.hpp"

namespace ananas::ops {

inline constexpr int64_t kMinWatermark = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kMaxWatermark = std::numeric_limits<int64_t>::max();

// Restoring from the snapshots of several old instances (a rescale): the
// restored watermark is the minimum of theirs, since what any of them had not
// seen yet may still come.
inline void take_min_watermark(int64_t& watermark, int64_t restored) {
  if (watermark == kMinWatermark || restored < watermark) watermark = restored;
}

struct OperatorStats {
  uint64_t late_records_dropped = 0;  // rows that arrived behind the watermark and were dropped
  uint64_t state_entries = 0;         // keys, windows, buffered rows or partial matches held
  uint64_t state_bytes = 0;           // approximate bytes held in state
  uint64_t rows_in = 0;
  uint64_t rows_out = 0;
};

class Operator {
 public:
  virtual ~Operator() = default;
  virtual std::string_view kind() const = 0;
  virtual const Schema& output_schema() const = 0;
  virtual void process(const BatchPtr& input, std::vector<BatchPtr>& out) = 0;
  // The same for a batch from the operator's input `input` (its position in
  // the node's inputs). Only an operator that treats its inputs differently
  // (a join's left and right) overrides it.
  virtual void process_input(size_t input, const BatchPtr& batch, std::vector<BatchPtr>& out) {
    (void)input;
    process(batch, out);
  }
  virtual void on_watermark(int64_t /*watermark*/, std::vector<BatchPtr>& /*out*/) {}
  // The watermark the host forwards downstream after on_watermark(watermark):
  // an operator whose output rows may lag its input watermark (an interval
  // join, as Flink's KeyedCoProcessOperatorWithWatermarkDelay) holds it back
  // so that they are not late downstream. Never above `watermark`, and
  // non-decreasing in it.
  virtual int64_t output_watermark(int64_t watermark) const { return watermark; }
  // The earliest processing time (epoch ms) at which on_processing_time has
  // something to do, or none. Hosts ask after every call into the operator.
  virtual std::optional<int64_t> next_processing_timer() const { return std::nullopt; }
  // Processing time is now `now_ms` (at or past next_processing_timer()):
  // fire what became due. Never called with a time earlier than a previous call's.
  virtual void on_processing_time(int64_t /*now_ms*/, std::vector<BatchPtr>& /*out*/) {}
  virtual OperatorStats stats() const { return {}; }

  // Snapshot and restore. A stateless operator keeps the defaults and writes
  // an empty snapshot that still carries its kind and layout.
  StateLayout state_layout() const;
  // Whether the operator keeps state at all (stateless ones describe none).
  bool keeps_state() const { return !state_description().empty(); }
  OperatorSnapshot snapshot_state() const;
  // Throws CorruptState when the input's layout is not this operator's (kind,
  // version, fingerprint or key-group count), or its bytes are malformed.
  void restore_state(const RestoreInput& in);
  // The whole snapshot as one byte string, and back (same parallelism).
  void snapshot(StateWriter& w) const { w.raw(encode_snapshot(snapshot_state())); }
  void restore(StateReader& r) { restore_state(restore_input_of(decode_snapshot(r.rest()))); }

  // The input columns rows are partitioned by across instances (the node's
  // key). Unset, the operator's own state key (the encoded group, sink or
  // partition key, which is what the graph partitions by unless told
  // otherwise) decides an entry's key group.
  void set_partition_key(std::vector<size_t> input_columns) { partition_key_ = std::move(input_columns); }
  uint32_t key_groups() const { return key_groups_; }

 protected:
  // Bumped whenever an operator changes the bytes it writes.
  virtual uint32_t state_version() const { return 1; }
  // What shapes the bytes: the configuration and schema the entries depend on
  // (hashed into the layout fingerprint together with kind() and the version).
  virtual std::string state_description() const { return {}; }
  virtual void save_shared(StateWriter& /*w*/) const {}
  virtual void save_keyed(KeyedStateWriter& /*w*/) const {}
  // Drops all state before a restore.
  virtual void clear_state() {}
  // Called once per old instance, in order; `inherit_counters` says whether
  // this instance takes over that instance's additive counters.
  virtual void restore_shared(StateReader& /*r*/, bool /*inherit_counters*/) {}
  // The entries of one key group this instance owns; reads until r.at_end().
  virtual void restore_key_group(uint32_t /*key_group*/, StateReader& /*r*/) {}

  // The key group of a new state entry whose state key is `state_key`, first
  // seen on input row `row`.
  uint32_t key_group_for(std::string_view state_key, const Value* row) const {
    return partition_key_ ? key_group_of_row(row, *partition_key_, key_groups_) : key_group_of(state_key, key_groups_);
  }

 private:
  std::optional<std::vector<size_t>> partition_key_;
  uint32_t key_groups_ = kDefaultKeyGroups;
};

using OperatorPtr = std::unique_ptr<Operator>;

}  // namespace ananas::ops
