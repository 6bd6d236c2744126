#pragma once
// Expand: the first half of GROUPING SETS / ROLLUP / CUBE (Flink docs,
// Queries > Group Aggregation > GROUPING SETS; Flink: StreamExecExpand,
// ExpandUtil). Each input row comes out once per grouping set, in the order
// the sets are listed: the grouping columns the set leaves out are NULL, and
// the set's id is appended as a BIGINT NOT NULL column. The GROUP BY after
// it, keyed by every grouping column and the id, then aggregates all the
// sets at once. The id is Flink's: bit i (from the most significant of as
// many bits as there are grouping columns) is set when the i-th grouping
// column is left out, which is also what GROUPING_ID returns.
// RowKind is kept; output rows point at the input batch's strings.
#include <string>
#include <vector>

#include "operators/operator.hpp"

namespace ananas::ops {

struct ExpandConfig {
  Schema input;
  std::vector<size_t> grouping_columns;   // input columns, in GROUP BY order
  std::vector<std::vector<size_t>> sets;  // per set: the grouping columns it keeps (input columns)
  std::string id_column = "$e";
};

// Flink's expand id of a set keeping `kept` of `grouping_columns`.
int64_t expand_id(const std::vector<size_t>& grouping_columns, const std::vector<size_t>& kept);

class ExpandOperator final : public Operator {
 public:
  // Throws std::invalid_argument for no sets, more than 63 grouping columns,
  // a column out of range, or a set keeping a column that is not a grouping one.
  explicit ExpandOperator(ExpandConfig config);
  std::string_view kind() const override { return "expand"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override { return stats_; }

 private:
  ExpandConfig config_;
  Schema output_;
  std::vector<std::vector<size_t>> nulled_;  // per set: the input columns it sets to NULL
  std::vector<int64_t> ids_;                 // per set
  std::vector<Value> scratch_row_;
  OperatorStats stats_;
};

}  // namespace ananas::ops
