#include "operators/window_top_n.hpp"

#include <stdexcept>

#include "operators/encoded_row.hpp"

namespace ananas::ops {

WindowTopNOperator::WindowTopNOperator(WindowTopNConfig config) : config_(std::move(config)) {
  const size_t width = config_.input.size();
  for (size_t c : {config_.window_start, config_.window_end}) {
    if (c >= width) throw std::invalid_argument("window column index " + std::to_string(c) + " out of range");
    if (!config_.input[c].type.is_timestamp())
      throw std::invalid_argument("window Top-N needs timestamp window bounds ('" + config_.input[c].name + "' is " +
                                  config_.input[c].type.to_string() + ")");
  }
  output_ = top_n_output(config_.input, config_.partition_by, config_.order_by, config_.rank_start, config_.rank_end,
                         config_.rank_column);
}

// Keeps the row if it is among the best rank_end of its window and partition
// (a tie with the worst kept row loses, unless later arrivals rank first).
void WindowTopNOperator::keep(Top& top, TopNSortValues key, std::string row) {
  if (top.rows >= config_.rank_end) {
    const auto& worst = top.buffer.rbegin()->first;
    const bool enters = config_.later_ties_first ? !top.buffer.key_comp()(worst, key) : top.buffer.key_comp()(key, worst);
    if (!enters) return;
  }
  auto& ties = top.buffer[std::move(key)];
  if (config_.later_ties_first) ties.insert(ties.begin(), std::move(row));
  else ties.push_back(std::move(row));
  if (++top.rows <= config_.rank_end) return;
  auto last = std::prev(top.buffer.end());
  last->second.pop_back();
  if (last->second.empty()) top.buffer.erase(last);
  --top.rows;
}

void WindowTopNOperator::process(const BatchPtr& input, std::vector<BatchPtr>& /*out*/) {
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  const size_t width = config_.input.size();
  const size_t nkeys = config_.partition_by.size();
  std::vector<Value> keys(nkeys);
  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    const Value& start = row[config_.window_start];
    const Value& end = row[config_.window_end];
    if (start.is_null() || end.is_null() || fired(end.as_int())) {
      ++stats_.late_records_dropped;  // its window already fired (window bounds are never NULL in Flink)
      continue;
    }
    for (size_t i = 0; i < nkeys; ++i) keys[i] = row[config_.partition_by[i]];
    Slot slot{end.as_int(), start.as_int(), encode_row(keys.data(), nkeys)};
    auto it = tops_.find(slot);
    if (it == tops_.end()) {
      const uint32_t group = key_group_for(slot.key, row);
      it = tops_.emplace(std::move(slot), Top(&config_.order_by)).first;
      it->second.key_group = group;
    }
    keep(it->second, top_n_sort_values(row, config_.order_by), encode_row(row, width));
  }
}

void WindowTopNOperator::on_watermark(int64_t watermark, std::vector<BatchPtr>& out) {
  if (watermark <= watermark_) return;  // watermarks never go back
  watermark_ = watermark;
  const size_t width = config_.input.size();
  std::shared_ptr<Batch> result;
  // tops_ is ordered by (end, start, key): firing walks it from the front.
  while (!tops_.empty() && fired(tops_.begin()->first.end)) {
    auto node = tops_.extract(tops_.begin());
    int64_t rank = 0;
    for (const auto& [sort, rows] : node.mapped().buffer)
      for (const auto& row : rows) {
        ++rank;
        if (rank < config_.rank_start) continue;
        if (!result) result = std::make_shared<Batch>(output_.size());
        Value* dst = result->append_row(RowKind::Insert);
        decode_row(row, width, result->arena(), dst);
        if (config_.rank_column) dst[width] = Value::integer(rank);
      }
  }
  if (!result) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

std::string WindowTopNOperator::state_description() const {
  return std::string("window_top_n ") + (config_.later_ties_first ? "later-ties-first " : "") + std::to_string(config_.rank_start) +
         ".." + std::to_string(config_.rank_end) + " window " + std::to_string(config_.window_start) + " " +
         std::to_string(config_.window_end) + top_n_layout(config_.input, config_.partition_by, config_.order_by);
}

// Shared: the watermark. Per key group: (end, start, key bytes, rows best first) per window and partition.
void WindowTopNOperator::save_keyed(KeyedStateWriter& w) const {
  for (const auto& [slot, top] : tops_) {
    StateWriter id;  // the entry's identity: its window and partition key
    id.i64(slot.end);
    id.i64(slot.start);
    id.raw(slot.key);
    StateWriter& out = w.entry(top.key_group, id.data());
    out.i64(slot.end);
    out.i64(slot.start);
    out.bytes(slot.key);
    out.u64(static_cast<uint64_t>(top.rows));
    save_top_n_rows(top.buffer, out);
  }
}

void WindowTopNOperator::clear_state() {
  tops_.clear();
  watermark_ = kMinWatermark;
}

// Every instance saw the same aligned watermark at the barrier; the minimum is
// the safe choice should they ever differ (no window fires twice early).
void WindowTopNOperator::restore_shared(StateReader& r, bool /*inherit_counters*/) {
  take_min_watermark(watermark_, r.i64());
}

void WindowTopNOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    Slot slot;
    slot.end = r.i64();
    slot.start = r.i64();
    slot.key = std::string(r.bytes());
    const uint64_t n = r.u64();
    Top top(&config_.order_by);
    top.key_group = key_group;
    load_top_n_rows(r, n, config_.input, config_.order_by, top.buffer);
    top.rows = static_cast<decltype(top.rows)>(n);
    tops_.insert_or_assign(std::move(slot), std::move(top));
  }
}

OperatorStats WindowTopNOperator::stats() const {
  OperatorStats s = stats_;
  for (const auto& [slot, top] : tops_) {
    s.state_entries += static_cast<uint64_t>(top.rows);
    s.state_bytes += sizeof(Top) + slot.key.capacity() + top_n_buffer_bytes(top.buffer);
  }
  return s;
}

}  // namespace ananas::ops
