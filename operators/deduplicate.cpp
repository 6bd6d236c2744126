#include "operators/deduplicate.hpp"

#include <stdexcept>

#include "operators/encoded_row.hpp"

namespace ananas::ops {

DeduplicateOperator::DeduplicateOperator(DeduplicateConfig config) : config_(std::move(config)) {
  for (size_t k : config_.partition_by)
    if (k >= config_.input.size()) throw std::invalid_argument("PARTITION BY column index " + std::to_string(k) + " out of range");
  if (config_.time_column) {
    if (*config_.time_column >= config_.input.size())
      throw std::invalid_argument("deduplication time column index out of range");
    if (!config_.input[*config_.time_column].type.is_timestamp())
      throw std::invalid_argument("deduplication on event time needs a timestamp column");
  }
}

bool DeduplicateOperator::replaces(const Kept* kept, int64_t time) const {
  if (!kept) return true;
  if (!config_.time_column) return config_.keep_last;  // arrival order
  return config_.keep_last ? time >= kept->time : time < kept->time;
}

void DeduplicateOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  const size_t width = config_.input.size();
  const size_t nkeys = config_.partition_by.size();
  std::vector<Value> keys(nkeys);
  std::shared_ptr<Batch> result;
  auto emit = [&](RowKind kind, const Value* row) {
    Value* dst = result->append_row(kind);
    for (size_t c = 0; c < width; ++c) dst[c] = row[c];
  };
  auto emit_encoded = [&](RowKind kind, const std::string& bytes) {
    Value* dst = result->append_row(kind);
    decode_row(bytes, width, result->arena(), dst);
  };
  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    int64_t time = 0;
    if (config_.time_column) {
      const Value& t = row[*config_.time_column];
      if (t.is_null()) {
        report_row_error(config_.on_row_error, *input, r,
                         "RowTime field should not be null, please convert it to a non-null long value.");
        continue;
      }
      time = t.as_int();
    }
    for (size_t i = 0; i < nkeys; ++i) keys[i] = row[config_.partition_by[i]];
    std::string key = encode_row(keys.data(), nkeys);
    auto it = kept_.find(key);
    Kept* kept = it == kept_.end() ? nullptr : &it->second;
    if (!replaces(kept, time)) continue;
    if (!result) {
      result = std::make_shared<Batch>(width);
      result->retain(input);  // emitted rows point into the input batch
    }
    if (!kept) {
      emit(RowKind::Insert, row);
      const uint32_t group = key_group_for(key, row);
      kept_.emplace(std::move(key), Kept{encode_row(row, width), time, group});
      continue;
    }
    if (config_.emit_update_before) emit_encoded(RowKind::UpdateBefore, kept->row);
    emit(RowKind::UpdateAfter, row);
    kept->row = encode_row(row, width);
    kept->time = time;
  }
  if (!result || result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

std::string DeduplicateOperator::state_description() const {
  std::string d = std::string("deduplicate ") + (config_.keep_last ? "last" : "first") + " " +
                  (config_.time_column ? "rowtime " + std::to_string(*config_.time_column) : std::string("proctime")) + "\ninput";
  for (const auto& c : config_.input.columns) d += ' ' + c.type.to_string();
  d += "\npartition";
  for (size_t k : config_.partition_by) d += ' ' + std::to_string(k);
  return d;
}

void DeduplicateOperator::save_keyed(KeyedStateWriter& w) const {
  for (const auto& [key, kept] : kept_) {
    StateWriter& out = w.entry(kept.key_group, key);
    out.bytes(key);
    out.bytes(kept.row);
    out.i64(kept.time);
  }
}

void DeduplicateOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    std::string key(r.bytes());
    std::string row(r.bytes());
    const int64_t time = r.i64();
    kept_.insert_or_assign(std::move(key), Kept{std::move(row), time, key_group});
  }
}

OperatorStats DeduplicateOperator::stats() const {
  OperatorStats s = stats_;
  s.state_entries = kept_.size();
  for (const auto& [key, kept] : kept_) s.state_bytes += sizeof(Kept) + key.capacity() + kept.row.capacity();
  return s;
}

}  // namespace ananas::ops
