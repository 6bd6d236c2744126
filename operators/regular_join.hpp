#pragma once
// A regular join (Flink docs, Queries > Joins > Regular Joins): INNER, LEFT,
// RIGHT and FULL OUTER equi-joins over two changelog inputs, every row of
// both sides kept in state until the state TTL, if one is set. The changelog
// it emits is Flink's StreamingJoinOperator's:
//  - a +I/+U on one side joins every stored row of the other side with the
//    same key that the residual condition accepts; an inner join emits them
//    with the input's kind, an outer side emits +I;
//  - a -U/-D retracts the same pairs (with the input's kind on an inner
//    side, -D on an outer one);
//  - an outer side's row without a match is emitted padded with NULLs (+I),
//    and that padded row is retracted (-D) when its first match arrives, and
//    emitted again (+I) when its last match is retracted: every stored row of
//    an outer side counts its matches ("associations").
// A key with a NULL never matches (SQL's NULL = NULL is not true), but its
// row is kept and padded like any unmatched row, unless the keys are
// null-safe (IS NOT DISTINCT FROM: Flink's join keys without filterNulls,
// as INTERSECT and EXCEPT compare rows). Matches come out in the order the
// other side's rows arrived (Flink's order is its state's).
// SEMI and ANTI joins (INTERSECT and EXCEPT, Flink's ReplaceIntersectWith-
// SemiJoinRule / ReplaceMinusWithAntiJoinRule) emit left rows only, as
// Flink's StreamingSemiAntiJoinOperator does:
//  - a left row is emitted with its own kind when it has a match (SEMI) or
//    has none (ANTI), and stored with its number of matches;
//  - a right +I/+U gives each stored left row it is the first match of:
//    SEMI emits that row with the right row's kind, ANTI retracts it (-D);
//  - a right -U/-D taking a stored left row's last match: SEMI emits that
//    row with the right row's kind, ANTI emits it again (+I).
// Input 0 is the left side, input 1 the right; the output is the left
// columns then the right ones (the left ones alone for SEMI and ANTI).
//
// State TTL (`state_ttl_ms` > 0): as Flink's JoinRecordStateViews with
// StateConfigUtil.createTtlConfig (processing time = the batch's, OnCreateAndWrite,
// NeverReturnExpired), each stored row expires on its own once it was last
// written (added, retracted, or its match count changed) `state_ttl_ms` or
// more ago: an expired row of the other side matches nothing, an expired row
// of this side counts as absent (a new copy starts from zero, a retraction
// finds nothing to remove). Expiring emits nothing: an outer row whose
// matches expired is not padded again, as in Flink. A sweep on the
// processing-time timer frees expired rows without traffic.
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "operators/join_sides.hpp"
#include "operators/operator.hpp"

namespace ananas::ops {

struct RegularJoinConfig : JoinSides {
  int64_t state_ttl_ms = 0;  // the pipeline's state_ttl; 0: rows are kept until retracted
  bool null_safe_keys = false;  // keys compare with IS NOT DISTINCT FROM: NULL matches NULL
};

class RegularJoinOperator final : public Operator {
 public:
  // Throws std::invalid_argument for no keys, key lists of different
  // lengths, a key out of range, or keys of different types.
  explicit RegularJoinOperator(RegularJoinConfig config);
  std::string_view kind() const override { return "join"; }
  const Schema& output_schema() const override { return output_; }
  // A batch without its side is the left side's.
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override { process_input(0, input, out); }
  void process_input(size_t input, const BatchPtr& batch, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override;
  std::optional<int64_t> next_processing_timer() const override;
  void on_processing_time(int64_t now_ms, std::vector<BatchPtr>& out) override;

 protected:
  std::string state_description() const override;
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override {
    keys_.clear();
    next_sweep_ms_.reset();
    has_unstamped_ = false;
  }
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  // One distinct row of one side under one key: how often it is there and,
  // on an outer side, how many rows of the other side it matches.
  struct Stored {
    std::string row;  // encoded
    int64_t count = 0;
    int64_t associations = 0;
    int64_t written = 0;  // processing time of the last write (state TTL only)
  };
  // The rows of one side under one key, in arrival order; retracted rows
  // leave a hole (count 0) until the holes outnumber the rows.
  struct Side {
    std::vector<Stored> rows;
    std::unordered_map<std::string, size_t> index;  // row -> position in rows
    size_t live = 0;
    Stored* find(const std::string& row);
    Stored& add(std::string row);
    void remove_if_gone(Stored& s);
  };
  struct KeyState {
    Side sides[2];
    uint32_t key_group = 0;
  };

  // A stored row of the other side that an input row matches, decoded.
  struct Match {
    Stored* stored;
    std::vector<Value> row;
  };
  // A row of a SEMI or ANTI join's `side`, whose matches on the other side are `matches` (`matched` rows in all).
  void process_semi_anti(size_t side, RowKind kind, const Value* row, std::string encoded, std::vector<Match>& matches,
                         int64_t matched, KeyState& ks, Batch& result, int64_t now);
  bool outer(size_t side) const;
  bool ttl() const { return config_.state_ttl_ms > 0; }
  bool expired(const Stored& s, int64_t now_ms) const;
  // Frees every expired row (and keys left without rows); schedules the next sweep.
  void sweep(int64_t now_ms);
  // Rows restored without a write time count as written at the first
  // processing time seen after the restore.
  void stamp_restored(int64_t now_ms);
  bool semi_or_anti() const { return config_.type == JoinType::Semi || config_.type == JoinType::Anti; }

  RegularJoinConfig config_;
  Schema output_;
  std::unordered_map<std::string, KeyState> keys_;  // by encoded join key
  OperatorStats stats_;
  std::optional<int64_t> next_sweep_ms_;  // TTL only: when the oldest row expires
  bool has_unstamped_ = false;            // TTL only: restored rows without a write time
};

}  // namespace ananas::ops
