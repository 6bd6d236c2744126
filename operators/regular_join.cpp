#include "operators/regular_join.hpp"

#include <stdexcept>

#include "core/processing_clock.hpp"
#include "operators/encoded_row.hpp"
#include "operators/state_ttl.hpp"

namespace ananas::ops {

RegularJoinOperator::Stored* RegularJoinOperator::Side::find(const std::string& row) {
  auto it = index.find(row);
  return it == index.end() ? nullptr : &rows[it->second];
}

RegularJoinOperator::Stored& RegularJoinOperator::Side::add(std::string row) {
  if (Stored* s = find(row)) return *s;
  // Compact first when the holes of retracted rows outnumber the rows.
  if (rows.size() >= 16 && rows.size() > 2 * live) {
    std::vector<Stored> kept;
    kept.reserve(live + 1);
    for (auto& s : rows)
      if (s.count > 0) kept.push_back(std::move(s));
    rows = std::move(kept);
    index.clear();
    for (size_t i = 0; i < rows.size(); ++i) index.emplace(rows[i].row, i);
  }
  index.emplace(row, rows.size());
  rows.push_back(Stored{std::move(row), 0, 0});
  ++live;
  return rows.back();
}

void RegularJoinOperator::Side::remove_if_gone(Stored& s) {
  if (s.count > 0) return;
  index.erase(s.row);
  s.row.clear();
  s.row.shrink_to_fit();
  s.count = 0;
  s.associations = 0;
  --live;
}

RegularJoinOperator::RegularJoinOperator(RegularJoinConfig config) : config_(std::move(config)) {
  if (config_.left_keys.empty()) throw std::invalid_argument("a regular join needs at least one pair of key columns");
  if (config_.left_keys.size() != config_.right_keys.size())
    throw std::invalid_argument("a regular join needs as many left key columns as right ones");
  for (size_t i = 0; i < config_.left_keys.size(); ++i) {
    const size_t l = config_.left_keys[i], r = config_.right_keys[i];
    if (l >= config_.left.size() || r >= config_.right.size()) throw std::invalid_argument("join key column index out of range");
  }
  if (config_.condition && config_.condition->type().id != TypeId::Boolean && config_.condition->type().id != TypeId::Null)
    throw std::invalid_argument("join condition must be BOOLEAN, got " + config_.condition->type().to_string());
  // The padded side's columns may be NULL; neither side keeps a time attribute
  // (a regular join's output rows are not ordered in time).
  for (const auto& c : config_.left.columns)
    output_.columns.push_back({c.name, c.type.with_time_attr(TimeAttr::None).with_nullable(c.type.nullable || outer(1))});
  if (semi_or_anti()) return;  // the left columns alone
  for (const auto& c : config_.right.columns)
    output_.columns.push_back({c.name, c.type.with_time_attr(TimeAttr::None).with_nullable(c.type.nullable || outer(0))});
}

// Whether `side`'s rows are kept when nothing matches them (a LEFT join's left, ...).
bool RegularJoinOperator::outer(size_t side) const {
  if (config_.type == JoinType::Full) return true;
  if (semi_or_anti()) return false;
  return side == 0 ? config_.type == JoinType::Left : config_.type == JoinType::Right;
}

void RegularJoinOperator::process_input(size_t input, const BatchPtr& batch, std::vector<BatchPtr>& out) {
  if (!batch || batch->empty()) return;
  if (input > 1) throw std::invalid_argument("a join reads two inputs, got a batch from input " + std::to_string(input));
  const size_t side = input, other = 1 - input;
  stats_.rows_in += batch->num_rows();
  const Schema& mine = side == 0 ? config_.left : config_.right;
  const Schema& theirs = side == 0 ? config_.right : config_.left;
  const std::vector<size_t>& key_columns = side == 0 ? config_.left_keys : config_.right_keys;
  const size_t left_width = config_.left.size();
  const size_t width = left_width + config_.right.size();  // the joined row (the output but for SEMI / ANTI)

  auto result = std::make_shared<Batch>(output_.size());
  result->retain(batch);  // emitted rows point into the input batch
  Arena& arena = result->arena();
  std::vector<Value> key(key_columns.size());
  std::vector<Value> joined(width);
  std::vector<Value> decoded(theirs.size());
  expr::EvalContext ctx;
  ctx.arena = &arena;
  ctx.proctime_millis = batch->processing_time_ms();
  // A batch that lost its source's time (0: unknown) is read at the clock, as calc does.
  const int64_t now = !ttl() ? 0 : batch->processing_time_ms() ? batch->processing_time_ms() : processing_time_now_ms();
  if (has_unstamped_) stamp_restored(now);

  // The output row of `row` (this side) and `other_row` (the other side, or
  // NULLs when absent), each in its place.
  auto emit = [&](RowKind kind, const Value* row, const Value* other_row) {
    Value* dst = result->append_row(kind);
    const Value* left = side == 0 ? row : other_row;
    const Value* right = side == 0 ? other_row : row;
    for (size_t c = 0; c < left_width; ++c) dst[c] = left ? left[c] : Value::null();
    for (size_t c = left_width; c < width; ++c) dst[c] = right ? right[c - left_width] : Value::null();
  };
  // The other side's stored row padded with NULLs for this side.
  auto emit_padded_other = [&](RowKind kind, const std::string& encoded) {
    std::vector<Value> other_row(theirs.size());
    decode_row(encoded, theirs.size(), arena, other_row.data());
    Value* dst = result->append_row(kind);
    for (size_t c = 0; c < width; ++c) dst[c] = Value::null();
    const size_t at = side == 0 ? left_width : 0;
    for (size_t c = 0; c < theirs.size(); ++c) dst[at + c] = other_row[c];
  };

  std::vector<Match> matches;
  for (size_t r = 0; r < batch->num_rows(); ++r) {
    const Value* row = batch->row(r);
    const RowKind kind = batch->kind(r);
    bool null_key = false;
    for (size_t i = 0; i < key_columns.size(); ++i) {
      key[i] = row[key_columns[i]];
      null_key = null_key || (key[i].is_null() && !config_.null_safe_keys);
    }
    std::string key_bytes = encode_row(key.data(), key.size());
    auto found = keys_.find(key_bytes);
    if (found == keys_.end()) {
      const uint32_t group = key_group_for(key_bytes, row);
      found = keys_.emplace(std::move(key_bytes), KeyState{}).first;
      found->second.key_group = group;
    }
    KeyState& ks = found->second;
    Side& mine_side = ks.sides[side];
    Side& their_side = ks.sides[other];

    // The other side's rows this one joins: same key (never a NULL one), and
    // the residual condition true on the joined row.
    matches.clear();
    int64_t matched = 0;
    try {
      if (!null_key) {
        for (Stored& s : their_side.rows) {
          if (s.count == 0) continue;
          if (expired(s, now)) {  // NeverReturnExpired: not read, and cleared
            s.count = 0;
            their_side.remove_if_gone(s);
            continue;
          }
          decode_row(s.row, theirs.size(), arena, decoded.data());
          if (config_.condition) {
            const Value* left = side == 0 ? row : decoded.data();
            const Value* right = side == 0 ? decoded.data() : row;
            for (size_t c = 0; c < left_width; ++c) joined[c] = left[c];
            for (size_t c = left_width; c < width; ++c) joined[c] = right[c - left_width];
            if (!expr::is_true(config_.condition->eval(joined.data(), ctx))) continue;
          }
          matches.push_back(Match{&s, decoded});
          matched += s.count;
        }
      }
    } catch (const expr::EvalError& e) {
      report_row_error(config_.on_row_error, *batch, r, e.what());
      continue;
    }
    std::string encoded = encode_row(row, mine.size());
    // This side's expired copy of the row is absent: it is cleared before the row counts again.
    if (Stored* s = ttl() ? mine_side.find(encoded) : nullptr; s && expired(*s, now)) {
      s->count = 0;
      mine_side.remove_if_gone(*s);
    }

    if (semi_or_anti()) {
      process_semi_anti(side, kind, row, std::move(encoded), matches, matched, ks, *result, now);
      if (ks.sides[0].live == 0 && ks.sides[1].live == 0) keys_.erase(found);
      continue;
    }
    if (is_accumulate(kind)) {
      if (!matches.empty() && outer(other)) {
        // The other side's padded rows that now have their first match are retracted.
        for (Match& m : matches) {
          if (m.stored->associations == 0)
            for (int64_t i = 0; i < m.stored->count; ++i) emit_padded_other(RowKind::Delete, m.stored->row);
          ++m.stored->associations;
          m.stored->written = now;  // updateNumOfAssociations writes the other side's row
        }
      }
      if (matches.empty()) {
        if (outer(side)) emit(RowKind::Insert, row, nullptr);
      } else {
        const RowKind out_kind = outer(side) || outer(other) ? RowKind::Insert : kind;
        for (const Match& m : matches)
          for (int64_t i = 0; i < m.stored->count; ++i) emit(out_kind, row, m.row.data());
      }
      Stored& s = mine_side.add(std::move(encoded));
      ++s.count;
      s.associations = matched;
      s.written = now;
      continue;
    }

    // A retraction (-U/-D): its stored copy goes, then the pairs it made.
    if (Stored* s = mine_side.find(encoded)) {
      --s->count;
      s->written = now;
      mine_side.remove_if_gone(*s);
    }
    if (matches.empty()) {
      if (outer(side)) emit(RowKind::Delete, row, nullptr);
      if (ks.sides[0].live == 0 && ks.sides[1].live == 0) keys_.erase(found);
      continue;
    }
    const RowKind out_kind = outer(side) ? RowKind::Delete : kind;
    for (const Match& m : matches)
      for (int64_t i = 0; i < m.stored->count; ++i) emit(out_kind, row, m.row.data());
    if (outer(other)) {
      // The other side's rows that lost their last match are padded again.
      for (Match& m : matches) {
        if (m.stored->associations == 1)
          for (int64_t i = 0; i < m.stored->count; ++i) emit_padded_other(RowKind::Insert, m.stored->row);
        --m.stored->associations;
        m.stored->written = now;
      }
    }
    if (ks.sides[0].live == 0 && ks.sides[1].live == 0) keys_.erase(found);  // a key with no rows left
  }
  // Every row written now expires after the ones already there, so an
  // earlier sweep stays the first one due.
  if (ttl() && !next_sweep_ms_ && !keys_.empty()) next_sweep_ms_ = ttl_expiry(now, config_.state_ttl_ms);
  if (result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

void RegularJoinOperator::process_semi_anti(size_t side, RowKind kind, const Value* row, std::string encoded,
                                            std::vector<Match>& matches, int64_t matched, KeyState& ks, Batch& result,
                                            int64_t now) {
  const bool anti = config_.type == JoinType::Anti;
  const size_t left_width = config_.left.size();
  auto emit_stored_left = [&](RowKind k, const Match& m) {
    Value* dst = result.append_row(k);
    for (size_t c = 0; c < left_width; ++c) dst[c] = m.row[c];
  };
  if (side == 0) {
    // A left row: out when it has a match (SEMI) or none (ANTI), in its own kind.
    if ((matched > 0) != anti) {
      Value* dst = result.append_row(kind);
      for (size_t c = 0; c < left_width; ++c) dst[c] = row[c];
    }
    Side& lefts = ks.sides[0];
    if (is_accumulate(kind)) {
      Stored& s = lefts.add(std::move(encoded));
      ++s.count;
      s.associations = matched;
      s.written = now;
    } else if (Stored* s = lefts.find(encoded)) {
      --s->count;
      s->written = now;
      lefts.remove_if_gone(*s);
    }
    return;
  }
  // A right row: the stored left rows it is the first (or the last) match of change.
  Side& rights = ks.sides[1];
  if (is_accumulate(kind)) {
    Stored& s = rights.add(std::move(encoded));
    ++s.count;
    s.written = now;
    for (Match& m : matches) {
      if (m.stored->associations == 0)
        for (int64_t i = 0; i < m.stored->count; ++i) emit_stored_left(anti ? RowKind::Delete : kind, m);
      ++m.stored->associations;
      m.stored->written = now;  // the left row's association count is written (Flink's updateNumOfAssociations)
    }
    return;
  }
  if (Stored* s = rights.find(encoded)) {
    --s->count;
    s->written = now;
    rights.remove_if_gone(*s);
  }
  for (Match& m : matches) {
    if (m.stored->associations == 1)
      for (int64_t i = 0; i < m.stored->count; ++i) emit_stored_left(anti ? RowKind::Insert : kind, m);
    --m.stored->associations;
    m.stored->written = now;
  }
}

std::string RegularJoinOperator::state_description() const {
  return describe_sides("join " + std::string(join_type_name(config_.type)) + (config_.null_safe_keys ? " null-safe" : ""), config_);
}

void RegularJoinOperator::save_keyed(KeyedStateWriter& w) const {
  for (const auto& [key, ks] : keys_) {
    if (ks.sides[0].live == 0 && ks.sides[1].live == 0) continue;
    StateWriter& out = w.entry(ks.key_group, key);
    out.bytes(key);
    for (const Side& side : ks.sides) {
      out.u64(side.live);
      for (const Stored& s : side.rows) {
        if (s.count == 0) continue;
        out.bytes(s.row);
        // With a write time, the count is written negated and the time
        // follows, so snapshots without times (no TTL) restore as before;
        // see GroupAggregateOperator::save_keyed.
        const bool timed = ttl() && s.written != kUnstampedWrite;
        out.i64(timed ? -s.count : s.count);
        if (timed) out.i64(s.written);
        out.i64(s.associations);
      }
    }
  }
}

void RegularJoinOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    std::string key(r.bytes());
    KeyState ks;
    ks.key_group = key_group;
    for (Side& side : ks.sides) {
      const uint64_t n = r.u64();
      for (uint64_t i = 0; i < n; ++i) {
        Stored& s = side.add(std::string(r.bytes()));
        s.count = r.i64();
        s.written = kUnstampedWrite;
        if (s.count < 0 && s.count != std::numeric_limits<int64_t>::min()) {
          s.count = -s.count;
          s.written = r.i64();
        }
        if (s.count <= 0) throw CorruptState("corrupt state: a join row stored " + std::to_string(s.count) + " times");
        s.associations = r.i64();
        if (!ttl()) continue;
        if (s.written == kUnstampedWrite) has_unstamped_ = true;
        else if (!next_sweep_ms_ || ttl_expiry(s.written, config_.state_ttl_ms) < *next_sweep_ms_)
          next_sweep_ms_ = ttl_expiry(s.written, config_.state_ttl_ms);
      }
    }
    keys_.insert_or_assign(std::move(key), std::move(ks));
  }
}

bool RegularJoinOperator::expired(const Stored& s, int64_t now_ms) const {
  return ttl() && ttl_expired(s.written, config_.state_ttl_ms, now_ms);
}

void RegularJoinOperator::stamp_restored(int64_t now_ms) {
  has_unstamped_ = false;
  for (auto& [key, ks] : keys_)
    for (Side& side : ks.sides)
      for (Stored& s : side.rows)
        if (s.count > 0 && s.written == kUnstampedWrite) s.written = now_ms;
}

std::optional<int64_t> RegularJoinOperator::next_processing_timer() const {
  if (!ttl()) return std::nullopt;
  if (has_unstamped_) return 0;  // restored rows without a write time: stamped at the first clock reading
  return next_sweep_ms_;
}

void RegularJoinOperator::on_processing_time(int64_t now_ms, std::vector<BatchPtr>& /*out*/) {
  if (!ttl()) return;
  if (has_unstamped_) stamp_restored(now_ms);
  if (next_sweep_ms_ && *next_sweep_ms_ <= now_ms) sweep(now_ms);
  else if (!next_sweep_ms_ && !keys_.empty()) next_sweep_ms_ = ttl_expiry(now_ms, config_.state_ttl_ms);
}

// Expiring emits nothing (Flink's TTL cleanup is silent).
void RegularJoinOperator::sweep(int64_t now_ms) {
  std::optional<int64_t> oldest;
  for (auto it = keys_.begin(); it != keys_.end();) {
    KeyState& ks = it->second;
    for (Side& side : ks.sides)
      for (Stored& s : side.rows) {
        if (s.count == 0) continue;
        if (expired(s, now_ms)) {
          s.count = 0;
          side.remove_if_gone(s);
        } else {
          oldest = std::min(oldest.value_or(s.written), s.written);
        }
      }
    if (ks.sides[0].live == 0 && ks.sides[1].live == 0) it = keys_.erase(it);
    else ++it;
  }
  next_sweep_ms_.reset();
  if (oldest) next_sweep_ms_ = ttl_next_sweep(*oldest, config_.state_ttl_ms, now_ms);
}

OperatorStats RegularJoinOperator::stats() const {
  OperatorStats s = stats_;
  for (const auto& [key, ks] : keys_)
    for (const Side& side : ks.sides) {
      s.state_entries += side.live;
      for (const Stored& st : side.rows) s.state_bytes += sizeof(Stored) + st.row.capacity();
    }
  return s;
}

}  // namespace ananas::ops
