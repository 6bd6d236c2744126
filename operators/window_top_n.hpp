#pragma once
// Window Top-N (Flink docs, Queries > Window Top-N; WindowRankOperator): a
// Top-N whose PARTITION BY holds window_start and window_end of a window TVF
// or window aggregation. Nothing is emitted while a window is open; when the
// watermark W reaches window_end - 1 each partition's top rows of that window
// come out once, as inserts, best first, with their rank when asked, and the
// window's state is freed. Windows fire in ascending window_end, then
// window_start; among the partitions of one window, in ascending order of the
// encoded partition key (Flink leaves it unspecified; ours is deterministic).
// Ties keep their arrival order (or the reverse: later_ties_first). A row whose window already fired is late:
// dropped and counted, as Flink's numLateRecordsDropped.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "operators/operator.hpp"
#include "operators/top_n.hpp"

namespace ananas::ops {

struct WindowTopNConfig {
  Schema input;
  size_t window_start = 0;  // input columns holding the window bounds
  size_t window_end = 0;
  std::vector<size_t> partition_by;  // the other PARTITION BY columns
  std::vector<TopNSortKey> order_by;  // empty: all rows tie (the first rows to arrive)
  int64_t rank_start = 1;
  int64_t rank_end = 1;
  std::optional<std::string> rank_column;  // set: the row number is output as this BIGINT column, after the input's
  // Among equal sort keys the later arrival ranks first: window deduplication keeping the last row
  // (Flink's RowTimeDeduplicateRecordsCombiner replaces on an equal time).
  bool later_ties_first = false;
};

class WindowTopNOperator final : public Operator {
 public:
  explicit WindowTopNOperator(WindowTopNConfig config);
  std::string_view kind() const override { return "window_top_n"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
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
  struct Slot {
    int64_t end;
    int64_t start;
    std::string key;  // encoded partition key
    auto operator<=>(const Slot&) const = default;
  };
  // Sort key -> the rows (encoded) with that key, in arrival order; at most rank_end rows.
  using Buffer = std::map<TopNSortValues, std::vector<std::string>, TopNSortOrder>;
  struct Top {
    explicit Top(const std::vector<TopNSortKey>* keys) : buffer(TopNSortOrder{keys}) {}
    Buffer buffer;
    int64_t rows = 0;
    uint32_t key_group = 0;
  };
  bool fired(int64_t window_end) const { return watermark_ != kMinWatermark && window_end - 1 <= watermark_; }
  void keep(Top& top, TopNSortValues key, std::string row);

  WindowTopNConfig config_;
  Schema output_;
  int64_t watermark_ = kMinWatermark;
  std::map<Slot, Top> tops_;
  OperatorStats stats_;
};

}  // namespace ananas::ops
