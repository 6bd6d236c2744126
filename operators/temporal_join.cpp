#include "operators/temporal_join.hpp"

#include <stdexcept>

#include "operators/encoded_row.hpp"

namespace ananas::ops {

TemporalJoinOperator::TemporalJoinOperator(TemporalJoinConfig config) : config_(std::move(config)) {
  if (config_.left_keys.empty()) throw std::invalid_argument("a temporal join needs at least one pair of key columns");
  if (config_.left_keys.size() != config_.right_keys.size())
    throw std::invalid_argument("a temporal join needs as many left key columns as right ones");
  for (size_t i = 0; i < config_.left_keys.size(); ++i)
    if (config_.left_keys[i] >= config_.left.size() || config_.right_keys[i] >= config_.right.size())
      throw std::invalid_argument("join key column index out of range");
  if (config_.left_time >= config_.left.size() || config_.right_time >= config_.right.size())
    throw std::invalid_argument("temporal join time column index out of range");
  if (!config_.left[config_.left_time].type.is_timestamp() || !config_.right[config_.right_time].type.is_timestamp())
    throw std::invalid_argument("temporal join time columns must be timestamps");
  if (config_.condition && config_.condition->type().id != TypeId::Boolean && config_.condition->type().id != TypeId::Null)
    throw std::invalid_argument("join condition must be BOOLEAN, got " + config_.condition->type().to_string());
  if (config_.type != JoinType::Inner && config_.type != JoinType::Left)
    throw std::invalid_argument("a temporal join is inner or left");
  // The left rowtime stays the output's time attribute (the rows come out in
  // its order); the versions' time is a plain timestamp, as in Flink.
  for (const auto& c : config_.left.columns) output_.columns.push_back(c);
  for (const auto& c : config_.right.columns)
    output_.columns.push_back({c.name, c.type.with_time_attr(TimeAttr::None).with_nullable(c.type.nullable || left_outer())});
}

void TemporalJoinOperator::register_timer(const std::string& key, KeyState& ks, int64_t time) {
  if (time >= ks.timer) return;
  if (ks.timer != kMaxWatermark) timers_.erase({ks.timer, key});
  ks.timer = time;
  timers_.emplace(time, key);
}

void TemporalJoinOperator::process_input(size_t input, const BatchPtr& batch, std::vector<BatchPtr>& out) {
  if (!batch || batch->empty()) return;
  if (input > 1) throw std::invalid_argument("a join reads two inputs, got a batch from input " + std::to_string(input));
  stats_.rows_in += batch->num_rows();
  const bool left = input == 0;
  const std::vector<size_t>& key_columns = left ? config_.left_keys : config_.right_keys;
  const size_t time_column = left ? config_.left_time : config_.right_time;
  const size_t width = left ? config_.left.size() : config_.right.size();
  std::vector<Value> key(key_columns.size());
  // Left rows that can never match, written at once when padded (LEFT JOIN).
  std::shared_ptr<Batch> padded;

  for (size_t r = 0; r < batch->num_rows(); ++r) {
    const Value* row = batch->row(r);
    const RowKind kind = batch->kind(r);
    if (left && kind != RowKind::Insert) {
      report_row_error(config_.on_row_error, *batch, r, "a temporal join reads an insert-only left input, got an update or delete");
      continue;
    }
    if (!left && kind == RowKind::UpdateBefore) continue;  // the UPDATE_AFTER that follows is the version
    bool null_key = false;
    for (size_t i = 0; i < key_columns.size(); ++i) {
      key[i] = row[key_columns[i]];
      null_key = null_key || key[i].is_null();
    }
    if (!left && (null_key || row[time_column].is_null())) continue;  // a version of no key, or of no time
    if (left && row[time_column].is_null()) {
      report_row_error(config_.on_row_error, *batch, r,
                       "a temporal join's left row has a NULL time (" + config_.left[config_.left_time].name + ")");
      continue;
    }
    if (null_key) {  // matches nothing: a LEFT join writes it padded now
      if (left_outer()) {
        if (!padded) {
          padded = std::make_shared<Batch>(output_.size());
          padded->retain(batch);  // the row's strings stay in the input batch
        }
        Value* dst = padded->append_row(RowKind::Insert);
        for (size_t c = 0; c < output_.size(); ++c) dst[c] = c < width ? row[c] : Value::null();
      }
      continue;
    }
    const int64_t time = row[time_column].as_int();
    std::string key_bytes = encode_row(key.data(), key.size());
    auto found = keys_.find(key_bytes);
    if (found == keys_.end()) {
      const uint32_t group = key_group_for(key_bytes, row);
      found = keys_.emplace(key_bytes, KeyState{}).first;
      found->second.key_group = group;
    }
    KeyState& ks = found->second;
    if (left) ks.waiting.emplace_back(time, encode_row(row, width));
    else ks.versions.insert_or_assign(time, Version{kind == RowKind::Delete, encode_row(row, width)});
    register_timer(found->first, ks, time);
  }
  if (padded && !padded->empty()) {
    stats_.rows_out += padded->num_rows();
    out.push_back(std::move(padded));
  }
}

bool TemporalJoinOperator::fire(const std::string& key, KeyState& ks, Batch& out) {
  const size_t left_width = config_.left.size(), width = output_.size();
  std::vector<Value> joined(width);
  expr::EvalContext ctx;
  ctx.arena = &out.arena();
  int64_t next = kMaxWatermark;
  std::vector<std::pair<int64_t, std::string>> still_waiting;
  for (auto& [time, encoded] : ks.waiting) {
    if (time > watermark_) {
      next = std::min(next, time);
      still_waiting.emplace_back(time, std::move(encoded));
      continue;
    }
    decode_row(encoded, left_width, out.arena(), joined.data());
    // The latest version at or before the left row's time.
    auto v = ks.versions.upper_bound(time);
    bool matched = false;
    if (v != ks.versions.begin() && !(--v)->second.deleted) {
      decode_row(v->second.row, width - left_width, out.arena(), joined.data() + left_width);
      try {
        matched = !config_.condition || expr::is_true(config_.condition->eval(joined.data(), ctx));
      } catch (const expr::EvalError& e) {
        // The left row is the one that fails: it goes to the row-error policy alone.
        Batch failed(left_width);
        Value* dst = failed.append_row(RowKind::Insert);
        for (size_t c = 0; c < left_width; ++c) dst[c] = joined[c];
        report_row_error(config_.on_row_error, failed, 0, e.what());
        continue;
      }
    }
    if (!matched && !left_outer()) continue;
    if (!matched)
      for (size_t c = left_width; c < width; ++c) joined[c] = Value::null();
    Value* dst = out.append_row(RowKind::Insert);
    for (size_t c = 0; c < width; ++c) dst[c] = joined[c];
  }
  ks.waiting = std::move(still_waiting);
  // Versions before the last one at or before the watermark are no one's any more.
  auto keep = ks.versions.upper_bound(watermark_);
  if (keep != ks.versions.begin()) ks.versions.erase(ks.versions.begin(), std::prev(keep));
  ks.timer = kMaxWatermark;
  if (next != kMaxWatermark) register_timer(key, ks, next);
  return !ks.waiting.empty() || !ks.versions.empty();
}

void TemporalJoinOperator::on_watermark(int64_t watermark, std::vector<BatchPtr>& out) {
  if (watermark <= watermark_) return;  // watermarks never go back
  watermark_ = watermark;
  auto result = std::make_shared<Batch>(output_.size());
  while (!timers_.empty() && timers_.begin()->first <= watermark_) {
    const std::string key = timers_.begin()->second;
    timers_.erase(timers_.begin());
    auto it = keys_.find(key);
    if (it == keys_.end()) continue;
    it->second.timer = kMaxWatermark;
    if (!fire(key, it->second, *result)) keys_.erase(it);
  }
  if (result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

std::string TemporalJoinOperator::state_description() const {
  std::string d = describe_sides("temporal_join", config_);
  d += "\ntime " + std::to_string(config_.left_time) + ' ' + std::to_string(config_.right_time);
  return d;
}

void TemporalJoinOperator::save_shared(StateWriter& w) const { w.i64(watermark_); }

void TemporalJoinOperator::save_keyed(KeyedStateWriter& w) const {
  for (const auto& [key, ks] : keys_) {
    StateWriter& out = w.entry(ks.key_group, key);
    out.bytes(key);
    out.u64(ks.waiting.size());
    for (const auto& [time, row] : ks.waiting) {
      out.i64(time);
      out.bytes(row);
    }
    out.u64(ks.versions.size());
    for (const auto& [time, v] : ks.versions) {
      out.i64(time);
      out.u8(v.deleted ? 1 : 0);
      out.bytes(v.row);
    }
    out.i64(ks.timer);
  }
}

void TemporalJoinOperator::clear_state() {
  keys_.clear();
  timers_.clear();
  watermark_ = kMinWatermark;
}

void TemporalJoinOperator::restore_shared(StateReader& r, bool /*inherit_counters*/) {
  take_min_watermark(watermark_, r.i64());
}

void TemporalJoinOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    std::string key(r.bytes());
    KeyState ks;
    ks.key_group = key_group;
    const uint64_t waiting = r.u64();
    for (uint64_t i = 0; i < waiting; ++i) {
      const int64_t time = r.i64();
      ks.waiting.emplace_back(time, std::string(r.bytes()));
    }
    const uint64_t versions = r.u64();
    for (uint64_t i = 0; i < versions; ++i) {
      const int64_t time = r.i64();
      const bool deleted = r.u8() != 0;
      ks.versions.insert_or_assign(time, Version{deleted, std::string(r.bytes())});
    }
    const int64_t timer = r.i64();
    auto old = keys_.find(key);
    if (old != keys_.end() && old->second.timer != kMaxWatermark) timers_.erase({old->second.timer, key});
    auto& placed = keys_.insert_or_assign(key, std::move(ks)).first->second;
    placed.timer = kMaxWatermark;
    if (timer != kMaxWatermark) register_timer(key, placed, timer);
  }
}

OperatorStats TemporalJoinOperator::stats() const {
  OperatorStats s = stats_;
  for (const auto& [key, ks] : keys_) {
    s.state_entries += ks.waiting.size() + ks.versions.size();
    for (const auto& [time, row] : ks.waiting) s.state_bytes += sizeof(time) + row.capacity() + 32;
    for (const auto& [time, v] : ks.versions) s.state_bytes += sizeof(time) + v.row.capacity() + 48;
  }
  return s;
}

}  // namespace ananas::ops
