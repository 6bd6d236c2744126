#include "operators/window_aggregate.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/processing_clock.hpp"
#include "operators/encoded_row.hpp"

namespace ananas::ops {

std::vector<Column> window_columns(const Type& time_type) {
  Type bound = Type::timestamp(3).with_nullable(false);
  Type time = (time_type.id == TypeId::TimestampLtz ? Type::timestamp_ltz(3) : Type::timestamp(3))
                  .with_nullable(false)
                  .with_time_attr(TimeAttr::Rowtime);
  return {{"window_start", bound}, {"window_end", bound}, {"window_time", time}};
}

WindowAggregateOperator::WindowAggregateOperator(WindowAggregateConfig config)
    : config_(std::move(config)), aggregates_(config_.aggregates) {
  validate_window_spec(config_.window);
  if (config_.window.kind == WindowKind::Session)
    throw std::invalid_argument("session windows merge: SessionWindowAggregateOperator aggregates them");
  output_ = window_aggregate_output(config_, aggregates_);
}

Schema window_aggregate_output(const WindowAggregateConfig& config, const AggregateSet& aggregates) {
  if (config.time_column >= config.input.size())
    throw std::invalid_argument("window time column index " + std::to_string(config.time_column) + " out of range");
  const Column& tc = config.input[config.time_column];
  if (!tc.type.is_timestamp())
    throw std::invalid_argument("The window function requires the timecol is a time attribute type, but is " +
                                tc.type.to_string() + " (column '" + tc.name + "').");
  for (const auto& k : config.keys)
    if (!k.expr) throw std::invalid_argument("group key '" + k.name + "' has no expression");
  Schema output;
  output.columns = columns_of(config.keys);
  for (auto& c : aggregates.result_columns()) output.columns.push_back(std::move(c));
  for (auto& c : window_columns(tc.type)) output.columns.push_back(std::move(c));
  if (config.processing_time) {  // window_time is a processing-time attribute (Flink: PROCTIME_MATERIALIZE downstream)
    output.columns.back().type = Type::timestamp_ltz(3).with_nullable(false).with_time_attr(TimeAttr::Proctime);
  }
  return output;
}

void WindowAggregateOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  (void)out;  // results only leave on a watermark
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  const size_t nkeys = config_.keys.size();
  Arena scratch;  // key and argument values only live until they are encoded/accumulated
  expr::EvalContext ctx;
  ctx.arena = &scratch;
  std::vector<Value> keys(nkeys);
  AggregateSet::RowInputs inputs;
  std::vector<WindowBounds> windows;
  if (config_.processing_time) {
    // One clock read per batch: its rows are processed at the same instant.
    // Never behind a time already fired, so a clock stepping back adds no row
    // to a window that has fired.
    clock_ms_ = std::max(clock_ms_, config_.clock ? config_.clock() : processing_time_now_ms());
  }

  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    if (config_.partial_column && !row[*config_.partial_column].is_null()) {
      merge_partial(input, r, ctx, keys);
      continue;
    }
    const Value& t = row[config_.time_column];
    if (config_.processing_time) {
      // The descriptor column is not read: the row's time is the operator's clock.
    } else if (t.is_null()) {
      report_row_error(config_.on_row_error, *input, r,
                       "RowTime field should not be null, please convert it to a non-null long value.");
      continue;
    }
    const int64_t ts = config_.processing_time ? clock_ms_ : t.as_int();
    if (ts < -kMaxWindowTimestamp || ts > kMaxWindowTimestamp) {
      report_row_error(config_.on_row_error, *input, r, "rowtime " + std::to_string(ts) + " ms is out of range");
      continue;
    }
    windows.clear();
    assign_windows(config_.window, ts, windows);
    // Windows come in ascending end: the row is late when even the last one has fired.
    if (windows.empty() || fired(windows.back().end)) {
      ++stats_.late_records_dropped;
      continue;
    }
    try {
      for (size_t i = 0; i < nkeys; ++i) keys[i] = config_.keys[i].expr->eval(row, ctx);
      aggregates_.evaluate(row, ctx, inputs);
    } catch (const expr::EvalError& e) {
      report_row_error(config_.on_row_error, *input, r, e.what());
      continue;
    }
    const bool accumulate = is_accumulate(input->kind(r));
    std::string key = encode_row(keys.data(), nkeys);
    for (const auto& w : windows) {
      if (fired(w.end)) continue;
      Slot slot{w.end, w.start, key};
      auto it = panes_.find(slot);
      if (it == panes_.end()) {
        if (!accumulate) continue;  // nothing to retract from
        it = panes_.emplace(std::move(slot), Pane{0, aggregates_.create(), key_group_for(key, row)}).first;
      }
      aggregates_.apply(it->second.accumulators, inputs, accumulate);
      it->second.rows += accumulate ? 1 : -1;
    }
  }
}

void WindowAggregateOperator::merge_partial(const BatchPtr& input, size_t r, expr::EvalContext& ctx,
                                            std::vector<Value>& keys) {
  const Value* row = input->row(r);
  StateReader state(row[*config_.partial_column].as_string());
  Slot slot;
  int64_t rows = 0;
  std::vector<AccumulatorPtr> accumulators;
  try {
    slot.start = state.i64();
    slot.end = state.i64();
    rows = state.i64();
    accumulators = aggregates_.load(state);
  } catch (const CorruptState& e) {
    report_row_error(config_.on_row_error, *input, r, std::string("corrupt partial aggregate: ") + e.what());
    return;
  }
  // A window this aggregation assigns (its end − 1 lies in it), of rows
  // that were counted: anything else was not written by a local phase of it.
  bool valid = rows > 0 && slot.end > slot.start && slot.end - 1 >= -kMaxWindowTimestamp &&
               slot.end - 1 <= kMaxWindowTimestamp;
  if (valid) {
    std::vector<WindowBounds> windows;
    assign_windows(config_.window, slot.end - 1, windows);
    valid = std::find(windows.begin(), windows.end(), WindowBounds{slot.start, slot.end}) != windows.end();
  }
  if (!valid) {
    report_row_error(config_.on_row_error, *input, r,
                     "corrupt partial aggregate: window [" + std::to_string(slot.start) + ", " +
                         std::to_string(slot.end) + ") of " + std::to_string(rows) +
                         " rows is not one of this aggregation's windows");
    return;
  }
  // A partial behind the watermark is dropped whole, as its rows would have been.
  if (fired(slot.end)) {
    stats_.late_records_dropped += static_cast<uint64_t>(std::max<int64_t>(rows, 0));
    return;
  }
  try {
    for (size_t i = 0; i < keys.size(); ++i) keys[i] = config_.keys[i].expr->eval(row, ctx);
  } catch (const expr::EvalError& e) {
    report_row_error(config_.on_row_error, *input, r, e.what());
    return;
  }
  slot.key = encode_row(keys.data(), keys.size());
  auto it = panes_.find(slot);
  if (it == panes_.end()) {
    const uint32_t group = key_group_for(slot.key, row);
    panes_.emplace(std::move(slot), Pane{rows, std::move(accumulators), group});
    return;
  }
  aggregates_.merge(it->second.accumulators, accumulators);
  it->second.rows += rows;
}

void WindowAggregateOperator::on_watermark(int64_t watermark, std::vector<BatchPtr>& out) {
  if (config_.processing_time) return;  // processing-time windows ignore event time; the host forwards the watermark
  if (watermark <= watermark_) return;  // watermarks never go back
  watermark_ = watermark;
  fire(out, [](int64_t end) { return end - 1; });
}

std::optional<int64_t> WindowAggregateOperator::next_processing_timer() const {
  if (!config_.processing_time || panes_.empty()) return std::nullopt;
  return panes_.begin()->first.end;  // the first instant past the timer at end − 1
}

void WindowAggregateOperator::on_processing_time(int64_t now_ms, std::vector<BatchPtr>& out) {
  if (!config_.processing_time) return;
  clock_ms_ = std::max(clock_ms_, now_ms);
  const int64_t fired_at = clock_ms_;
  fire(out, [fired_at](int64_t) { return fired_at; });
}

template <typename WindowTime>
void WindowAggregateOperator::fire(std::vector<BatchPtr>& out, WindowTime window_time) {
  const size_t nkeys = config_.keys.size();
  const size_t naggs = aggregates_.size();
  std::shared_ptr<Batch> result;
  // panes_ is ordered by (end, start, key): firing walks it from the front.
  while (!panes_.empty() && fired(panes_.begin()->first.end)) {
    auto node = panes_.extract(panes_.begin());
    const Slot& slot = node.key();
    const Pane& pane = node.mapped();
    if (pane.rows <= 0) continue;  // every row of the window was retracted: the window is empty
    if (!result) result = std::make_shared<Batch>(output_.size());
    Value* dst = result->append_row(RowKind::Insert);
    decode_row(slot.key, nkeys, result->arena(), dst);
    aggregates_.results(pane.accumulators, result->arena(), dst + nkeys);
    Value* w = dst + nkeys + naggs;
    w[0] = Value::integer(slot.start);
    w[1] = Value::integer(slot.end);
    w[2] = Value::integer(window_time(slot.end));
  }
  if (!result) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

// Shared: the watermark. Per key group: (end, start, key bytes, rows, accumulators) per pane.
std::string WindowAggregateOperator::state_description() const {
  const auto& win = config_.window;
  std::string d = "window " + std::to_string(static_cast<int>(win.kind)) + " " + std::to_string(win.size_ms) + " " +
                  std::to_string(win.step_ms) + " " + std::to_string(win.offset_ms) + " time " +
                  config_.input[config_.time_column].type.to_string() + (config_.processing_time ? " processing" : "") +
                  "\nkeys";
  for (const auto& k : config_.keys) d += ' ' + k.expr->type().to_string();
  return d + "\n" + aggregates_.layout();
}

void WindowAggregateOperator::save_keyed(KeyedStateWriter& w) const {
  for (const auto& [slot, pane] : panes_) {
    StateWriter id;  // the pane's identity: its window and group key
    id.i64(slot.end);
    id.i64(slot.start);
    id.raw(slot.key);
    StateWriter& out = w.entry(pane.key_group, id.data());
    out.i64(slot.end);
    out.i64(slot.start);
    out.bytes(slot.key);
    out.i64(pane.rows);
    aggregates_.save(pane.accumulators, out);
  }
}

void WindowAggregateOperator::clear_state() {
  panes_.clear();
  watermark_ = kMinWatermark;
  clock_ms_ = kMinWatermark;
}

// Every instance saw the same aligned watermark at the barrier; the minimum is
// the safe choice should they ever differ (no window fires twice early).
void WindowAggregateOperator::restore_shared(StateReader& r, bool /*inherit_counters*/) {
  take_min_watermark(watermark_, r.i64());
}

void WindowAggregateOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    Slot slot;
    slot.end = r.i64();
    slot.start = r.i64();
    slot.key = std::string(r.bytes());
    int64_t rows = r.i64();
    Pane pane{rows, aggregates_.load(r), key_group};
    panes_.insert_or_assign(std::move(slot), std::move(pane));
  }
}

OperatorStats WindowAggregateOperator::stats() const {
  OperatorStats s = stats_;
  s.state_entries = panes_.size();
  for (const auto& [slot, pane] : panes_) {
    s.state_bytes += sizeof(Slot) + slot.key.capacity() + sizeof(Pane);
    s.state_bytes += aggregates_.approx_bytes(pane.accumulators);
  }
  return s;
}

}  // namespace ananas::ops
