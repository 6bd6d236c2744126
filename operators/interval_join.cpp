#include "operators/interval_join.hpp"

#include <algorithm>
#include <stdexcept>

#include "operators/encoded_row.hpp"

namespace ananas::ops {

namespace {

// a + b clamped to int64 (watermarks start at the minimum).
int64_t saturating_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return b > 0 ? kMaxWatermark : kMinWatermark;
  return r;
}

}  // namespace

IntervalJoinOperator::IntervalJoinOperator(IntervalJoinConfig config) : config_(std::move(config)) {
  if (config_.left_keys.empty()) throw std::invalid_argument("an interval join needs at least one pair of key columns");
  if (config_.left_keys.size() != config_.right_keys.size())
    throw std::invalid_argument("an interval join needs as many left key columns as right ones");
  for (size_t i = 0; i < config_.left_keys.size(); ++i)
    if (config_.left_keys[i] >= config_.left.size() || config_.right_keys[i] >= config_.right.size())
      throw std::invalid_argument("join key column index out of range");
  if (config_.left_time >= config_.left.size() || config_.right_time >= config_.right.size())
    throw std::invalid_argument("interval join time column index out of range");
  if (!config_.left[config_.left_time].type.is_timestamp() || !config_.right[config_.right_time].type.is_timestamp())
    throw std::invalid_argument("interval join time columns must be timestamps");
  if (config_.lower_ms > config_.upper_ms) throw std::invalid_argument("interval join lower bound is above its upper bound");
  if (config_.condition && config_.condition->type().id != TypeId::Boolean && config_.condition->type().id != TypeId::Null)
    throw std::invalid_argument("join condition must be BOOLEAN, got " + config_.condition->type().to_string());
  if (config_.type == JoinType::Semi || config_.type == JoinType::Anti)
    throw std::invalid_argument("an interval join is inner, left, right or full");
  // An outer side's partner columns may be NULL.
  for (const auto& c : config_.left.columns) output_.columns.push_back({c.name, c.type.with_nullable(c.type.nullable || outer(1))});
  for (const auto& c : config_.right.columns) output_.columns.push_back({c.name, c.type.with_nullable(c.type.nullable || outer(0))});
}

bool IntervalJoinOperator::outer(size_t side) const {
  return config_.type == JoinType::Full || config_.type == (side == 0 ? JoinType::Left : JoinType::Right);
}

void IntervalJoinOperator::append_padded(Batch& out, size_t side, const Value* row) const {
  const size_t left_width = config_.left.size(), width = output_.size();
  Value* dst = out.append_row(RowKind::Insert);
  for (size_t c = 0; c < width; ++c) {
    const bool mine = side == 0 ? c < left_width : c >= left_width;
    dst[c] = mine ? row[side == 0 ? c : c - left_width] : Value::null();
  }
}

// Flink's getMaxOutputDelay: max(leftRelativeSize, rightRelativeSize), the
// sizes being -lower and upper (allowed lateness 0).
int64_t IntervalJoinOperator::output_watermark(int64_t watermark) const {
  if (watermark == kMaxWatermark) return watermark;  // the end of the input
  const int64_t delay = std::max<int64_t>({-config_.lower_ms, config_.upper_ms, 0});
  return saturating_add(watermark, -delay);
}

bool IntervalJoinOperator::still_matchable(size_t side, int64_t time) const {
  // A left row at t matches right rows up to t - lower; a right row at t
  // matches left rows up to t + upper. Later rows have times above the watermark.
  const int64_t last = side == 0 ? saturating_add(time, -config_.lower_ms) : saturating_add(time, config_.upper_ms);
  return last > watermark_;
}

void IntervalJoinOperator::process_input(size_t input, const BatchPtr& batch, std::vector<BatchPtr>& out) {
  if (!batch || batch->empty()) return;
  if (input > 1) throw std::invalid_argument("a join reads two inputs, got a batch from input " + std::to_string(input));
  const size_t side = input, other = 1 - input;
  stats_.rows_in += batch->num_rows();
  const Schema& mine = side == 0 ? config_.left : config_.right;
  const Schema& theirs = side == 0 ? config_.right : config_.left;
  const std::vector<size_t>& key_columns = side == 0 ? config_.left_keys : config_.right_keys;
  const size_t time_column = side == 0 ? config_.left_time : config_.right_time;
  const size_t width = output_.size();
  const size_t left_width = config_.left.size();

  auto result = std::make_shared<Batch>(width);
  result->retain(batch);  // emitted rows point into the input batch
  Arena& arena = result->arena();
  std::vector<Value> key(key_columns.size());
  std::vector<Value> joined(width);
  expr::EvalContext ctx;
  ctx.arena = &arena;
  ctx.proctime_millis = batch->processing_time_ms();

  for (size_t r = 0; r < batch->num_rows(); ++r) {
    const Value* row = batch->row(r);
    if (batch->kind(r) != RowKind::Insert) {
      report_row_error(config_.on_row_error, *batch, r, "an interval join reads insert-only inputs, got an update or delete");
      continue;
    }
    if (row[time_column].is_null()) continue;  // no time, no match (and nothing to keep)
    const int64_t time = row[time_column].as_int();
    bool null_key = false;
    for (size_t i = 0; i < key_columns.size(); ++i) {
      key[i] = row[key_columns[i]];
      null_key = null_key || key[i].is_null();
    }
    if (null_key) {
      if (outer(side)) append_padded(*result, side, row);  // it can never match
      continue;
    }
    std::string key_bytes = encode_row(key.data(), key.size());
    auto found = keys_.find(key_bytes);
    // The other side's times this row matches: left - right within [lower, upper].
    const int64_t from = side == 0 ? saturating_add(time, -config_.upper_ms) : saturating_add(time, config_.lower_ms);
    const int64_t to = side == 0 ? saturating_add(time, -config_.lower_ms) : saturating_add(time, config_.upper_ms);
    // Decoded matches are collected first: a failing condition drops the whole row.
    std::vector<std::vector<Value>> matches;
    std::vector<Stored*> partners;
    try {
      if (found != keys_.end()) {
        Buffer& buffer = found->second.sides[other];
        for (auto it = buffer.lower_bound(from); it != buffer.end() && it->first <= to; ++it) {
          std::vector<Value> decoded(theirs.size());
          decode_row(it->second.row, theirs.size(), arena, decoded.data());
          const Value* left = side == 0 ? row : decoded.data();
          const Value* right = side == 0 ? decoded.data() : row;
          for (size_t c = 0; c < left_width; ++c) joined[c] = left[c];
          for (size_t c = left_width; c < width; ++c) joined[c] = right[c - left_width];
          if (config_.condition && !expr::is_true(config_.condition->eval(joined.data(), ctx))) continue;
          matches.push_back(std::move(decoded));
          partners.push_back(&it->second);
        }
      }
    } catch (const expr::EvalError& e) {
      report_row_error(config_.on_row_error, *batch, r, e.what());
      continue;
    }
    for (const auto& m : matches) {
      Value* dst = result->append_row(RowKind::Insert);
      const Value* left = side == 0 ? row : m.data();
      const Value* right = side == 0 ? m.data() : row;
      for (size_t c = 0; c < left_width; ++c) dst[c] = left[c];
      for (size_t c = left_width; c < width; ++c) dst[c] = right[c - left_width];
    }
    for (Stored* p : partners) p->matched = true;
    if (!still_matchable(side, time)) {
      // Too late to be kept: an outer side's row without a partner is padded now.
      if (matches.empty() && outer(side)) append_padded(*result, side, row);
      continue;
    }
    if (found == keys_.end()) {
      const uint32_t group = key_group_for(key_bytes, row);
      found = keys_.emplace(std::move(key_bytes), KeyState{}).first;
      found->second.key_group = group;
    }
    found->second.sides[side].emplace(time, Stored{encode_row(row, mine.size()), !matches.empty()});
  }
  if (result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

void IntervalJoinOperator::on_watermark(int64_t watermark, std::vector<BatchPtr>& out) {
  if (watermark <= watermark_) return;  // watermarks never go back
  watermark_ = watermark;
  auto padded = std::make_shared<Batch>(output_.size());
  std::vector<Value> decoded(std::max(config_.left.size(), config_.right.size()));
  for (auto it = keys_.begin(); it != keys_.end();) {
    for (size_t side = 0; side < 2; ++side) {
      Buffer& b = it->second.sides[side];
      while (!b.empty() && !still_matchable(side, b.begin()->first)) {
        // An outer side's row that never found a partner comes out padded.
        if (outer(side) && !b.begin()->second.matched) {
          decode_row(b.begin()->second.row, side == 0 ? config_.left.size() : config_.right.size(), padded->arena(),
                     decoded.data());
          append_padded(*padded, side, decoded.data());
        }
        b.erase(b.begin());
      }
    }
    if (it->second.sides[0].empty() && it->second.sides[1].empty()) it = keys_.erase(it);
    else ++it;
  }
  if (padded->empty()) return;
  stats_.rows_out += padded->num_rows();
  out.push_back(std::move(padded));
}

std::string IntervalJoinOperator::state_description() const {
  std::string d = describe_sides("interval_join", config_);
  d += "\ntime " + std::to_string(config_.left_time) + ' ' + std::to_string(config_.right_time) + ' ' +
       std::to_string(config_.lower_ms) + ' ' + std::to_string(config_.upper_ms);
  d += "\ntype " + std::string(join_type_name(config_.type));
  return d;
}

void IntervalJoinOperator::save_shared(StateWriter& w) const { w.i64(watermark_); }

void IntervalJoinOperator::save_keyed(KeyedStateWriter& w) const {
  for (const auto& [key, ks] : keys_) {
    StateWriter& out = w.entry(ks.key_group, key);
    out.bytes(key);
    for (const Buffer& b : ks.sides) {
      out.u64(b.size());
      for (const auto& [time, stored] : b) {
        out.i64(time);
        out.u8(stored.matched ? 1 : 0);
        out.bytes(stored.row);
      }
    }
  }
}

void IntervalJoinOperator::clear_state() {
  keys_.clear();
  watermark_ = kMinWatermark;
}

void IntervalJoinOperator::restore_shared(StateReader& r, bool /*inherit_counters*/) {
  take_min_watermark(watermark_, r.i64());
}

void IntervalJoinOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    std::string key(r.bytes());
    KeyState ks;
    ks.key_group = key_group;
    for (Buffer& b : ks.sides) {
      const uint64_t n = r.u64();
      for (uint64_t i = 0; i < n; ++i) {
        const int64_t time = r.i64();
        const bool matched = r.u8() != 0;
        b.emplace(time, Stored{std::string(r.bytes()), matched});
      }
    }
    keys_.insert_or_assign(std::move(key), std::move(ks));
  }
}

OperatorStats IntervalJoinOperator::stats() const {
  OperatorStats s = stats_;
  for (const auto& [key, ks] : keys_)
    for (const Buffer& b : ks.sides) {
      s.state_entries += b.size();
      for (const auto& [time, stored] : b) s.state_bytes += sizeof(time) + stored.row.capacity() + 48;
    }
  return s;
}

}  // namespace ananas::ops
