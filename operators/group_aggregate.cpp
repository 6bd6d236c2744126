#include "operators/group_aggregate.hpp"

#include <stdexcept>

#include "operators/encoded_row.hpp"
#include "operators/packed_bytes.hpp"

namespace ananas::ops {

GroupAggregateOperator::GroupAggregateOperator(GroupAggregateConfig config)
    : config_(std::move(config)), aggregates_(config_.aggregates), working_(aggregates_.working()) {
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

    const size_t hash = BlobTable::hash(key_bytes);
    size_t slot = groups_.find(key_bytes, hash);
    const bool first = slot == BlobTable::npos;
    uint64_t rows = 0;
    if (first) {
      // Flink never creates state for a retraction (state expired or never existed).
      if (!accumulate) continue;
      aggregates_.start(working_);
    } else {
      std::string_view payload = groups_.payload(slot);
      rows = get_varint(payload);
      aggregates_.unpack(payload, working_);
      aggregates_.results(working_, result->arena(), prev.data());
    }
    aggregates_.apply(working_, inputs, accumulate);
    rows += accumulate ? 1 : -1;

    if (rows == 0) {  // only a retraction of a group that exists gets here
      emit(RowKind::Delete, prev);
      std::string_view payload = groups_.payload(slot);
      get_varint(payload);
      aggregates_.free_packed(payload);
      groups_.erase(slot);
      continue;
    }
    packed_.clear();
    put_varint(packed_, rows);
    aggregates_.pack(working_, packed_);
    if (first) groups_.insert(key_bytes, hash, key_group_for(key_bytes, row), packed_);
    else groups_.set_payload(slot, packed_);
    aggregates_.results(working_, result->arena(), next.data());
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
  AggregateSet::Working working = aggregates_.working();
  groups_.for_each([&](size_t slot) {
    const std::string_view key = groups_.key(slot);
    std::string_view payload = groups_.payload(slot);
    const uint64_t rows = get_varint(payload);
    aggregates_.unpack(payload, working);
    StateWriter& out = w.entry(groups_.key_group(slot), key);
    out.bytes(key);
    out.i64(static_cast<int64_t>(rows));
    aggregates_.save(working, out);
  });
}

void GroupAggregateOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    std::string key(r.bytes());
    const int64_t rows = r.i64();
    if (rows <= 0) throw CorruptState("corrupt state: a group with " + std::to_string(rows) + " rows");
    packed_.clear();
    put_varint(packed_, static_cast<uint64_t>(rows));
    aggregates_.load_packed(r, packed_);
    const size_t hash = BlobTable::hash(key);
    const size_t slot = groups_.find(key, hash);
    if (slot == BlobTable::npos) {
      groups_.insert(key, hash, key_group, packed_);
    } else {  // the same key twice: the later one wins, as before
      std::string_view old = groups_.payload(slot);
      get_varint(old);
      aggregates_.free_packed(old);
      groups_.set_payload(slot, packed_);
    }
  }
}

void GroupAggregateOperator::clear_state() {
  if (aggregates_.has_heap_calls()) {
    groups_.for_each([&](size_t slot) {
      std::string_view payload = groups_.payload(slot);
      get_varint(payload);
      aggregates_.free_packed(payload);
    });
  }
  groups_.clear();
}

OperatorStats GroupAggregateOperator::stats() const {
  OperatorStats s = stats_;
  s.state_entries = groups_.size();
  s.state_bytes = groups_.heap_bytes();
  if (aggregates_.has_heap_calls()) {
    groups_.for_each([&](size_t slot) {
      std::string_view payload = groups_.payload(slot);
      get_varint(payload);
      s.state_bytes += aggregates_.approx_heap_bytes(payload);
    });
  }
  return s;
}

}  // namespace ananas::ops
