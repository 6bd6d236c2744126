#include "operators/group_aggregate.hpp"

#include <stdexcept>

#include "operators/encoded_row.hpp"

namespace ananas::ops {

GroupAggregateOperator::GroupAggregateOperator(GroupAggregateConfig config)
    : config_(std::move(config)), aggregates_(config_.aggregates) {
  for (const auto& k : config_.keys)
    if (!k.expr) throw std::invalid_argument("group key '" + k.name + "' has no expression");
  output_.columns = columns_of(config_.keys);
  for (auto& c : aggregates_.result_columns()) output_.columns.push_back(std::move(c));
}

void GroupAggregateOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  const size_t nkeys = config_.keys.size();
  const size_t naggs = aggregates_.size();
  auto result = std::make_shared<Batch>(output_.size());
  result->retain(input);  // key values may point into the input's strings
  expr::EvalContext ctx;
  ctx.arena = &result->arena();

  std::vector<Value> keys(nkeys);
  AggregateSet::RowInputs inputs;
  std::vector<Value> prev(naggs), next(naggs);
  std::string key_bytes, prev_bytes, next_bytes;

  auto emit = [&](RowKind kind, const std::vector<Value>& aggs) {
    Value* dst = result->append_row(kind);
    for (size_t i = 0; i < nkeys; ++i) dst[i] = keys[i];
    for (size_t i = 0; i < naggs; ++i) dst[nkeys + i] = aggs[i];
  };

  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    try {
      for (size_t i = 0; i < nkeys; ++i) keys[i] = config_.keys[i].expr->eval(row, ctx);
      aggregates_.evaluate(row, ctx, inputs);
    } catch (const expr::EvalError& e) {
      report_row_error(config_.on_row_error, *input, r, e.what());
      continue;
    }
    const bool accumulate = is_accumulate(input->kind(r));
    key_bytes.clear();
    encode_values(keys.data(), nkeys, key_bytes);

    auto it = groups_.find(key_bytes);
    const bool first = it == groups_.end();
    if (first) {
      // Flink never creates state for a retraction (state expired or never existed).
      if (!accumulate) continue;
      it = groups_.emplace(key_bytes, Group{0, aggregates_.create(), key_group_for(key_bytes, row)}).first;
    }
    Group& g = it->second;
    if (!first) aggregates_.results(g.accumulators, result->arena(), prev.data());
    aggregates_.apply(g.accumulators, inputs, accumulate);
    g.rows += accumulate ? 1 : -1;

    if (g.rows <= 0) {
      if (!first) emit(RowKind::Delete, prev);
      groups_.erase(it);
      continue;
    }
    aggregates_.results(g.accumulators, result->arena(), next.data());
    if (first) {
      emit(RowKind::Insert, next);
      continue;
    }
    prev_bytes.clear();
    next_bytes.clear();
    encode_values(prev.data(), naggs, prev_bytes);
    encode_values(next.data(), naggs, next_bytes);
    if (prev_bytes == next_bytes) continue;
    if (config_.emit_update_before) emit(RowKind::UpdateBefore, prev);
    emit(RowKind::UpdateAfter, next);
  }
  if (result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

// Per key group: (key bytes, contributing rows, accumulators) per group key.
std::string GroupAggregateOperator::state_description() const {
  std::string d = "keys";
  for (const auto& k : config_.keys) d += ' ' + k.expr->type().to_string();
  return d + "\n" + aggregates_.layout();
}

void GroupAggregateOperator::save_keyed(KeyedStateWriter& w) const {
  for (const auto& [key, g] : groups_) {
    StateWriter& out = w.entry(g.key_group, key);
    out.bytes(key);
    out.i64(g.rows);
    aggregates_.save(g.accumulators, out);
  }
}

void GroupAggregateOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    std::string key(r.bytes());
    int64_t rows = r.i64();
    Group g{rows, aggregates_.load(r), key_group};
    groups_.insert_or_assign(std::move(key), std::move(g));
  }
}

OperatorStats GroupAggregateOperator::stats() const {
  OperatorStats s = stats_;
  s.state_entries = groups_.size();
  for (const auto& [key, g] : groups_) {
    s.state_bytes += key.capacity() + sizeof(Group);
    s.state_bytes += aggregates_.approx_bytes(g.accumulators);
  }
  return s;
}

}  // namespace ananas::ops
