#pragma once
// Replicate: each input row comes out as many times as its count column says
// (none for a count of 0, a negative one or NULL), without that column, in
// its own RowKind. The last step of INTERSECT ALL and EXCEPT ALL, as Flink
// runs them: RewriteIntersectAllRule / RewriteMinusAllRule count each row's
// copies per side in a group aggregation, then a Correlate with the
// ReplicateRows table function writes the row that many times; an update of
// the count (-U old count, +U new count) thus retracts the old copies and
// writes the new ones. Stateless; output rows point at the input batch's strings.
#include <string>
#include <vector>

#include "operators/operator.hpp"

namespace ananas::ops {

struct ReplicateConfig {
  Schema input;
  size_t times_column = 0;  // an integer column of `input`
};

class ReplicateOperator final : public Operator {
 public:
  // Throws std::invalid_argument for a count column out of range or not an integer.
  explicit ReplicateOperator(ReplicateConfig config);
  std::string_view kind() const override { return "replicate"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override;
  OperatorStats stats() const override { return stats_; }

 private:
  ReplicateConfig config_;
  Schema output_;
  std::vector<Value> scratch_row_;
  OperatorStats stats_;
};

}  // namespace ananas::ops
