#pragma once
// A window join (Flink docs, Queries > Window JOIN; Flink's WindowJoinOperator):
// an INNER, LEFT, RIGHT or FULL OUTER equi-join of two insert-only inputs
// that carry window bounds (window_start, window_end of a window TVF or of a
// window aggregation), whose rows match only within one window. Unlike a
// regular join nothing comes out while a window is open:
//  - each row is buffered under its window (start, end) and join key, per side,
//    in arrival order;
//  - when the watermark W reaches window_end - 1 (the window fires, as in
//    Flink's isWindowFired), the window's rows of each key are joined and
//    emitted as +I: for INNER the matching pairs (left rows outer, right rows
//    inner, in arrival order); LEFT pads each left row without a match with
//    NULLs; RIGHT walks the right rows (outer) instead; FULL emits the left
//    rows as LEFT does, then the right rows no left row matched, padded;
//    SEMI emits each left row with a match once, ANTI each left row without
//    one (the output is then the left columns only; Flink's
//    SemiAntiJoinOperator). Then the window's state is freed;
//  - a row whose window has already fired is late: dropped and counted, as
//    Flink's numLateRecordsDropped.
// Windows fire in ascending window_end, then window_start; the keys of one
// window in ascending order of their encoded bytes (Flink's timers of one
// time fire in an unspecified order; ours is deterministic). A row whose key
// has a NULL never matches (SQL's NULL = NULL is not true) but is padded like
// any unmatched row. With no key columns every row of a window matches every
// row of the other side's same window (ON holds only the window equalities).
// Both sides' time attributes stay time attributes (Flink keeps them: a
// window join's output can be windowed again). Input 0 is the left side,
// input 1 the right; the output is the left columns then the right ones.
#include <map>
#include <string>
#include <vector>

#include "operators/join_sides.hpp"
#include "operators/operator.hpp"

namespace ananas::ops {

struct WindowJoinConfig : JoinSides {                   // the keys may be empty: the window alone
  size_t left_window_start = 0, left_window_end = 0;    // the left rows' window bounds
  size_t right_window_start = 0, right_window_end = 0;  // the right rows' window bounds
};

class WindowJoinOperator final : public Operator {
 public:
  // Throws std::invalid_argument for key lists of different lengths, a
  // column out of range, or window bounds that are not timestamps.
  explicit WindowJoinOperator(WindowJoinConfig config);
  std::string_view kind() const override { return "window_join"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override { process_input(0, input, out); }
  void process_input(size_t input, const BatchPtr& batch, std::vector<BatchPtr>& out) override;
  void on_watermark(int64_t watermark, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override;

 protected:
  std::string state_description() const override;
  void save_shared(StateWriter& w) const override { w.i64(watermark_); }
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override;
  void restore_shared(StateReader& r, bool inherit_counters) override;
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  // One window of one key: ordered so that firing walks the map from the front.
  struct Slot {
    int64_t end;
    int64_t start;
    std::string key;  // encoded join key
    auto operator<=>(const Slot&) const = default;
  };
  struct Buffered {
    std::vector<std::string> sides[2];  // encoded rows, in arrival order
    bool null_key = false;              // a key with a NULL: its rows never match
    uint32_t key_group = 0;
  };
  bool fired(int64_t window_end) const { return watermark_ != kMinWatermark && window_end - 1 <= watermark_; }
  bool outer(size_t side) const;
  bool semi_or_anti() const { return config_.type == JoinType::Semi || config_.type == JoinType::Anti; }
  // Joins one fired window's rows into `result`.
  void join(const Buffered& rows, Batch& result);

  WindowJoinConfig config_;
  Schema output_;
  int64_t watermark_ = kMinWatermark;
  std::map<Slot, Buffered> windows_;
  OperatorStats stats_;
};

}  // namespace ananas::ops
