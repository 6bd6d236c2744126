#pragma once
// An event-time temporal join (Flink docs, Queries > Joins > Event Time
// Temporal Join): `FROM orders LEFT JOIN rates FOR SYSTEM_TIME AS OF
// orders.order_time ON orders.currency = rates.currency` joins each left row
// with the version of the right row its key had at the left row's time.
// The right side is a versioned table: every row it reads is the version of
// its key from its rowtime on (a later row of the same key and time replaces
// it); a delete is a version that says "no row from then on"; an
// UPDATE_BEFORE is ignored (the UPDATE_AFTER that follows is the version).
//
// As Flink's TemporalRowTimeJoinOperator: left rows wait until the watermark
// passes their time (the versions up to then are complete), then each is
// joined with the latest version at or before its time, in the arrival order
// of its key's rows; without one (or when the residual condition refuses it,
// or the version is a delete) an inner join drops the row and a LEFT join
// writes it padded with NULLs. Then the versions the watermark has left
// behind go, except the last one at or before it (later left rows may still
// need it). Each key keeps one timer, its earliest pending time, and keys
// are processed in timer order. The output is insert-only: the left columns,
// then the right ones; NULL keys never match.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "operators/join_sides.hpp"
#include "operators/operator.hpp"

namespace ananas::ops {

// type: inner, or left (unmatched left rows padded with NULLs); the right
// keys cover the versioned table's primary key.
struct TemporalJoinConfig : JoinSides {
  size_t left_time = 0, right_time = 0;  // the AS OF time (left) and the versions' rowtime (right)
};

class TemporalJoinOperator final : public Operator {
 public:
  // Throws std::invalid_argument for no keys, key lists of different
  // lengths, a column out of range or a time column that is not a timestamp.
  explicit TemporalJoinOperator(TemporalJoinConfig config);
  std::string_view kind() const override { return "temporal_join"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override { process_input(0, input, out); }
  void process_input(size_t input, const BatchPtr& batch, std::vector<BatchPtr>& out) override;
  void on_watermark(int64_t watermark, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override;

 protected:
  std::string state_description() const override;
  void save_shared(StateWriter& w) const override;
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override;
  void restore_shared(StateReader& r, bool inherit_counters) override;
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  bool left_outer() const { return config_.type == JoinType::Left; }
  struct Version {
    bool deleted = false;
    std::string row;  // encoded right row
  };
  struct KeyState {
    std::vector<std::pair<int64_t, std::string>> waiting;  // left rows (time, encoded), in arrival order
    std::map<int64_t, Version> versions;                   // right rows by rowtime
    int64_t timer = kMaxWatermark;                         // kMaxWatermark: none
    uint32_t key_group = 0;
  };
  // Flink's registerSmallestTimer: the key is looked at once the watermark reaches `time`.
  void register_timer(const std::string& key, KeyState& ks, int64_t time);
  // Joins the key's left rows the watermark has passed into `out`, frees the
  // versions it left behind, and sets the next timer; false: the key holds nothing any more.
  bool fire(const std::string& key, KeyState& ks, Batch& out);

  TemporalJoinConfig config_;
  Schema output_;
  std::unordered_map<std::string, KeyState> keys_;  // by encoded join key
  std::set<std::pair<int64_t, std::string>> timers_;
  int64_t watermark_ = kMinWatermark;
  OperatorStats stats_;
};

}  // namespace ananas::ops
