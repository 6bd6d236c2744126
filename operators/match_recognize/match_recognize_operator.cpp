#include "operators/match_recognize/match_recognize_operator.hpp"

#include <algorithm>

#include "operators/owned_value.hpp"

namespace ananas::ops {

namespace {

std::vector<std::string> variable_names(const mr::Pattern& p) {
  std::vector<std::string> names;
  for (const auto& v : p.variables) names.push_back(v.name);
  return names;
}

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best = closest_match(word, candidates);
  return best.empty() ? "" : " Did you mean '" + best + "'?";
}

}  // namespace

MatchRecognizeOperator::MatchRecognizeOperator(MatchRecognizeConfig config) : config_(std::move(config)) {
  validate_match_order_by(config_.input, config_.order_by, config_.order_by_loc);
  rowtime_ = config_.order_by.front().column;
  for (size_t c : config_.partition_by)
    if (c >= config_.input.size()) throw std::invalid_argument("MATCH_RECOGNIZE: partition column index out of range");

  mr::Pattern pattern = mr::parse_pattern(config_.pattern_text, config_.pattern_loc);
  const auto names = variable_names(pattern);

  std::vector<expr::CompiledExprPtr> conditions(pattern.variables.size());
  for (const auto& d : config_.defines) {
    int var = pattern.index_of(d.variable);
    if (var < 0)
      throw InputError(d.loc, "DEFINE refers to '" + d.variable + "', which is not a variable of the PATTERN." +
                                  suggestion(d.variable, names));
    if (conditions[static_cast<size_t>(var)])
      throw InputError(d.loc, "Pattern variable '" + d.variable + "' is defined more than once.");
    if (!d.condition) throw std::invalid_argument("MATCH_RECOGNIZE: DEFINE " + d.variable + " without a condition");
    TypeId t = d.condition->type().id;
    if (t != TypeId::Boolean && t != TypeId::Null)
      throw InputError(d.loc, "The DEFINE condition of '" + d.variable + "' must be a BOOLEAN expression, not " +
                                  d.condition->type().to_string() + ".");
    conditions[static_cast<size_t>(var)] = d.condition;
  }

  if (config_.skip.kind == mr::SkipKind::ToFirst || config_.skip.kind == mr::SkipKind::ToLast) {
    if (pattern.index_of(config_.skip.variable) < 0)
      throw InputError(config_.skip_loc, "AFTER MATCH SKIP TO refers to '" + config_.skip.variable +
                                             "', which is not a variable of the PATTERN." +
                                             suggestion(config_.skip.variable, names));
  }
  if (config_.within_millis && *config_.within_millis <= 0)
    throw InputError(config_.pattern_loc, "WITHIN must be a positive interval.");

  for (size_t c : config_.partition_by) output_.columns.push_back(config_.input[c]);
  for (const auto& m : config_.measures) {
    if (!m.expr) throw std::invalid_argument("MATCH_RECOGNIZE: measure " + m.name + " without an expression");
    if (output_.find(m.name)) throw InputError(m.loc, "Duplicate output column '" + m.name + "' in MEASURES.");
    // A time attribute does not survive MATCH_RECOGNIZE's MEASURES as one.
    output_.columns.push_back({m.name, m.expr->type().with_time_attr(TimeAttr::None)});
  }
  engine_.emplace(std::move(pattern), std::move(conditions), config_.skip, config_.within_millis);
}

void validate_match_order_by(const Schema& input, const std::vector<MatchOrderKey>& order_by,
                             const SourceLocation& order_by_loc) {
  if (order_by.empty())
    throw InputError(order_by_loc, "You must specify either rowtime or proctime for order by.");
  const MatchOrderKey& first = order_by.front();
  for (const auto& k : order_by)
    if (k.column >= input.size()) throw std::invalid_argument("MATCH_RECOGNIZE: order column index out of range");
  const Type& t = input[first.column].type;
  if (t.time_attr == TimeAttr::None)
    throw InputError(first.loc, "You must specify either rowtime or proctime for order by as the first one.");
  if (first.descending) throw InputError(first.loc, "Primary sort order of a streaming table must be ascending on time.");
  if (t.time_attr == TimeAttr::Proctime)
    throw InputError(first.loc,
                     "MATCH_RECOGNIZE ordered by a processing-time attribute is not supported by Ananas; order by the "
                     "rowtime attribute (the column the WATERMARK is declared on).");
}

void MatchRecognizeOperator::process(const BatchPtr& input, std::vector<BatchPtr>& /*out*/) {
  std::string key;
  for (size_t r = 0; r < input->num_rows(); ++r) {
    ++rows_in_;
    if (input->kind(r) != RowKind::Insert) {
      report_row_error(config_.on_row_error, *input, r,
                       "MATCH_RECOGNIZE accepts only inserted rows, got " + std::string(row_kind_name(input->kind(r))));
      continue;
    }
    const Value& t = input->at(r, rowtime_);
    if (t.is_null()) {
      report_row_error(config_.on_row_error, *input, r,
                       "the time attribute '" + config_.input[rowtime_].name + "' is NULL");
      continue;
    }
    const int64_t time = t.as_int();
    if (time <= watermark_) {  // late (Flink: CepOperator)
      ++late_;
      continue;
    }
    key.clear();
    for (size_t c : config_.partition_by) encode_value(input->at(r, c), key);
    auto [it, created] = partitions_.try_emplace(key);
    if (created) it->second.key_group = key_group_for(key, input->row(r));
    it->second.buffer[time].push_back({input, r});
  }
}

void MatchRecognizeOperator::on_watermark(int64_t watermark, std::vector<BatchPtr>& out) {
  if (watermark <= watermark_) return;
  watermark_ = watermark;
  auto batch = std::make_shared<Batch>(output_.size());
  for (auto it = partitions_.begin(); it != partitions_.end();) {
    fire(it->second, watermark, *batch);
    it = it->second.empty() ? partitions_.erase(it) : std::next(it);
  }
  rows_out_ += batch->num_rows();
  if (!batch->empty()) out.push_back(std::move(batch));
}

void MatchRecognizeOperator::fire(Partition& p, int64_t watermark, Batch& out) {
  std::vector<mr::PartialMatch> emitted;
  while (!p.buffer.empty() && p.buffer.begin()->first <= watermark) {
    auto node = p.buffer.extract(p.buffer.begin());
    const int64_t time = node.key();
    auto& rows = node.mapped();
    sort_ties(rows);
    for (auto& row : rows) {
      uint64_t seq = p.next_seq++;
      p.rows.push_back(std::move(row));
      emitted.clear();
      engine_->process(p.nfa, p, seq, time, emitted);
      emit(p, emitted, out);
    }
    trim(p);
  }
  emitted.clear();
  engine_->advance_time(p.nfa, watermark, emitted);
  emit(p, emitted, out);
  trim(p);
}

void MatchRecognizeOperator::emit(const Partition& p, const std::vector<mr::PartialMatch>& matches, Batch& out) {
  std::vector<const Value*> rows;
  for (const auto& m : matches) {
    rows.clear();
    for (size_t i = 0; i < m.vars.size(); ++i) rows.push_back(p.row(m.first_seq + i));
    mr::MatchContext mc{rows, m.vars, nullptr, mr::kUniversal};
    expr::EvalContext ctx;
    ctx.arena = &out.arena();
    ctx.navigation = &mc;
    std::vector<Value> cells;
    cells.reserve(output_.size());
    for (size_t c : config_.partition_by) cells.push_back(deep_copy(rows.front()[c], out.arena()));
    for (const auto& measure : config_.measures)
      cells.push_back(deep_copy(measure.expr->eval(rows.back(), ctx), out.arena()));
    out.append_row(cells.data());
  }
}

void MatchRecognizeOperator::sort_ties(std::vector<StoredRow>& rows) const {
  if (config_.order_by.size() < 2 || rows.size() < 2) return;
  auto compare = [&](const StoredRow& a, const StoredRow& b) {
    for (size_t k = 1; k < config_.order_by.size(); ++k) {
      const auto& key = config_.order_by[k];
      std::strong_ordering o = std::strong_ordering::equal;
      try {
        o = OwnedValue::from(a.cells()[key.column]) <=> OwnedValue::from(b.cells()[key.column]);
      } catch (const std::invalid_argument&) {
        continue;  // nested values have no order; keep arrival order
      }
      if (o != 0) return key.descending ? o > 0 : o < 0;
    }
    return false;
  };
  std::stable_sort(rows.begin(), rows.end(), compare);
}

void MatchRecognizeOperator::trim(Partition& p) const {
  std::optional<uint64_t> oldest = p.nfa.oldest_seq();
  uint64_t keep_from = oldest ? *oldest : p.next_seq;
  while (p.base_seq < keep_from && !p.rows.empty()) {
    p.rows.pop_front();
    ++p.base_seq;
  }
  if (p.rows.empty()) p.base_seq = p.next_seq;
}

namespace {

void save_row(StateWriter& w, const Value* cells, size_t n) {
  for (size_t c = 0; c < n; ++c) w.value(cells[c]);
}

BatchPtr load_row(StateReader& r, size_t n) {
  auto batch = std::make_shared<Batch>(n, 1);
  Value* cells = batch->append_row();
  for (size_t c = 0; c < n; ++c) cells[c] = r.value(batch->arena());
  return batch;
}

}  // namespace

// Shared: watermark and counters. Per key group: per partition its key bytes,
// buffered rows (time, cells), the row range partial matches refer to, and the NFA.
std::string MatchRecognizeOperator::state_description() const {
  std::string d = "input";
  for (const auto& c : config_.input.columns) d += ' ' + c.type.to_string();
  d += "\npartition by";
  for (size_t c : config_.partition_by) d += ' ' + std::to_string(c);
  d += "\npattern " + config_.pattern_text;
  if (config_.within_millis) d += "\nwithin " + std::to_string(*config_.within_millis);
  return d;
}

void MatchRecognizeOperator::save_shared(StateWriter& w) const {
  w.i64(watermark_);
  w.u64(late_);
  w.u64(rows_in_);
  w.u64(rows_out_);
}

void MatchRecognizeOperator::save_keyed(KeyedStateWriter& keyed) const {
  const size_t n = config_.input.size();
  for (const auto& [key, p] : partitions_) {
    StateWriter& w = keyed.entry(p.key_group, key);
    w.bytes(key);
    size_t buffered = 0;
    for (const auto& [t, rows] : p.buffer) buffered += rows.size();
    w.u64(buffered);
    for (const auto& [t, rows] : p.buffer)
      for (const auto& row : rows) {
        w.i64(t);
        save_row(w, row.cells(), n);
      }
    w.u64(p.base_seq);
    w.u64(p.next_seq);
    w.u64(p.rows.size());
    for (const auto& row : p.rows) save_row(w, row.cells(), n);
    p.nfa.save(w);
  }
}

void MatchRecognizeOperator::clear_state() {
  partitions_.clear();
  watermark_ = kMinWatermark;
  late_ = rows_in_ = rows_out_ = 0;
}

// Every instance saw the same aligned watermark at the barrier; the minimum is
// the safe choice should they ever differ.
void MatchRecognizeOperator::restore_shared(StateReader& r, bool inherit_counters) {
  const int64_t wm = r.i64();
  const uint64_t late = r.u64(), rows_in = r.u64(), rows_out = r.u64();
  take_min_watermark(watermark_, wm);
  if (!inherit_counters) return;
  late_ += late;
  rows_in_ += rows_in;
  rows_out_ += rows_out;
}

void MatchRecognizeOperator::restore_key_group(uint32_t key_group, StateReader& r) {
  const size_t n = config_.input.size();
  while (!r.at_end()) {
    auto [it, created] = partitions_.try_emplace(std::string(r.bytes()));
    if (!created) throw CorruptState("MATCH_RECOGNIZE: a partition appears twice in the snapshot");
    Partition& p = it->second;
    p.key_group = key_group;
    uint64_t buffered = r.u64();
    for (uint64_t b = 0; b < buffered; ++b) {
      int64_t t = r.i64();
      p.buffer[t].push_back({load_row(r, n), 0});
    }
    p.base_seq = r.u64();
    p.next_seq = r.u64();
    uint64_t stored = r.u64();
    if (p.next_seq < p.base_seq || p.next_seq - p.base_seq != stored) throw CorruptState("MATCH_RECOGNIZE: corrupt row range");
    for (uint64_t s = 0; s < stored; ++s) p.rows.push_back({load_row(r, n), 0});
    p.nfa = mr::NfaState::load(r, engine_->pattern().variables.size());
    for (const auto* list : {&p.nfa.partial, &p.nfa.completed})
      for (const auto& pm : *list)
        if (pm.first_seq < p.base_seq || pm.last_seq() >= p.next_seq)
          throw CorruptState("MATCH_RECOGNIZE: partial match refers to rows not in the snapshot");
  }
}

OperatorStats MatchRecognizeOperator::stats() const {
  OperatorStats s;
  s.late_records_dropped = late_;
  s.rows_in = rows_in_;
  s.rows_out = rows_out_;
  const uint64_t row_bytes = config_.input.size() * sizeof(Value);
  for (const auto& [key, p] : partitions_) {
    uint64_t rows = p.rows.size();
    for (const auto& [t, buffered] : p.buffer) rows += buffered.size();
    s.state_entries += rows + p.nfa.entries();
    s.state_bytes += key.size() + rows * row_bytes;
    for (const auto* list : {&p.nfa.partial, &p.nfa.completed})
      for (const auto& pm : *list) s.state_bytes += sizeof(pm) + pm.vars.size() * sizeof(uint16_t);
  }
  return s;
}

}  // namespace ananas::ops
