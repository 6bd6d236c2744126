#pragma once
// Deduplication (Flink docs, Queries > Deduplication): ROW_NUMBER() OVER
// (PARTITION BY k ORDER BY time ASC|DESC) filtered to 1, one row kept per key,
// as Flink's ProcTimeDeduplicateKeepFirstRowFunction,
// ProcTimeDeduplicateKeepLastRowFunction and RowTimeDeduplicateFunction decide:
//  - processing time, keep first: the first row of a key is emitted (+I), later
//    ones are dropped: insert-only;
//  - processing time, keep last: every row replaces its key's row;
//  - event time, keep first: a row replaces its key's row when its time is
//    earlier (a later-arriving earlier row wins);
//  - event time, keep last: a row replaces its key's row when its time is the
//    same or later.
// A replacement is +I for a new key, else -U(old row) (when consumers need it)
// and +U(new row). No watermark is involved: Flink emits on arrival.
#include <string>
#include <unordered_map>
#include <vector>

#include "operators/operator.hpp"
#include "operators/row_error.hpp"

namespace ananas::ops {

struct DeduplicateConfig {
  Schema input;
  std::vector<size_t> partition_by;  // input columns
  std::optional<size_t> time_column;  // event-time order; unset: processing time (arrival order)
  bool keep_last = false;
  bool emit_update_before = true;
  RowErrorHandler on_row_error;  // unset: a failing row throws RowFailure
};

class DeduplicateOperator final : public Operator {
 public:
  explicit DeduplicateOperator(DeduplicateConfig config);
  std::string_view kind() const override { return "deduplicate"; }
  const Schema& output_schema() const override { return config_.input; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override;

 protected:
  std::string state_description() const override;
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override { kept_.clear(); }
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  struct Kept {
    std::string row;  // encoded
    int64_t time = 0;
    uint32_t key_group = 0;
  };
  bool replaces(const Kept* kept, int64_t time) const;

  DeduplicateConfig config_;
  std::unordered_map<std::string, Kept> kept_;  // by encoded partition key
  OperatorStats stats_;
};

}  // namespace ananas::ops
