#include "operators/session_window_aggregate.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <stdexcept>

#include "operators/encoded_row.hpp"

namespace ananas::ops {

SessionWindowAggregateOperator::SessionWindowAggregateOperator(WindowAggregateConfig config)
    : config_(std::move(config)), aggregates_(config_.aggregates) {
  validate_window_spec(config_.window);
  if (config_.window.kind != WindowKind::Session)
    throw std::invalid_argument("SessionWindowAggregateOperator needs a session window");
  gap_ = config_.window.size_ms;
  output_ = window_aggregate_output(config_, aggregates_);
}

std::map<SessionWindowAggregateOperator::Slot, SessionWindowAggregateOperator::Session>::iterator
SessionWindowAggregateOperator::merge_into(const std::string& key, int64_t start, int64_t end) {
  auto open = open_.find(key);
  if (open == open_.end()) return sessions_.end();
  std::map<int64_t, int64_t>& starts = open->second;
  // Open sessions of a key never intersect, so the ones intersecting [start, end]
  // are consecutive: those starting at or before `end` whose end reaches `start`.
  auto first = starts.upper_bound(end);
  while (first != starts.begin() && std::prev(first)->second >= start) --first;
  auto last = starts.upper_bound(end);
  if (first == last) return sessions_.end();
  // The earliest session's accumulators take in the later ones', in time order.
  int64_t merged_start = std::min(start, first->first), merged_end = end;
  std::optional<Session> merged;
  for (auto it = first; it != last; ++it) {
    merged_end = std::max(merged_end, it->second);
    auto node = sessions_.extract(Slot{it->second, it->first, key});
    Session& s = node.mapped();
    if (!merged) {
      merged = std::move(s);
    } else {
      aggregates_.merge(merged->accumulators, s.accumulators);
      merged->rows += s.rows;
    }
  }
  starts.erase(first, last);
  starts.emplace(merged_start, merged_end);
  return sessions_.emplace(Slot{merged_end, merged_start, key}, std::move(*merged)).first;
}

void SessionWindowAggregateOperator::insert(Slot slot, Session session) {
  open_[slot.key][slot.start] = slot.end;
  sessions_.insert_or_assign(std::move(slot), std::move(session));
}

void SessionWindowAggregateOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  (void)out;  // results only leave on a watermark
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  const size_t nkeys = config_.keys.size();
  Arena scratch;  // key and argument values only live until they are encoded/accumulated
  expr::EvalContext ctx;
  ctx.arena = &scratch;
  std::vector<Value> keys(nkeys);
  AggregateSet::RowInputs inputs;

  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    const Value& t = row[config_.time_column];
    if (t.is_null()) {
      report_row_error(config_.on_row_error, *input, r,
                       "RowTime field should not be null, please convert it to a non-null long value.");
      continue;
    }
    const int64_t ts = t.as_int();
    if (ts < -kMaxWindowTimestamp || ts > kMaxWindowTimestamp) {
      report_row_error(config_.on_row_error, *input, r, "rowtime " + std::to_string(ts) + " ms is out of range");
      continue;
    }
    try {
      for (size_t i = 0; i < nkeys; ++i) keys[i] = config_.keys[i].expr->eval(row, ctx);
      aggregates_.evaluate(row, ctx, inputs);
    } catch (const expr::EvalError& e) {
      report_row_error(config_.on_row_error, *input, r, e.what());
      continue;
    }
    std::string key = encode_row(keys.data(), nkeys);
    const int64_t end = ts + gap_;
    auto session = merge_into(key, ts, end);
    if (session == sessions_.end()) {
      // Its own window fired already and no open session takes it in: late.
      if (fired(end)) {
        ++stats_.late_records_dropped;
        continue;
      }
      if (!is_accumulate(input->kind(r))) continue;  // nothing to retract from
      Session fresh{0, aggregates_.create(), key_group_for(key, row)};
      insert(Slot{end, ts, key}, std::move(fresh));
      session = sessions_.find(Slot{end, ts, key});
    }
    const bool accumulate = is_accumulate(input->kind(r));
    aggregates_.apply(session->second.accumulators, inputs, accumulate);
    session->second.rows += accumulate ? 1 : -1;
  }
}

void SessionWindowAggregateOperator::on_watermark(int64_t watermark, std::vector<BatchPtr>& out) {
  if (watermark <= watermark_) return;  // watermarks never go back
  watermark_ = watermark;
  const size_t nkeys = config_.keys.size();
  const size_t naggs = aggregates_.size();
  std::shared_ptr<Batch> result;
  while (!sessions_.empty() && fired(sessions_.begin()->first.end)) {
    auto node = sessions_.extract(sessions_.begin());
    const Slot& slot = node.key();
    const Session& session = node.mapped();
    auto open = open_.find(slot.key);
    open->second.erase(slot.start);
    if (open->second.empty()) open_.erase(open);
    if (session.rows <= 0) continue;  // every row of the session was retracted
    if (!result) result = std::make_shared<Batch>(output_.size());
    Value* dst = result->append_row(RowKind::Insert);
    decode_row(slot.key, nkeys, result->arena(), dst);
    aggregates_.results(session.accumulators, result->arena(), dst + nkeys);
    Value* w = dst + nkeys + naggs;
    w[0] = Value::integer(slot.start);
    w[1] = Value::integer(slot.end);
    w[2] = Value::integer(slot.end - 1);
  }
  if (!result) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

// Shared: the watermark. Per key group: (end, start, key bytes, rows, accumulators) per open session.
std::string SessionWindowAggregateOperator::state_description() const {
  std::string d = "session gap " + std::to_string(gap_) + " time " + config_.input[config_.time_column].type.to_string() + "\nkeys";
  for (const auto& k : config_.keys) d += ' ' + k.expr->type().to_string();
  return d + "\n" + aggregates_.layout();
}

void SessionWindowAggregateOperator::save_keyed(KeyedStateWriter& w) const {
  for (const auto& [slot, session] : sessions_) {
    StateWriter id;  // the session's identity: its key and bounds
    id.i64(slot.end);
    id.i64(slot.start);
    id.raw(slot.key);
    StateWriter& out = w.entry(session.key_group, id.data());
    out.i64(slot.end);
    out.i64(slot.start);
    out.bytes(slot.key);
    out.i64(session.rows);
    aggregates_.save(session.accumulators, out);
  }
}

void SessionWindowAggregateOperator::clear_state() {
  sessions_.clear();
  open_.clear();
  watermark_ = kMinWatermark;
}

// As WindowAggregateOperator: the minimum of the instances' watermarks.
void SessionWindowAggregateOperator::restore_shared(StateReader& r, bool /*inherit_counters*/) {
  take_min_watermark(watermark_, r.i64());
}

void SessionWindowAggregateOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    Slot slot;
    slot.end = r.i64();
    slot.start = r.i64();
    slot.key = std::string(r.bytes());
    if (slot.end - slot.start < gap_) throw CorruptState("session window state: a session shorter than the gap");
    int64_t rows = r.i64();
    insert(std::move(slot), Session{rows, aggregates_.load(r), key_group});
  }
}

OperatorStats SessionWindowAggregateOperator::stats() const {
  OperatorStats s = stats_;
  s.state_entries = sessions_.size();
  for (const auto& [slot, session] : sessions_) {
    s.state_bytes += 2 * (sizeof(Slot) + slot.key.capacity()) + sizeof(Session);
    s.state_bytes += aggregates_.approx_bytes(session.accumulators);
  }
  return s;
}

}  // namespace ananas::ops
