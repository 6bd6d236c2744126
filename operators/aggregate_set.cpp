#include "operators/aggregate_set.hpp"

#include <cstring>

namespace ananas::ops {

AggregateSet::AggregateSet(std::vector<AggregateCall> calls) : calls_(std::move(calls)) {
  for (const auto& c : calls_) {
    result_types_.push_back(aggregate_result_type(c));
    arg_offsets_.push_back(total_args_);
    total_args_ += c.args.size();
  }
  for (const auto& c : calls_) {
    AccumulatorPtr fresh = make_accumulator(c);
    on_heap_.push_back(fresh->packs_cheaply() ? 0 : 1);
    heap_calls_ = heap_calls_ || on_heap_.back();
    if (on_heap_.back()) fresh_.append(sizeof(Accumulator*), '\0');
    else fresh->pack(fresh_);
  }
}

std::vector<Column> AggregateSet::result_columns() const {
  std::vector<Column> cols;
  for (size_t i = 0; i < calls_.size(); ++i) cols.push_back({calls_[i].name, result_types_[i]});
  return cols;
}

void AggregateSet::evaluate(const Value* row, expr::EvalContext& ctx, RowInputs& out) const {
  out.args.resize(total_args_);
  out.admitted.resize(calls_.size());
  for (size_t i = 0; i < calls_.size(); ++i) {
    const auto& c = calls_[i];
    bool admitted = !c.filter || expr::is_true(c.filter->eval(row, ctx));
    out.admitted[i] = admitted;
    // A refused call's arguments are NULL, not the last row's: rows kept in state encode them.
    for (size_t a = 0; a < c.args.size(); ++a) out.args[arg_offsets_[i] + a] = admitted ? c.args[a]->eval(row, ctx) : Value::null();
  }
}

std::vector<AccumulatorPtr> AggregateSet::create() const {
  std::vector<AccumulatorPtr> accs;
  accs.reserve(calls_.size());
  for (const auto& c : calls_) accs.push_back(make_accumulator(c));
  return accs;
}

void AggregateSet::apply(std::vector<AccumulatorPtr>& accs, const RowInputs& in, bool accumulate) const {
  for (size_t i = 0; i < calls_.size(); ++i) {
    if (!in.admitted[i]) continue;
    const Value* args = in.args.data() + arg_offsets_[i];
    if (accumulate) accs[i]->accumulate(args);
    else accs[i]->retract(args);
  }
}

void AggregateSet::merge(std::vector<AccumulatorPtr>& accs, const std::vector<AccumulatorPtr>& other) const {
  for (size_t i = 0; i < calls_.size(); ++i) accs[i]->merge(*other[i]);
}

void AggregateSet::results(const std::vector<AccumulatorPtr>& accs, Arena& arena, Value* out) const {
  for (size_t i = 0; i < calls_.size(); ++i) out[i] = accs[i]->result(arena);
}

void AggregateSet::save(const std::vector<AccumulatorPtr>& accs, StateWriter& w) const {
  for (const auto& acc : accs) acc->save(w);
}

std::vector<AccumulatorPtr> AggregateSet::load(StateReader& r) const {
  std::vector<AccumulatorPtr> accs = create();
  for (auto& acc : accs) acc->load(r);
  return accs;
}

size_t AggregateSet::approx_bytes(const std::vector<AccumulatorPtr>& accs) const {
  size_t n = 0;
  for (const auto& acc : accs) n += acc->approx_bytes();
  return n;
}

namespace {

Accumulator* read_pointer(std::string_view& in) {
  if (in.size() < sizeof(Accumulator*)) throw CorruptState("corrupt packed state: accumulator pointer missing");
  Accumulator* p;
  std::memcpy(&p, in.data(), sizeof p);
  in.remove_prefix(sizeof p);
  return p;
}

void write_pointer(std::string& out, const Accumulator* p) {
  out.append(reinterpret_cast<const char*>(&p), sizeof p);
}

}  // namespace

AggregateSet::Working AggregateSet::working() const {
  Working w;
  w.scratch.resize(calls_.size());
  w.accs.resize(calls_.size());
  for (size_t i = 0; i < calls_.size(); ++i)
    if (!on_heap_[i]) w.scratch[i] = make_accumulator(calls_[i]);
  return w;
}

void AggregateSet::start(Working& w) const {
  std::string_view in = fresh_;
  unpack(in, w);
  for (size_t i = 0; i < calls_.size(); ++i)
    if (on_heap_[i]) w.accs[i] = make_accumulator(calls_[i]).release();
}

void AggregateSet::unpack(std::string_view& in, Working& w) const {
  for (size_t i = 0; i < calls_.size(); ++i) {
    if (on_heap_[i]) {
      w.accs[i] = read_pointer(in);
    } else {
      w.scratch[i]->unpack(in);
      w.accs[i] = w.scratch[i].get();
    }
  }
}

void AggregateSet::pack(const Working& w, std::string& out) const {
  for (size_t i = 0; i < calls_.size(); ++i) {
    if (on_heap_[i]) write_pointer(out, w.accs[i]);
    else w.accs[i]->pack(out);
  }
}

void AggregateSet::free_packed(std::string_view in) const {
  if (!heap_calls_) return;
  Working w = working();
  unpack(in, w);
  for (size_t i = 0; i < calls_.size(); ++i)
    if (on_heap_[i]) delete w.accs[i];
}

void AggregateSet::apply(Working& w, const RowInputs& in, bool accumulate) const {
  for (size_t i = 0; i < calls_.size(); ++i) {
    if (!in.admitted[i]) continue;
    const Value* args = in.args.data() + arg_offsets_[i];
    if (accumulate) w.accs[i]->accumulate(args);
    else w.accs[i]->retract(args);
  }
}

void AggregateSet::results(const Working& w, Arena& arena, Value* out) const {
  for (size_t i = 0; i < calls_.size(); ++i) out[i] = w.accs[i]->result(arena);
}

void AggregateSet::save(const Working& w, StateWriter& out) const {
  for (const Accumulator* acc : w.accs) acc->save(out);
}

void AggregateSet::load_packed(StateReader& r, std::string& out) const {
  std::vector<AccumulatorPtr> accs = load(r);
  for (size_t i = 0; i < calls_.size(); ++i) {
    if (on_heap_[i]) write_pointer(out, accs[i].release());
    else accs[i]->pack(out);
  }
}

size_t AggregateSet::approx_heap_bytes(std::string_view packed) const {
  if (!heap_calls_) return 0;
  Working w = working();
  unpack(packed, w);
  size_t n = 0;
  for (size_t i = 0; i < calls_.size(); ++i)
    if (on_heap_[i]) n += w.accs[i]->approx_bytes();
  return n;
}

std::string AggregateSet::layout() const {
  std::string d = "aggregates";
  for (const auto& c : calls_) {
    d += " " + std::to_string(static_cast<int>(c.kind)) + (c.distinct ? "d(" : "(");
    for (const auto& a : c.args) d += a->type().to_string() + ",";
    d += ")";
  }
  return d;
}

}  // namespace ananas::ops
