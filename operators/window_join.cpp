#include "operators/window_join.hpp"

#include <stdexcept>

#include "operators/encoded_row.hpp"

namespace ananas::ops {

WindowJoinOperator::WindowJoinOperator(WindowJoinConfig config) : config_(std::move(config)) {
  if (config_.left_keys.size() != config_.right_keys.size())
    throw std::invalid_argument("a window join needs as many left key columns as right ones");
  for (size_t i = 0; i < config_.left_keys.size(); ++i)
    if (config_.left_keys[i] >= config_.left.size() || config_.right_keys[i] >= config_.right.size())
      throw std::invalid_argument("join key column index out of range");
  for (const auto& [schema, column] : {std::pair{&config_.left, config_.left_window_start}, std::pair{&config_.left, config_.left_window_end},
                                       std::pair{&config_.right, config_.right_window_start},
                                       std::pair{&config_.right, config_.right_window_end}}) {
    if (column >= schema->size()) throw std::invalid_argument("window column index " + std::to_string(column) + " out of range");
    if (!(*schema)[column].type.is_timestamp())
      throw std::invalid_argument("a window join needs timestamp window bounds ('" + (*schema)[column].name + "' is " +
                                  (*schema)[column].type.to_string() + ")");
  }
  if (config_.condition && config_.condition->type().id != TypeId::Boolean && config_.condition->type().id != TypeId::Null)
    throw std::invalid_argument("join condition must be BOOLEAN, got " + config_.condition->type().to_string());
  // The padded side's columns may be NULL; time attributes stay. SEMI and ANTI output the left rows.
  for (const auto& c : config_.left.columns) output_.columns.push_back({c.name, c.type.with_nullable(c.type.nullable || outer(1))});
  if (!semi_or_anti())
    for (const auto& c : config_.right.columns) output_.columns.push_back({c.name, c.type.with_nullable(c.type.nullable || outer(0))});
}

// Whether `side`'s rows are emitted when nothing matches them (a LEFT join's left, ...).
bool WindowJoinOperator::outer(size_t side) const {
  if (config_.type == JoinType::Full) return true;
  return side == 0 ? config_.type == JoinType::Left : config_.type == JoinType::Right;
}

void WindowJoinOperator::process_input(size_t input, const BatchPtr& batch, std::vector<BatchPtr>& /*out*/) {
  if (!batch || batch->empty()) return;
  if (input > 1) throw std::invalid_argument("a join reads two inputs, got a batch from input " + std::to_string(input));
  const size_t side = input;
  stats_.rows_in += batch->num_rows();
  const Schema& mine = side == 0 ? config_.left : config_.right;
  const std::vector<size_t>& key_columns = side == 0 ? config_.left_keys : config_.right_keys;
  const size_t start_column = side == 0 ? config_.left_window_start : config_.right_window_start;
  const size_t end_column = side == 0 ? config_.left_window_end : config_.right_window_end;
  std::vector<Value> key(key_columns.size());
  for (size_t r = 0; r < batch->num_rows(); ++r) {
    const Value* row = batch->row(r);
    if (batch->kind(r) != RowKind::Insert) {
      report_row_error(config_.on_row_error, *batch, r, "a window join reads insert-only inputs, got an update or delete");
      continue;
    }
    const Value& start = row[start_column];
    const Value& end = row[end_column];
    if (start.is_null() || end.is_null() || fired(end.as_int())) {
      ++stats_.late_records_dropped;  // its window already fired (a window TVF's bounds are never NULL)
      continue;
    }
    bool null_key = false;
    for (size_t i = 0; i < key_columns.size(); ++i) {
      key[i] = row[key_columns[i]];
      null_key = null_key || key[i].is_null();
    }
    Slot slot{end.as_int(), start.as_int(), encode_row(key.data(), key.size())};
    auto it = windows_.find(slot);
    if (it == windows_.end()) {
      const uint32_t group = key_group_for(slot.key, row);
      it = windows_.emplace(std::move(slot), Buffered{}).first;
      it->second.null_key = null_key;
      it->second.key_group = group;
    }
    it->second.sides[side].push_back(encode_row(row, mine.size()));
  }
}

void WindowJoinOperator::join(const Buffered& rows, Batch& result) {
  const size_t left_width = config_.left.size(), right_width = config_.right.size();
  const size_t width = left_width + right_width;  // of a joined pair, which the condition reads
  Arena& arena = result.arena();
  auto decode_all = [&](const std::vector<std::string>& encoded, size_t n) {
    std::vector<std::vector<Value>> decoded(encoded.size(), std::vector<Value>(n));
    for (size_t i = 0; i < encoded.size(); ++i) decode_row(encoded[i], n, arena, decoded[i].data());
    return decoded;
  };
  const auto left = decode_all(rows.sides[0], left_width);
  const auto right = decode_all(rows.sides[1], right_width);
  auto emit = [&](const Value* l, const Value* r) {
    Value* dst = result.append_row(RowKind::Insert);
    for (size_t c = 0; c < left_width; ++c) dst[c] = l ? l[c] : Value::null();
    for (size_t c = 0; c < right_width; ++c) dst[left_width + c] = r ? r[c] : Value::null();
  };
  // Whether a pair matches: same key (never a NULL one), and the condition true.
  std::vector<Value> joined(width);
  expr::EvalContext ctx;
  ctx.arena = &arena;
  auto matches = [&](const std::vector<Value>& l, const std::vector<Value>& r) {
    if (rows.null_key) return false;
    if (!config_.condition) return true;
    std::copy(l.begin(), l.end(), joined.begin());
    std::copy(r.begin(), r.end(), joined.begin() + static_cast<std::ptrdiff_t>(left_width));
    try {
      return expr::is_true(config_.condition->eval(joined.data(), ctx));
    } catch (const expr::EvalError& e) {
      // The pair was made from state, not from one input row: reported as a row of its own, then no match.
      auto failed = std::make_shared<Batch>(width);
      Value* dst = failed->append_row(RowKind::Insert);
      for (size_t c = 0; c < width; ++c) dst[c] = joined[c];
      report_row_error(config_.on_row_error, *failed, 0, e.what());
      return false;
    }
  };
  if (semi_or_anti()) {  // each left row once, with (SEMI) or without (ANTI) a match
    for (const auto& l : left) {
      bool matched = false;
      for (size_t n = 0; n < right.size() && !matched; ++n) matched = matches(l, right[n]);
      if (matched == (config_.type == JoinType::Semi)) {
        Value* dst = result.append_row(RowKind::Insert);
        std::copy(l.begin(), l.end(), dst);
      }
    }
    return;
  }
  // RIGHT walks the right rows and looks for left ones; the others walk the left rows.
  if (config_.type == JoinType::Right) {
    for (const auto& r : right) {
      bool matched = false;
      for (const auto& l : left)
        if (matches(l, r)) {
          emit(l.data(), r.data());
          matched = true;
        }
      if (!matched) emit(nullptr, r.data());
    }
    return;
  }
  std::vector<bool> right_matched(right.size(), false);
  for (const auto& l : left) {
    bool matched = false;
    for (size_t n = 0; n < right.size(); ++n)
      if (matches(l, right[n])) {
        emit(l.data(), right[n].data());
        matched = true;
        right_matched[n] = true;
      }
    if (!matched && outer(0)) emit(l.data(), nullptr);
  }
  if (outer(1))
    for (size_t n = 0; n < right.size(); ++n)
      if (!right_matched[n]) emit(nullptr, right[n].data());
}

void WindowJoinOperator::on_watermark(int64_t watermark, std::vector<BatchPtr>& out) {
  if (watermark <= watermark_) return;  // watermarks never go back
  watermark_ = watermark;
  std::shared_ptr<Batch> result;
  // windows_ is ordered by (end, start, key): firing walks it from the front.
  while (!windows_.empty() && fired(windows_.begin()->first.end)) {
    auto node = windows_.extract(windows_.begin());
    if (!result) result = std::make_shared<Batch>(output_.size());
    join(node.mapped(), *result);
  }
  if (!result || result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

std::string WindowJoinOperator::state_description() const {
  std::string d = describe_sides("window_join " + std::string(join_type_name(config_.type)), config_);
  d += "\nwindow " + std::to_string(config_.left_window_start) + ' ' + std::to_string(config_.left_window_end) + ' ' +
       std::to_string(config_.right_window_start) + ' ' + std::to_string(config_.right_window_end);
  return d;
}

// Shared: the watermark. Per key group: (end, start, key, NULL key, left rows, right rows) per window and key.
void WindowJoinOperator::save_keyed(KeyedStateWriter& w) const {
  for (const auto& [slot, rows] : windows_) {
    StateWriter id;  // the entry's identity: its window and key
    id.i64(slot.end);
    id.i64(slot.start);
    id.raw(slot.key);
    StateWriter& out = w.entry(rows.key_group, id.data());
    out.i64(slot.end);
    out.i64(slot.start);
    out.bytes(slot.key);
    out.u64(rows.null_key ? 1 : 0);
    for (const auto& side : rows.sides) {
      out.u64(side.size());
      for (const auto& row : side) out.bytes(row);
    }
  }
}

void WindowJoinOperator::clear_state() {
  windows_.clear();
  watermark_ = kMinWatermark;
}

// As the window operators: the minimum of the old instances' watermarks (no window fires twice early).
void WindowJoinOperator::restore_shared(StateReader& r, bool /*inherit_counters*/) {
  take_min_watermark(watermark_, r.i64());
}

void WindowJoinOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    Slot slot;
    slot.end = r.i64();
    slot.start = r.i64();
    slot.key = std::string(r.bytes());
    Buffered rows;
    rows.null_key = r.u64() != 0;
    rows.key_group = key_group;
    for (auto& side : rows.sides) {
      const uint64_t n = r.u64();
      for (uint64_t i = 0; i < n; ++i) side.emplace_back(r.bytes());
    }
    windows_.insert_or_assign(std::move(slot), std::move(rows));
  }
}

OperatorStats WindowJoinOperator::stats() const {
  OperatorStats s = stats_;
  for (const auto& [slot, rows] : windows_) {
    s.state_bytes += sizeof(Slot) + sizeof(Buffered) + slot.key.capacity();
    for (const auto& side : rows.sides) {
      s.state_entries += side.size();
      for (const auto& row : side) s.state_bytes += sizeof(row) + row.capacity();
    }
  }
  return s;
}

}  // namespace ananas::ops
