#pragma once
// What the accumulator tests share: a one-argument call, the result after
// adds and retracts, and the save/load round trip every accumulator must pass.
#include <string>
#include <vector>

#include "operators/aggregates.hpp"
#include "operator_test_helpers.hpp"

namespace optest {

inline ananas::ops::AggregateCall call(ananas::ops::AggregateKind kind, Type arg_type, bool distinct = false) {
  ananas::ops::AggregateCall c;
  c.kind = kind;
  c.distinct = distinct;
  if (kind != ananas::ops::AggregateKind::CountStar)
    c.args.push_back(std::make_shared<ColumnExpr>(0, std::move(arg_type)));
  return c;
}

// The result text after accumulating `adds`, then retracting `retracts`.
inline std::string after(const ananas::ops::AggregateCall& c, std::vector<Value> adds, std::vector<Value> retracts = {}) {
  auto acc = ananas::ops::make_accumulator(c);
  for (auto& v : adds) acc->accumulate(&v);
  for (auto& v : retracts) acc->retract(&v);
  Arena arena;
  return show(acc->result(arena));
}

inline Value I(int64_t v) { return Value::integer(v); }
inline Value S(const char* v) { return Value::string(v); }

// Accumulates `values`, saves, loads into a fresh accumulator, then retracts
// the first value from both: the two results (the test compares them), and
// whether the load read the saved bytes exactly.
struct RoundTrip {
  bool read_all = false;
  std::string original, restored;
};
inline RoundTrip save_load_retract(const ananas::ops::AggregateCall& c, std::vector<Value> values) {
  auto acc = ananas::ops::make_accumulator(c);
  for (auto& v : values) acc->accumulate(&v);
  StateWriter w;
  acc->save(w);
  auto copy = ananas::ops::make_accumulator(c);
  StateReader r(w.data());
  copy->load(r);
  RoundTrip out;
  out.read_all = r.at_end();
  copy->retract(&values[0]);
  acc->retract(&values[0]);
  Arena arena;
  out.original = show(acc->result(arena));
  out.restored = show(copy->result(arena));
  return out;
}

}  // namespace optest
