#include "operators/aggregate_set.hpp"

namespace ananas::ops {

AggregateSet::AggregateSet(std::vector<AggregateCall> calls) : calls_(std::move(calls)) {
  for (const auto& c : calls_) {
    result_types_.push_back(aggregate_result_type(c));
    arg_offsets_.push_back(total_args_);
    total_args_ += c.args.size();
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
