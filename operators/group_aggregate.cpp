#include "operators/group_aggregate.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "core/processing_clock.hpp"
#include "operators/encoded_row.hpp"
#include "operators/packed_bytes.hpp"
#include "operators/state_ttl.hpp"

namespace ananas::ops {

namespace {

constexpr size_t kTimeBytes = sizeof(int64_t);

void put_time(std::string& out, int64_t ms) {
  char b[kTimeBytes];
  std::memcpy(b, &ms, kTimeBytes);
  out.append(b, kTimeBytes);
}

}  // namespace

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
  // A batch that lost its source's time (0: unknown) is read at the clock, as calc does.
  const int64_t now = !ttl() ? 0 : input->processing_time_ms() ? input->processing_time_ms() : processing_time_now_ms();
  if (has_unstamped_) stamp_restored(now);
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
    if (slot != BlobTable::npos && expired(slot, now)) {
      // NeverReturnExpired: the read finds nothing, and the expired value is cleared.
      drop(slot);
      slot = BlobTable::npos;
    }
    const bool first = slot == BlobTable::npos;
    uint64_t rows = 0;
    if (first) {
      // Flink never creates state for a retraction (state expired or never existed).
      if (!accumulate) continue;
      aggregates_.start(working_);
    } else {
      std::string_view payload = counted(slot);
      rows = get_varint(payload);
      aggregates_.unpack(payload, working_);
      aggregates_.results(working_, result->arena(), prev.data());
    }
    aggregates_.apply(working_, inputs, accumulate);
    rows += accumulate ? 1 : -1;

    if (rows == 0) {  // only a retraction of a group that exists gets here
      emit(RowKind::Delete, prev);
      drop(slot);
      continue;
    }
    packed_.clear();
    if (ttl()) put_time(packed_, now);  // OnCreateAndWrite
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
    // Flink (GroupAggFunction): with a state TTL an unchanged result is emitted
    // again, so that downstream state is written too and does not expire first.
    if (!ttl() && prev_bytes == next_bytes) continue;
    if (config_.emit_update_before) emit(RowKind::UpdateBefore, prev);
    emit(RowKind::UpdateAfter, next);
  }
  // Every group written now expires after the ones already there, so an
  // earlier sweep stays the first one due.
  if (ttl() && !next_sweep_ms_ && groups_.size() > 0) next_sweep_ms_ = ttl_expiry(now, config_.state_ttl_ms);
  if (result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

std::string_view GroupAggregateOperator::counted(size_t slot) const {
  std::string_view payload = groups_.payload(slot);
  return ttl() ? payload.substr(kTimeBytes) : payload;
}

int64_t GroupAggregateOperator::written_at(size_t slot) const {
  int64_t ms;
  std::memcpy(&ms, groups_.payload(slot).data(), kTimeBytes);
  return ms;
}

bool GroupAggregateOperator::expired(size_t slot, int64_t now_ms) const {
  if (!ttl()) return false;
  return ttl_expired(written_at(slot), config_.state_ttl_ms, now_ms);
}

void GroupAggregateOperator::drop(size_t slot) {
  std::string_view payload = counted(slot);
  get_varint(payload);
  aggregates_.free_packed(payload);
  groups_.erase(slot);
}

void GroupAggregateOperator::stamp_restored(int64_t now_ms) {
  has_unstamped_ = false;
  groups_.for_each([&](size_t slot) {
    if (written_at(slot) != kUnstampedWrite) return;
    packed_.clear();
    put_time(packed_, now_ms);
    packed_ += counted(slot);
    groups_.set_payload(slot, packed_);
  });
}

std::optional<int64_t> GroupAggregateOperator::next_processing_timer() const {
  if (!ttl()) return std::nullopt;
  // Restored groups without a write time are stamped at the first clock reading.
  if (has_unstamped_) return 0;
  return next_sweep_ms_;
}

void GroupAggregateOperator::on_processing_time(int64_t now_ms, std::vector<BatchPtr>& /*out*/) {
  if (!ttl()) return;
  if (has_unstamped_) stamp_restored(now_ms);
  if (next_sweep_ms_ && *next_sweep_ms_ <= now_ms) sweep(now_ms);
  else if (!next_sweep_ms_ && groups_.size() > 0) next_sweep_ms_ = ttl_expiry(now_ms, config_.state_ttl_ms);
}

// Flink frees expired state in the background too (heap: incremental
// cleanup; RocksDB: compaction filter); expiring emits nothing.
void GroupAggregateOperator::sweep(int64_t now_ms) {
  std::vector<size_t> gone;
  std::optional<int64_t> oldest;
  groups_.for_each([&](size_t slot) {
    if (expired(slot, now_ms)) gone.push_back(slot);
    else oldest = std::min(oldest.value_or(written_at(slot)), written_at(slot));
  });
  for (size_t slot : gone) drop(slot);  // erasing leaves the other slots in place
  next_sweep_ms_.reset();
  if (oldest) next_sweep_ms_ = ttl_next_sweep(*oldest, config_.state_ttl_ms, now_ms);
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
    std::string_view payload = counted(slot);
    const uint64_t rows = get_varint(payload);
    aggregates_.unpack(payload, working);
    StateWriter& out = w.entry(groups_.key_group(slot), key);
    out.bytes(key);
    // With a write time, the count is written negated and the time follows,
    // so a snapshot without times (no TTL, or one taken before TTL was
    // applied) restores as before. Flink refuses such a restore ("Trying to
    // restore state, which was previously configured without TTL, using TTL
    // enabled descriptor or vice versa will lead to compatibility failure",
    // docs/content/docs/dev/datastream/fault-tolerance/state.md); Ananas
    // counts those groups as written when it first reads the clock.
    const bool timed = ttl() && written_at(slot) != kUnstampedWrite;
    out.i64(timed ? -static_cast<int64_t>(rows) : static_cast<int64_t>(rows));
    if (timed) out.i64(written_at(slot));
    aggregates_.save(working, out);
  });
}

void GroupAggregateOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    std::string key(r.bytes());
    int64_t rows = r.i64();
    int64_t written = kUnstampedWrite;
    if (rows < 0 && rows != std::numeric_limits<int64_t>::min()) {  // see save_keyed
      rows = -rows;
      written = r.i64();
    }
    if (rows <= 0) throw CorruptState("corrupt state: a group with " + std::to_string(rows) + " rows");
    packed_.clear();
    if (ttl()) {
      put_time(packed_, written);
      has_unstamped_ = has_unstamped_ || written == kUnstampedWrite;
    }
    // The first sweep is due at the oldest restored time's expiry (clear_state
    // reset it before the restore); a key restored twice may make it early,
    // which only costs a sweep that frees nothing.
    if (ttl() && written != kUnstampedWrite && (!next_sweep_ms_ || ttl_expiry(written, config_.state_ttl_ms) < *next_sweep_ms_))
      next_sweep_ms_ = ttl_expiry(written, config_.state_ttl_ms);
    put_varint(packed_, static_cast<uint64_t>(rows));
    aggregates_.load_packed(r, packed_);
    const size_t hash = BlobTable::hash(key);
    const size_t slot = groups_.find(key, hash);
    if (slot == BlobTable::npos) {
      groups_.insert(key, hash, key_group, packed_);
    } else {  // the same key twice: the later one wins, as before
      std::string_view old = counted(slot);
      get_varint(old);
      aggregates_.free_packed(old);
      groups_.set_payload(slot, packed_);
    }
  }
}

void GroupAggregateOperator::clear_state() {
  if (aggregates_.has_heap_calls()) {
    groups_.for_each([&](size_t slot) {
      std::string_view payload = counted(slot);
      get_varint(payload);
      aggregates_.free_packed(payload);
    });
  }
  groups_.clear();
  next_sweep_ms_.reset();
  has_unstamped_ = false;
}

OperatorStats GroupAggregateOperator::stats() const {
  OperatorStats s = stats_;
  s.state_entries = groups_.size();
  s.state_bytes = groups_.heap_bytes();
  if (aggregates_.has_heap_calls()) {
    groups_.for_each([&](size_t slot) {
      std::string_view payload = counted(slot);
      get_varint(payload);
      s.state_bytes += aggregates_.approx_heap_bytes(payload);
    });
  }
  return s;
}

}  // namespace ananas::ops
