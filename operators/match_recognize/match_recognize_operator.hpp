#pragma once
// MATCH_RECOGNIZE as a stream operator (Flink docs, Table API & SQL > Queries > Pattern Recognition): rows are buffered per
// (partition key, event time) until the watermark passes them (Flink: CepOperator), then fed
// in time order (ties: arrival order, or the secondary ORDER BY keys) to the
// partition's matching engine; each emitted match becomes one output row of
// PARTITION BY columns followed by MEASURES (Flink docs, Pattern Recognition > Output Mode). State per partition
// (buffered rows, rows referenced by partial matches, the matches themselves)
// is freed as soon as nothing refers to it.
//
// DEFINE conditions and MEASURES arrive already bound: CompiledExprs that read
// the match through `EvalContext::navigation` (a MatchContext). A condition is
// evaluated with the candidate row as `row`; a measure with the match's last
// row as `row` (an unqualified column in MEASURES is the last row, Flink docs, Pattern Recognition > Define & Measures).
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/expr/compiled_expr.hpp"
#include "operators/match_recognize/nfa.hpp"
#include "operators/operator.hpp"
#include "operators/row_error.hpp"

namespace ananas::ops {

struct MatchOrderKey {
  size_t column = 0;
  bool descending = false;
  SourceLocation loc;
};

struct MatchMeasure {
  std::string name;
  expr::CompiledExprPtr expr;
  SourceLocation loc;
};

struct MatchDefine {
  std::string variable;
  expr::CompiledExprPtr condition;  // BOOLEAN
  SourceLocation loc;
};

struct MatchRecognizeConfig {
  Schema input;
  std::vector<size_t> partition_by;     // input column indexes
  std::vector<MatchOrderKey> order_by;  // first: the rowtime attribute, ascending (Flink docs, Pattern Recognition > Order of Events)
  SourceLocation order_by_loc;          // where ORDER BY is (or would be) written
  std::vector<MatchMeasure> measures;
  std::vector<MatchDefine> defines;
  std::string pattern_text;  // between PATTERN's parentheses
  SourceLocation pattern_loc;
  mr::SkipStrategy skip;
  SourceLocation skip_loc;
  std::optional<int64_t> within_millis;
  RowErrorHandler on_row_error;  // rows with a NULL time attribute or a non-insert kind
};

// MATCH_RECOGNIZE's ORDER BY rule: the first key is a time attribute (the
// rowtime), ascending. The operator checks its configuration with it, and the
// SQL planner calls it (through pipelines/operator_kinds/match_recognize) so a
// query is refused with the same words before a pipeline exists.
void validate_match_order_by(const Schema& input, const std::vector<MatchOrderKey>& order_by,
                             const SourceLocation& order_by_loc);

class MatchRecognizeOperator : public Operator {
 public:
  // Validates the configuration (InputError with the user's location).
  explicit MatchRecognizeOperator(MatchRecognizeConfig config);

  std::string_view kind() const override { return "match_recognize"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  void on_watermark(int64_t watermark, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override;

 protected:
  // Version 1 wrote every partition in one list; 2 writes them per key group.
  uint32_t state_version() const override { return 2; }
  std::string state_description() const override;
  void save_shared(StateWriter& w) const override;
  void save_keyed(KeyedStateWriter& w) const override;
  void clear_state() override;
  void restore_shared(StateReader& r, bool inherit_counters) override;
  void restore_key_group(uint32_t key_group, StateReader& r) override;

 private:
  struct StoredRow {
    BatchPtr batch;
    size_t index = 0;
    const Value* cells() const { return batch->row(index); }
  };
  struct Partition : mr::RowSource {
    std::map<int64_t, std::vector<StoredRow>> buffer;  // waiting for the watermark
    std::deque<StoredRow> rows;                        // rows [base_seq, next_seq) partial matches may refer to
    uint64_t base_seq = 0;
    uint64_t next_seq = 0;
    mr::NfaState nfa;
    uint32_t key_group = 0;
    const Value* row(uint64_t seq) const override { return rows.at(seq - base_seq).cells(); }
    bool empty() const { return buffer.empty() && rows.empty() && nfa.empty(); }
  };

  void fire(Partition& p, int64_t watermark, Batch& out);
  void emit(const Partition& p, const std::vector<mr::PartialMatch>& matches, Batch& out);
  void sort_ties(std::vector<StoredRow>& rows) const;
  void trim(Partition& p) const;

  MatchRecognizeConfig config_;
  Schema output_;
  size_t rowtime_ = 0;
  std::optional<mr::MatchEngine> engine_;
  std::map<std::string, Partition> partitions_;  // by encoded partition key (deterministic firing order)
  int64_t watermark_ = kMinWatermark;
  uint64_t late_ = 0, rows_in_ = 0, rows_out_ = 0;
};

}  // namespace ananas::ops
