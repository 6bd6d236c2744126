#pragma once
// Top-N (Flink docs, Queries > Top-N): ROW_NUMBER() OVER (PARTITION BY k ORDER
// BY c1 [DESC], ...) filtered to a rank range, on an insert-only input, as
// Flink's AppendOnlyTopNFunction and FastTop1Function emit it:
//  - each partition keeps its best rows in sort order (ties in arrival order);
//    a row enters when the partition holds fewer than `rank_end` rows or when
//    it sorts strictly before the worst kept row;
//  - without the row number (and without an offset) a row that enters is +I,
//    and the row it pushes out of the top is -D;
//  - with the row number (or an offset), every kept row whose rank moves is
//    -U(old rank) (when consumers need it) / +U(new rank), and a row that newly
//    reaches a rank is +I; ranks outside [rank_start, rank_end] are not emitted;
//  - Top-1 (rank range 1..1) is Flink's FastTop1Function: a better row
//    replaces the kept one as -U/+U, with or without the row number.
// Rows are emitted on arrival; no watermark is involved.
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "operators/operator.hpp"
#include "operators/owned_value.hpp"

namespace ananas::ops {

struct TopNSortKey {
  size_t column = 0;  // input column
  bool descending = false;
  bool nulls_first = true;  // Flink's default: NULLs are the smallest values (first ASC, last DESC)
};

// A row's values of the sort columns, and their order: best first.
using TopNSortValues = std::vector<OwnedValue>;
TopNSortValues top_n_sort_values(const Value* row, const std::vector<TopNSortKey>& keys);
struct TopNSortOrder {
  const std::vector<TopNSortKey>* keys;
  bool operator()(const TopNSortValues& a, const TopNSortValues& b) const;
};

// Sort key -> the rows (encoded, core/row_codec) with that key, in arrival
// order: what both Top-N operators keep per partition (and window).
using TopNBuffer = std::map<TopNSortValues, std::vector<std::string>, TopNSortOrder>;

// Both Top-N operators' output: the input, then the row number when it is
// output. Throws std::invalid_argument for a column out of range, an order
// by a nested type, or an empty rank range.
Schema top_n_output(const Schema& input, const std::vector<size_t>& partition_by, const std::vector<TopNSortKey>& order_by,
                    int64_t rank_start, int64_t rank_end, const std::optional<std::string>& rank_column);

// What both Top-N operators' snapshots depend on besides their kind: the
// input's types, the partition and the order columns (state_description).
std::string top_n_layout(const Schema& input, const std::vector<size_t>& partition_by, const std::vector<TopNSortKey>& order_by);
// The buffer's rows best first, and back: `count` rows of `input`'s width
// appended to `buffer` in the order read (ties keep theirs).
void save_top_n_rows(const TopNBuffer& buffer, StateWriter& out);
void load_top_n_rows(StateReader& r, uint64_t count, const Schema& input, const std::vector<TopNSortKey>& order_by,
                     TopNBuffer& buffer);
// Approximate bytes the buffer holds (stats).
uint64_t top_n_buffer_bytes(const TopNBuffer& buffer);

struct TopNConfig {
  Schema input;
  std::vector<size_t> partition_by;  // input columns
  std::vector<TopNSortKey> order_by;  // empty: all rows tie (processing time ascending: the first N to arrive)
  int64_t rank_start = 1;
  int64_t rank_end = 1;
  std::optional<std::string> rank_column;  // set: the row number is output as this BIGINT column, after the input's
  bool emit_update_before = true;
};

class TopNOperator final : public Operator {
 public:
  explicit TopNOperator(TopNConfig config);
  std::string_view kind() const override { return "top_n"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override;

 protected:
  std::string state_description() const override;
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override { partitions_.clear(); }
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  using SortValues = TopNSortValues;
  using Buffer = TopNBuffer;
  struct Partition {
    explicit Partition(const std::vector<TopNSortKey>* keys) : buffer(TopNSortOrder{keys}) {}
    Buffer buffer;
    size_t rows = 0;
    uint32_t key_group = 0;
  };
  class Emitter;

  SortValues sort_values(const Value* row) const { return top_n_sort_values(row, config_.order_by); }
  bool enters(const Partition& p, const SortValues& key) const;
  void add(Partition& p, SortValues key, std::string row);
  void process_without_rank(Partition& p, const SortValues& key, const Value* row, Emitter& out);
  void process_with_rank(Partition& p, const SortValues& key, const Value* row, Emitter& out);
  void process_top1(Partition& p, const SortValues& key, const Value* row, Emitter& out);
  bool in_range(int64_t rank) const { return rank >= config_.rank_start && rank <= config_.rank_end; }

  TopNConfig config_;
  Schema output_;
  std::unordered_map<std::string, Partition> partitions_;  // by encoded partition key
  OperatorStats stats_;
};

}  // namespace ananas::ops
