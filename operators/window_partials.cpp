#include "operators/window_partials.hpp"

#include <stdexcept>

#include "operators/encoded_row.hpp"

namespace ananas::ops {

void encode_partial_state(int64_t start, int64_t end, int64_t rows, const AggregateSet& aggregates,
                          const std::vector<AccumulatorPtr>& accumulators, std::string& out) {
  StateWriter w;
  w.i64(start);
  w.i64(end);
  w.i64(rows);
  aggregates.save(accumulators, w);
  out = w.take();
}

WindowPartialCombiner::WindowPartialCombiner(WindowAggregateConfig config)
    : config_(std::move(config)), aggregates_(config_.aggregates), keys_(config_.keys.size()) {
  validate_window_spec(config_.window);
  if (config_.window.kind == WindowKind::Session) throw std::invalid_argument("session windows merge: they run in one phase");
  if (config_.processing_time) throw std::invalid_argument("processing-time windows run in one phase");
  scratch_.emplace();
  ctx_.arena = &*scratch_;
}

bool WindowPartialCombiner::add(int64_t source, int32_t target, const Value* row, RowKind kind) {
  if (!is_accumulate(kind)) return false;  // the global phase retracts from its own panes
  const Value& t = row[config_.time_column];
  if (t.is_null()) return false;
  const int64_t ts = t.as_int();
  if (ts < -kMaxWindowTimestamp || ts > kMaxWindowTimestamp) return false;
  windows_.clear();
  assign_windows(config_.window, ts, windows_);
  // Late here, or partly (a HOP row some of whose windows fired): the global
  // phase decides, as it would without this phase.
  if (windows_.empty() || fired(windows_.front().end)) return false;
  if (++rows_since_reset_ >= 4096) {  // keys and arguments only live until they are encoded or accumulated
    rows_since_reset_ = 0;
    scratch_.emplace();
    ctx_.arena = &*scratch_;
  }
  try {
    for (size_t i = 0; i < keys_.size(); ++i) keys_[i] = config_.keys[i].expr->eval(row, ctx_);
    aggregates_.evaluate(row, ctx_, inputs_);
  } catch (const expr::EvalError&) {
    return false;  // reported by the global phase, with the row
  }
  std::string key = encode_row(keys_.data(), keys_.size());
  auto& slots = pending_[source];
  for (const auto& w : windows_) {
    auto [it, fresh] = slots.try_emplace(Slot{target, w.end, w.start, key});
    if (fresh) {
      it->second.cells = encode_row(row, config_.input.size());
      it->second.accumulators = aggregates_.create();
      ends_.insert(w.end);
      ++pending_count_;
    }
    aggregates_.apply(it->second.accumulators, inputs_, true);
    ++it->second.rows;
  }
  return true;
}

void WindowPartialCombiner::set_watermark(int64_t watermark) {
  if (watermark > watermark_) watermark_ = watermark;
}

bool WindowPartialCombiner::flush_due() const { return !ends_.empty() && fired(*ends_.begin()); }

std::vector<int64_t> WindowPartialCombiner::sources() const {
  std::vector<int64_t> out;
  for (const auto& [source, slots] : pending_)
    if (!slots.empty()) out.push_back(source);
  return out;
}

std::vector<WindowPartial> WindowPartialCombiner::take(int64_t source) {
  std::vector<WindowPartial> out;
  auto it = pending_.find(source);
  if (it == pending_.end()) return out;
  out.reserve(it->second.size());
  for (auto& [slot, p] : it->second) {
    WindowPartial partial;
    partial.target = slot.target;
    partial.cells = std::move(p.cells);
    encode_partial_state(slot.start, slot.end, p.rows, aggregates_, p.accumulators, partial.state);
    out.push_back(std::move(partial));
    ends_.erase(ends_.find(slot.end));
    --pending_count_;
  }
  pending_.erase(it);
  return out;
}

}  // namespace ananas::ops
