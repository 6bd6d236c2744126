#pragma once
// UNION ALL: every row of every input, unchanged (Flink docs, Queries > Set
// Operations > UNION; Flink: StreamExecUnion). The inputs carry the same
// column types (the planner casts a branch where Flink's UNION would widen
// it); the output takes the first input's column names. Merging the inputs
// and their watermarks (the minimum over every input, as Flink aligns its
// input channels) is the host's: dataflow::Topology numbers every input of
// a node, so this class only passes batches on.
#include "operators/operator.hpp"

namespace ananas::ops {

class UnionAllOperator final : public Operator {
 public:
  explicit UnionAllOperator(Schema output) : output_(std::move(output)) {}
  std::string_view kind() const override { return "union_all"; }
  const Schema& output_schema() const override { return output_; }
  void process(const BatchPtr& input, std::vector<BatchPtr>& out) override {
    if (!input || input->empty()) return;
    stats_.rows_in += input->num_rows();
    stats_.rows_out += input->num_rows();
    out.push_back(input);  // batches are immutable and shared: no copy
  }
  OperatorStats stats() const override { return stats_; }

 private:
  Schema output_;
  OperatorStats stats_;
};

}  // namespace ananas::ops
