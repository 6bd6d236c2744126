#include "operators/upsert_materializer.hpp"

#include <stdexcept>

#include "operators/encoded_row.hpp"
#include "operators/packed_bytes.hpp"

namespace ananas::ops {

UpsertMaterializerOperator::UpsertMaterializerOperator(UpsertMaterializerConfig config) : config_(std::move(config)) {
  if (config_.sink_key.empty()) throw std::invalid_argument("upsert materializer needs the sink's primary key columns");
  for (const auto* cols : {&config_.sink_key, &config_.upsert_key})
    for (size_t c : *cols)
      if (c >= config_.input.size())
        throw std::invalid_argument("upsert materializer: column index " + std::to_string(c) + " out of range for " +
                                    config_.input.to_string());
  if (config_.upsert_key.empty()) {
    for (size_t c = 0; c < config_.input.size(); ++c) match_columns_.push_back(c);
  } else {
    match_columns_ = config_.upsert_key;
  }
}

void UpsertMaterializerOperator::encode_columns(const Value* row, const std::vector<size_t>& columns,
                                                std::string& out) const {
  for (size_t c : columns) encode_value(row[c], out);
}

std::string_view UpsertMaterializerOperator::match_of(std::string_view stored, std::string& scratch) const {
  if (config_.upsert_key.empty()) return stored;  // matched on all columns: the row's own bytes
  Arena arena(256);
  std::vector<Value> values(config_.input.size());
  decode_row(stored, values.size(), arena, values.data());
  scratch.clear();
  encode_columns(values.data(), match_columns_, scratch);
  return scratch;
}

void UpsertMaterializerOperator::split_rows(std::string_view payload, std::vector<std::string_view>& rows) {
  rows.clear();
  for (uint64_t i = 0, n = get_varint(payload); i < n; ++i) rows.push_back(get_packed_bytes(payload));
}

namespace {

void join_rows(const std::vector<std::string_view>& rows, std::string& out) {
  out.clear();
  put_varint(out, rows.size());
  for (std::string_view r : rows) put_packed_bytes(out, r);
}

}  // namespace

void UpsertMaterializerOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  const size_t width = input->num_columns();
  auto result = std::make_shared<Batch>(width);
  result->retain(input);  // rows passed through keep pointing at the input

  std::string key, encoded, match_bytes, scratch, payload;
  std::vector<std::string_view> rows;
  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    key.clear();
    encode_columns(row, config_.sink_key, key);
    encoded.clear();
    encode_values(row, width, encoded);
    std::string_view match = encoded;
    if (!config_.upsert_key.empty()) {
      match_bytes.clear();
      encode_columns(row, match_columns_, match_bytes);
      match = match_bytes;
    }
    const size_t hash = BlobTable::hash(key);
    const size_t slot = rows_by_key_.find(key, hash);

    if (is_accumulate(input->kind(r))) {
      if (slot == BlobTable::npos) {
        rows.assign(1, encoded);
        join_rows(rows, payload);
        rows_by_key_.insert(key, hash, key_group_for(key, row), payload);
        result->append_row(row, RowKind::Insert);
        continue;
      }
      split_rows(rows_by_key_.payload(slot), rows);  // never empty: a key whose list empties is erased
      bool replaced = false;
      if (!config_.upsert_key.empty()) {
        for (auto& s : rows)
          if (match_of(s, scratch) == match) {
            s = encoded;
            replaced = true;
            break;
          }
      }
      if (!replaced) rows.push_back(encoded);
      join_rows(rows, payload);
      rows_by_key_.set_payload(slot, payload);
      result->append_row(row, RowKind::UpdateAfter);
      continue;
    }

    if (slot == BlobTable::npos) continue;  // nothing to retract (Flink logs and ignores)
    split_rows(rows_by_key_.payload(slot), rows);
    size_t index = rows.size();
    for (size_t i = 0; i < rows.size(); ++i)
      if (match_of(rows[i], scratch) == match) {
        index = i;
        break;
      }
    if (index == rows.size()) continue;
    const bool was_last = index + 1 == rows.size();
    rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(index));
    if (rows.empty()) {
      result->append_row(row, RowKind::Delete);
      rows_by_key_.erase(slot);
      continue;
    }
    if (was_last) {
      Value* dst = result->append_row(RowKind::UpdateAfter);
      decode_row(rows.back(), width, result->arena(), dst);
    }
    join_rows(rows, payload);  // before set_payload: `rows` point into the old payload
    rows_by_key_.set_payload(slot, payload);
  }
  if (result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

// Per key group: (sink key bytes, row count, (row bytes, match bytes) per row) per sink key.
std::string UpsertMaterializerOperator::state_description() const {
  std::string d = "input";
  for (const auto& c : config_.input.columns) d += ' ' + c.type.to_string();
  d += "\nsink key";
  for (size_t c : config_.sink_key) d += ' ' + std::to_string(c);
  d += "\nmatch";
  for (size_t c : match_columns_) d += ' ' + std::to_string(c);
  return d;
}

void UpsertMaterializerOperator::save_keyed(KeyedStateWriter& w) const {
  std::vector<std::string_view> rows;
  std::string scratch;
  rows_by_key_.for_each([&](size_t slot) {
    const std::string_view key = rows_by_key_.key(slot);
    split_rows(rows_by_key_.payload(slot), rows);
    StateWriter& out = w.entry(rows_by_key_.key_group(slot), key);
    out.bytes(key);
    out.u64(rows.size());
    for (std::string_view row : rows) {
      out.bytes(row);
      out.bytes(match_of(row, scratch));
    }
  });
}

void UpsertMaterializerOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  std::vector<std::string_view> rows;
  std::string payload;
  while (!r.at_end()) {
    std::string key(r.bytes());
    rows.clear();
    for (uint64_t j = 0, m = r.u64(); j < m; ++j) {
      rows.push_back(r.bytes());
      r.bytes();  // the match bytes: recomputed from the row when needed
    }
    const size_t hash = BlobTable::hash(key);
    const size_t slot = rows_by_key_.find(key, hash);
    if (rows.empty()) {  // an empty list is no state (the old format could hold one)
      if (slot != BlobTable::npos) rows_by_key_.erase(slot);
      continue;
    }
    join_rows(rows, payload);
    if (slot == BlobTable::npos) rows_by_key_.insert(key, hash, key_group, payload);
    else rows_by_key_.set_payload(slot, payload);
  }
}

OperatorStats UpsertMaterializerOperator::stats() const {
  OperatorStats s = stats_;
  rows_by_key_.for_each([&](size_t slot) {
    std::string_view payload = rows_by_key_.payload(slot);
    s.state_entries += get_varint(payload);
  });
  s.state_bytes = rows_by_key_.heap_bytes();
  return s;
}

}  // namespace ananas::ops
