#include "operators/upsert_materializer.hpp"

#include <stdexcept>

#include "operators/encoded_row.hpp"

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

std::string UpsertMaterializerOperator::encode_columns(const Value* row, const std::vector<size_t>& columns) const {
  std::string out;
  for (size_t c : columns) encode_value(row[c], out);
  return out;
}

void UpsertMaterializerOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  const size_t width = input->num_columns();
  auto result = std::make_shared<Batch>(width);
  result->retain(input);  // rows passed through keep pointing at the input

  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    std::string key = encode_columns(row, config_.sink_key);
    std::string match = encode_columns(row, match_columns_);

    if (is_accumulate(input->kind(r))) {
      auto [slot, created] = rows_by_key_.try_emplace(key);
      if (created) slot->second.key_group = key_group_for(key, row);
      auto& list = slot->second.rows;
      RowKind emitted = list.empty() ? RowKind::Insert : RowKind::UpdateAfter;
      StoredRow stored{encode_row(row, width), std::move(match)};
      bool replaced = false;
      if (!config_.upsert_key.empty()) {
        for (auto& s : list)
          if (s.match == stored.match) {
            s = std::move(stored);
            replaced = true;
            break;
          }
      }
      if (!replaced) list.push_back(std::move(stored));
      result->append_row(row, emitted);
      continue;
    }

    auto it = rows_by_key_.find(key);
    if (it == rows_by_key_.end()) continue;  // nothing to retract (Flink logs and ignores)
    auto& list = it->second.rows;
    size_t index = list.size();
    for (size_t i = 0; i < list.size(); ++i)
      if (list[i].match == match) {
        index = i;
        break;
      }
    if (index == list.size()) continue;
    const bool was_last = index + 1 == list.size();
    list.erase(list.begin() + static_cast<std::ptrdiff_t>(index));
    if (list.empty()) {
      result->append_row(row, RowKind::Delete);
      rows_by_key_.erase(it);
    } else if (was_last) {
      Value* dst = result->append_row(RowKind::UpdateAfter);
      decode_row(list.back().row, width, result->arena(), dst);
    }
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
  for (const auto& [key, list] : rows_by_key_) {
    StateWriter& out = w.entry(list.key_group, key);
    out.bytes(key);
    out.u64(list.rows.size());
    for (const auto& s : list.rows) {
      out.bytes(s.row);
      out.bytes(s.match);
    }
  }
}

void UpsertMaterializerOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    std::string key(r.bytes());
    KeyRows list{{}, key_group};
    for (uint64_t j = 0, m = r.u64(); j < m; ++j) {
      std::string row(r.bytes());
      std::string match(r.bytes());
      list.rows.push_back({std::move(row), std::move(match)});
    }
    rows_by_key_.insert_or_assign(std::move(key), std::move(list));
  }
}

OperatorStats UpsertMaterializerOperator::stats() const {
  OperatorStats s = stats_;
  for (const auto& [key, list] : rows_by_key_) {
    s.state_entries += list.rows.size();
    s.state_bytes += key.capacity();
    for (const auto& row : list.rows) s.state_bytes += row.row.capacity() + row.match.capacity();
  }
  return s;
}

}  // namespace ananas::ops
