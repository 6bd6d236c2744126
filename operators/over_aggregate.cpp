#include "operators/over_aggregate.hpp"

#include <algorithm>
#include <stdexcept>

#include "operators/encoded_row.hpp"

namespace ananas::ops {

OverAggregateOperator::OverAggregateOperator(OverAggregateConfig config)
    : config_(std::move(config)), aggregates_(config_.aggregates) {
  if (config_.time_column >= config_.input.size())
    throw std::invalid_argument("OVER time column index " + std::to_string(config_.time_column) + " out of range");
  for (size_t k : config_.partition_by)
    if (k >= config_.input.size()) throw std::invalid_argument("PARTITION BY column index " + std::to_string(k) + " out of range");
  const Column& tc = config_.input[config_.time_column];
  if (!tc.type.is_timestamp())
    throw std::invalid_argument("OVER windows' ordering in stream mode must be defined on a time attribute (column '" +
                                tc.name + "' is " + tc.type.to_string() + ").");
  if (config_.preceding && *config_.preceding < 0)
    throw std::invalid_argument("the PRECEDING bound of an OVER window must not be negative");
  output_ = config_.input;
  for (auto& c : aggregates_.result_columns()) output_.columns.push_back(std::move(c));
}

bool OverAggregateOperator::is_late(const Partition* p, int64_t ts) const {
  if (!bounded()) return watermark_ != kMinWatermark && ts <= watermark_;
  // Flink's bounded functions compare with the partition's last emitted timestamp, 0 when there is none.
  const int64_t last = p && p->last_emitted ? *p->last_emitted : 0;
  return ts <= last;
}

// A row's aggregate inputs as bytes: one admitted flag per call, then the
// arguments (NULL for a call whose FILTER refused the row).
std::string OverAggregateOperator::encode_inputs(AggregateSet::RowInputs& in) const {
  std::string out(in.admitted.begin(), in.admitted.end());
  encode_values(in.args.data(), in.args.size(), out);
  return out;
}

void OverAggregateOperator::decode_inputs(std::string_view bytes, Arena& arena, AggregateSet::RowInputs& out) const {
  const size_t calls = aggregates_.size();
  if (bytes.size() < calls) throw CorruptState("OVER aggregate inputs are truncated");
  out.admitted.assign(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(calls));
  out.args.resize(aggregates_.total_args());
  decode_row(bytes.substr(calls), out.args.size(), arena, out.args.data());
}

void OverAggregateOperator::apply(Partition& p, std::string_view inputs, bool accumulate, Arena& arena) {
  AggregateSet::RowInputs in;
  decode_inputs(inputs, arena, in);
  aggregates_.apply(p.accumulators, in, accumulate);
}

void OverAggregateOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  (void)out;  // rows only leave on a watermark
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  Arena scratch;
  expr::EvalContext ctx;
  ctx.arena = &scratch;
  const size_t nkeys = config_.partition_by.size();
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
    for (size_t i = 0; i < nkeys; ++i) keys[i] = row[config_.partition_by[i]];
    std::string key = encode_row(keys.data(), nkeys);
    auto it = partitions_.find(key);
    if (is_late(it == partitions_.end() ? nullptr : &it->second, ts)) {
      ++stats_.late_records_dropped;
      continue;
    }
    try {
      aggregates_.evaluate(row, ctx, inputs);
    } catch (const expr::EvalError& e) {
      report_row_error(config_.on_row_error, *input, r, e.what());
      continue;
    }
    if (it == partitions_.end()) {
      Partition p;
      p.accumulators = aggregates_.create();
      p.key_group = key_group_for(key, row);
      it = partitions_.emplace(std::move(key), std::move(p)).first;
    }
    Partition& p = it->second;
    auto& rows = p.waiting[ts];
    if (rows.empty()) waiting_index_.emplace(ts, it->first);
    rows.push_back(Waiting{encode_row(row, config_.input.size()), encode_inputs(inputs)});
    if (bounded() && config_.unit == OverFrameUnit::Range) {
      // Flink's registerCleanupTimer: moved to ts + 1.5 x range + 1 when it would come before ts + range + 1.
      const int64_t range = *config_.preceding;
      if (!p.cleanup_at || *p.cleanup_at < ts + range + 1)
        set_cleanup(it->first, p, ts + static_cast<int64_t>(static_cast<double>(range) * 1.5) + 1);
    }
  }
}

void OverAggregateOperator::append_output(std::shared_ptr<Batch>& out, const Waiting& row, const Partition& p) {
  if (!out) out = std::make_shared<Batch>(output_.size());
  Value* dst = out->append_row(RowKind::Insert);
  const size_t n = config_.input.size();
  decode_row(row.row, n, out->arena(), dst);
  aggregates_.results(p.accumulators, out->arena(), dst + n);
}

void OverAggregateOperator::set_cleanup(const std::string& key, Partition& p, int64_t at) {
  if (p.cleanup_at) cleanup_index_.erase({*p.cleanup_at, key});
  p.cleanup_at = at;
  cleanup_index_.emplace(at, key);
}

void OverAggregateOperator::emit_timestamp(Partition& p, int64_t ts, std::vector<Waiting>& rows,
                                           std::shared_ptr<Batch>& out) {
  Arena scratch;
  const bool is_rows = config_.unit == OverFrameUnit::Rows;
  if (is_rows) {
    // Each row is its own step: the oldest row leaves a full frame, the new one enters.
    for (auto& row : rows) {
      if (bounded()) {
        if (static_cast<int64_t>(p.frame.size()) >= *config_.preceding + 1) {
          apply(p, p.frame.front().inputs, false, scratch);
          p.frame.pop_front();
        }
      }
      apply(p, row.inputs, true, scratch);
      append_output(out, row, p);
      if (bounded()) p.frame.push_back(InFrame{ts, std::move(row.inputs)});
    }
  } else {
    // Peers enter together and share one result; rows older than ts - range leave first.
    if (bounded()) {
      while (!p.frame.empty() && ts - p.frame.front().ts > *config_.preceding) {
        apply(p, p.frame.front().inputs, false, scratch);
        p.frame.pop_front();
      }
    }
    for (const auto& row : rows) apply(p, row.inputs, true, scratch);
    for (const auto& row : rows) append_output(out, row, p);
    if (bounded())
      for (auto& row : rows) p.frame.push_back(InFrame{ts, std::move(row.inputs)});
  }
  if (bounded()) p.last_emitted = ts;
}

void OverAggregateOperator::on_watermark(int64_t watermark, std::vector<BatchPtr>& out) {
  if (watermark <= watermark_) return;  // watermarks never go back
  watermark_ = watermark;
  // Every (timestamp, partition) that became final, in timestamp then key order.
  std::shared_ptr<Batch> result;
  while (!waiting_index_.empty() && waiting_index_.begin()->first <= watermark) {
    auto entry = waiting_index_.extract(waiting_index_.begin());
    Partition& p = partitions_.at(entry.value().second);
    auto node = p.waiting.extract(entry.value().first);
    emit_timestamp(p, node.key(), node.mapped(), result);
  }
  // Flink's cleanup timer of RANGE-bounded frames: every row has left the frame
  // and nothing waits (all waiting rows are older than the cleanup time), so
  // the partition goes, its last timestamp with it.
  while (!cleanup_index_.empty() && cleanup_index_.begin()->first <= watermark) {
    auto entry = cleanup_index_.extract(cleanup_index_.begin());
    auto it = partitions_.find(entry.value().second);
    if (it == partitions_.end()) continue;
    if (it->second.waiting.empty()) partitions_.erase(it);
    else it->second.cleanup_at.reset();  // cannot happen (see above); kept rather than dropped
  }
  if (!result) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

// Shared: the watermark. Per key group, one entry per partition: key bytes,
// last emitted timestamp, cleanup time, accumulators, frame rows, waiting rows.
std::string OverAggregateOperator::state_description() const {
  std::string d = "over " + std::string(config_.unit == OverFrameUnit::Rows ? "rows" : "range") + " " +
                  (config_.preceding ? std::to_string(*config_.preceding) : "unbounded") + " time " +
                  config_.input[config_.time_column].type.to_string() + "\ninput";
  for (const auto& c : config_.input.columns) d += ' ' + c.type.to_string();
  d += "\npartition";
  for (size_t k : config_.partition_by) d += ' ' + std::to_string(k);
  return d + "\n" + aggregates_.layout();
}

namespace {

void write_optional(StateWriter& w, const std::optional<int64_t>& v) {
  w.u8(v ? 1 : 0);
  if (v) w.i64(*v);
}

std::optional<int64_t> read_optional(StateReader& r) {
  if (r.u8() == 0) return std::nullopt;
  return r.i64();
}

}  // namespace

void OverAggregateOperator::save_keyed(KeyedStateWriter& w) const {
  for (const auto& [key, p] : partitions_) {
    StateWriter& out = w.entry(p.key_group, key);
    out.bytes(key);
    write_optional(out, p.last_emitted);
    write_optional(out, p.cleanup_at);
    aggregates_.save(p.accumulators, out);
    out.u64(p.frame.size());
    for (const auto& f : p.frame) {
      out.i64(f.ts);
      out.bytes(f.inputs);
    }
    out.u64(p.waiting.size());
    for (const auto& [ts, rows] : p.waiting) {
      out.i64(ts);
      out.u64(rows.size());
      for (const auto& row : rows) {
        out.bytes(row.row);
        out.bytes(row.inputs);
      }
    }
  }
}

OverAggregateOperator::Partition OverAggregateOperator::load_partition(StateReader& r) const {
  Partition p;
  p.last_emitted = read_optional(r);
  p.cleanup_at = read_optional(r);
  p.accumulators = aggregates_.load(r);
  for (uint64_t n = r.u64(); n > 0; --n) {
    const int64_t ts = r.i64();
    p.frame.push_back(InFrame{ts, std::string(r.bytes())});
  }
  for (uint64_t groups = r.u64(); groups > 0; --groups) {
    auto& rows = p.waiting[r.i64()];
    for (uint64_t n = r.u64(); n > 0; --n) {
      std::string row(r.bytes());
      rows.push_back(Waiting{std::move(row), std::string(r.bytes())});
    }
  }
  return p;
}

void OverAggregateOperator::clear_state() {
  partitions_.clear();
  waiting_index_.clear();
  cleanup_index_.clear();
  watermark_ = kMinWatermark;
}

// Every instance saw the same aligned watermark at the barrier; the minimum is
// the safe choice should they ever differ.
void OverAggregateOperator::restore_shared(StateReader& r, bool /*inherit_counters*/) {
  take_min_watermark(watermark_, r.i64());
}

void OverAggregateOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    std::string key(r.bytes());
    Partition p = load_partition(r);
    p.key_group = key_group;
    for (const auto& [ts, rows] : p.waiting) waiting_index_.emplace(ts, key);
    if (p.cleanup_at) cleanup_index_.emplace(*p.cleanup_at, key);
    partitions_.insert_or_assign(std::move(key), std::move(p));
  }
}

OperatorStats OverAggregateOperator::stats() const {
  OperatorStats s = stats_;
  for (const auto& [key, p] : partitions_) {
    s.state_entries += 1 + p.frame.size();
    s.state_bytes += sizeof(Partition) + key.capacity() + aggregates_.approx_bytes(p.accumulators);
    for (const auto& f : p.frame) s.state_bytes += sizeof(InFrame) + f.inputs.capacity();
    for (const auto& [ts, rows] : p.waiting) {
      s.state_entries += rows.size();
      for (const auto& row : rows) s.state_bytes += sizeof(Waiting) + row.row.capacity() + row.inputs.capacity();
    }
  }
  return s;
}

}  // namespace ananas::ops
