#include "operators/top_n.hpp"

#include <stdexcept>

#include "operators/encoded_row.hpp"

namespace ananas::ops {

// Collects the output rows of one input batch.
class TopNOperator::Emitter {
 public:
  explicit Emitter(const TopNOperator& op) : op_(op) {}
  void emit(RowKind kind, const std::string& row, int64_t rank) {
    if (!batch_) batch_ = std::make_shared<Batch>(op_.output_.size());
    const size_t width = op_.config_.input.size();
    Value* dst = batch_->append_row(kind);
    decode_row(row, width, batch_->arena(), dst);
    if (op_.config_.rank_column) dst[width] = Value::integer(rank);
  }
  // Flink's collectInsert/collectUpdateAfter/collectDelete with a rank: only ranks in range.
  void ranked(RowKind kind, const std::string& row, int64_t rank) {
    if (!op_.in_range(rank)) return;
    if (kind == RowKind::UpdateBefore && !op_.config_.emit_update_before) return;
    emit(kind, row, rank);
  }
  std::shared_ptr<Batch> take() { return std::move(batch_); }

 private:
  const TopNOperator& op_;
  std::shared_ptr<Batch> batch_;
};

Schema top_n_output(const Schema& input, const std::vector<size_t>& partition_by, const std::vector<TopNSortKey>& order_by,
                    int64_t rank_start, int64_t rank_end, const std::optional<std::string>& rank_column) {
  for (size_t k : partition_by)
    if (k >= input.size()) throw std::invalid_argument("PARTITION BY column index " + std::to_string(k) + " out of range");
  for (const auto& k : order_by) {
    if (k.column >= input.size()) throw std::invalid_argument("ORDER BY column index " + std::to_string(k.column) + " out of range");
    const TypeId t = input[k.column].type.id;
    if (t == TypeId::Array || t == TypeId::Row || t == TypeId::Map)
      throw std::invalid_argument("Top-N cannot order by '" + input[k.column].name + "' of type " + input[k.column].type.to_string());
  }
  if (rank_start < 1) throw std::invalid_argument("the rank range must start at 1 or later");
  if (rank_end < rank_start) throw std::invalid_argument("the rank range ends before it starts");
  Schema output = input;
  if (rank_column) output.columns.push_back({*rank_column, Type::bigint().with_nullable(false)});
  return output;
}

TopNOperator::TopNOperator(TopNConfig config)
    : config_(std::move(config)),
      output_(top_n_output(config_.input, config_.partition_by, config_.order_by, config_.rank_start, config_.rank_end,
                           config_.rank_column)) {}

bool TopNSortOrder::operator()(const TopNSortValues& a, const TopNSortValues& b) const {
  for (size_t i = 0; i < keys->size(); ++i) {
    const TopNSortKey& k = (*keys)[i];
    const bool an = a[i].is_null(), bn = b[i].is_null();
    if (an || bn) {
      if (an && bn) continue;
      return an == k.nulls_first;  // a NULL sorts where the key puts NULLs, whatever the direction
    }
    const auto c = a[i] <=> b[i];
    if (c == 0) continue;
    return k.descending ? c > 0 : c < 0;
  }
  return false;
}

TopNSortValues top_n_sort_values(const Value* row, const std::vector<TopNSortKey>& keys) {
  TopNSortValues v;
  v.reserve(keys.size());
  for (const auto& k : keys) v.push_back(OwnedValue::from(row[k.column]));
  return v;
}

std::string top_n_layout(const Schema& input, const std::vector<size_t>& partition_by, const std::vector<TopNSortKey>& order_by) {
  std::string d = "\ninput";
  for (const auto& c : input.columns) d += ' ' + c.type.to_string();
  d += "\npartition";
  for (size_t k : partition_by) d += ' ' + std::to_string(k);
  d += "\norder";
  for (const auto& k : order_by)
    d += ' ' + std::to_string(k.column) + (k.descending ? " desc" : " asc") + (k.nulls_first ? " nulls-first" : " nulls-last");
  return d;
}

void save_top_n_rows(const TopNBuffer& buffer, StateWriter& out) {
  for (const auto& [sort, rows] : buffer)
    for (const auto& row : rows) out.bytes(row);
}

void load_top_n_rows(StateReader& r, uint64_t count, const Schema& input, const std::vector<TopNSortKey>& order_by,
                     TopNBuffer& buffer) {
  std::vector<Value> values(input.size());
  for (uint64_t i = 0; i < count; ++i) {
    std::string row(r.bytes());
    Arena arena(256);
    decode_row(row, input.size(), arena, values.data());
    buffer[top_n_sort_values(values.data(), order_by)].push_back(std::move(row));
  }
}

uint64_t top_n_buffer_bytes(const TopNBuffer& buffer) {
  uint64_t bytes = 0;
  for (const auto& [sort, rows] : buffer) {
    for (const auto& v : sort) bytes += v.approx_bytes();
    for (const auto& row : rows) bytes += row.capacity();
  }
  return bytes;
}

// Flink's TopNBuffer.checkSortKeyInBufferRange: an empty partition, a key strictly
// better than the worst kept one, or room left.
bool TopNOperator::enters(const Partition& p, const SortValues& key) const {
  if (p.buffer.empty()) return true;
  if (p.buffer.key_comp()(key, p.buffer.rbegin()->first)) return true;
  return static_cast<int64_t>(p.rows) < config_.rank_end;
}

void TopNOperator::add(Partition& p, SortValues key, std::string row) {
  p.buffer[std::move(key)].push_back(std::move(row));
  ++p.rows;
}

void TopNOperator::process(const BatchPtr& input, std::vector<BatchPtr>& out) {
  if (!input || input->empty()) return;
  stats_.rows_in += input->num_rows();
  const size_t nkeys = config_.partition_by.size();
  const bool top1 = config_.rank_start == 1 && config_.rank_end == 1;
  std::vector<Value> keys(nkeys);
  Emitter emitter(*this);
  for (size_t r = 0; r < input->num_rows(); ++r) {
    const Value* row = input->row(r);
    for (size_t i = 0; i < nkeys; ++i) keys[i] = row[config_.partition_by[i]];
    std::string key = encode_row(keys.data(), nkeys);
    auto it = partitions_.find(key);
    if (it == partitions_.end()) {
      const uint32_t group = key_group_for(key, row);
      it = partitions_.emplace(std::move(key), Partition(&config_.order_by)).first;
      it->second.key_group = group;
    }
    Partition& p = it->second;
    const SortValues sort = sort_values(row);
    if (top1) process_top1(p, sort, row, emitter);
    else if (!enters(p, sort)) continue;
    else if (config_.rank_column || config_.rank_start > 1) process_with_rank(p, sort, row, emitter);
    else process_without_rank(p, sort, row, emitter);
  }
  auto result = emitter.take();
  if (!result || result->empty()) return;
  stats_.rows_out += result->num_rows();
  out.push_back(std::move(result));
}

// FastTop1Function: the first row of a partition is +I; a strictly better one replaces it (-U/+U).
void TopNOperator::process_top1(Partition& p, const SortValues& key, const Value* row, Emitter& out) {
  std::string encoded = encode_row(row, config_.input.size());
  if (p.buffer.empty()) {
    out.emit(RowKind::Insert, encoded, 1);
    add(p, key, std::move(encoded));
    return;
  }
  if (!p.buffer.key_comp()(key, p.buffer.begin()->first)) return;
  if (config_.emit_update_before) out.emit(RowKind::UpdateBefore, p.buffer.begin()->second.front(), 1);
  out.emit(RowKind::UpdateAfter, encoded, 1);
  p.buffer.clear();
  p.rows = 0;
  add(p, key, std::move(encoded));
}

// AppendOnlyTopNFunction.processElementWithoutRowNumber: +I for the new row, -D
// for the row it pushes out of the top.
void TopNOperator::process_without_rank(Partition& p, const SortValues& key, const Value* row, Emitter& out) {
  std::string encoded = encode_row(row, config_.input.size());
  add(p, key, encoded);
  if (static_cast<int64_t>(p.rows) > config_.rank_end) {
    auto last = std::prev(p.buffer.end());
    std::string retired = std::move(last->second.back());
    last->second.pop_back();
    if (last->second.empty()) p.buffer.erase(last);
    --p.rows;
    if (retired == encoded) return;  // the new row itself fell out (Flink's input.equals(lastElement))
    out.emit(RowKind::Delete, retired, 0);
  }
  out.emit(RowKind::Insert, encoded, 0);
}

// AppendOnlyTopNFunction.processElementWithRowNumber: the rows after the new one
// move down one rank each (-U old rank / +U new rank, the new row taking the
// first moved rank), the last one kept gets a new rank (+I); rows past the
// top are dropped from state.
void TopNOperator::process_with_rank(Partition& p, const SortValues& key, const Value* row, Emitter& out) {
  std::string encoded = encode_row(row, config_.input.size());
  add(p, key, encoded);
  int64_t rank = 0;
  bool found = false;
  std::string current;
  auto it = p.buffer.begin();
  while (it != p.buffer.end() && rank <= config_.rank_end) {
    auto& [k, rows] = *it;
    ++it;
    if (!found && !p.buffer.key_comp()(k, key) && !p.buffer.key_comp()(key, k)) {
      rank += static_cast<int64_t>(rows.size());
      current = encoded;
      found = true;
    } else if (found) {
      for (size_t i = 0; i < rows.size() && rank <= config_.rank_end; ++i) {
        out.ranked(RowKind::UpdateBefore, rows[i], rank);
        out.ranked(RowKind::UpdateAfter, current, rank);
        current = rows[i];
        ++rank;
      }
    } else {
      rank += static_cast<int64_t>(rows.size());
    }
  }
  if (rank <= config_.rank_end) out.ranked(RowKind::Insert, current, rank);
  while (it != p.buffer.end()) {
    p.rows -= it->second.size();
    it = p.buffer.erase(it);
  }
}

std::string TopNOperator::state_description() const {
  return "top_n " + std::to_string(config_.rank_start) + ".." + std::to_string(config_.rank_end) +
         top_n_layout(config_.input, config_.partition_by, config_.order_by);
}

void TopNOperator::save_keyed(KeyedStateWriter& w) const {
  for (const auto& [key, p] : partitions_) {
    if (p.rows == 0) continue;
    StateWriter& out = w.entry(p.key_group, key);
    out.bytes(key);
    out.u64(p.rows);
    save_top_n_rows(p.buffer, out);
  }
}

void TopNOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  while (!r.at_end()) {
    std::string key(r.bytes());
    const uint64_t n = r.u64();
    Partition p(&config_.order_by);
    p.key_group = key_group;
    load_top_n_rows(r, n, config_.input, config_.order_by, p.buffer);
    p.rows = n;
    partitions_.insert_or_assign(std::move(key), std::move(p));
  }
}

OperatorStats TopNOperator::stats() const {
  OperatorStats s = stats_;
  for (const auto& [key, p] : partitions_) {
    s.state_entries += p.rows;
    s.state_bytes += sizeof(Partition) + key.capacity() + top_n_buffer_bytes(p.buffer);
  }
  return s;
}

}  // namespace ananas::ops
