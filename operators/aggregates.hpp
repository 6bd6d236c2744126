#pragma once
// Aggregate functions with retraction, as Flink's *WithRetract aggregate
// functions implement them, so the same accumulators serve the changelog
// group aggregate (which retracts) and window aggregates (which never do).
//
// Result types follow Flink (Flink docs, Functions > System (Built-in) Functions > Aggregate Functions; Flink: LogicalTypeMerging): COUNT → BIGINT NOT NULL; SUM(x) → the
// type of x (integers wrap on overflow), DECIMAL(p,s) → DECIMAL(38,s); AVG of an
// integer type → that type, truncating; AVG(DECIMAL(p,s)) → DECIMAL(38, max(6,s));
// MIN/MAX → the type of x; LISTAGG → STRING; VAR_*/STDDEV_* → the type of x
// (variance_accumulator.hpp). Everything but COUNT is nullable.
#include <memory>
#include <string>
#include <vector>

#include "core/arena.hpp"
#include "core/expr/compiled_expr.hpp"
#include "core/row_codec.hpp"
#include "core/types.hpp"
#include "core/value.hpp"

namespace ananas::ops {

enum class AggregateKind { CountStar, Count, Sum, Min, Max, Avg, ListAgg, VarPop, VarSamp, StddevPop, StddevSamp };

// One aggregate call of a GROUP BY: `COUNT(*)`, `SUM(x) FILTER (WHERE p)`,
// `LISTAGG(x, '; ')`, `COUNT(DISTINCT x)`.
struct AggregateCall {
  AggregateKind kind = AggregateKind::CountStar;
  std::vector<expr::CompiledExprPtr> args;  // none for COUNT(*); LISTAGG: value [, separator]
  expr::CompiledExprPtr filter;             // FILTER (WHERE ...), or null
  bool distinct = false;
  std::string name;  // output column name
};

// Checks arity and argument types; throws std::invalid_argument with a message
// naming the call when Flink would reject it.
Type aggregate_result_type(const AggregateCall& call);

// The running state of one aggregate for one group (or window and key).
class Accumulator {
 public:
  virtual ~Accumulator() = default;
  // `args` are the evaluated arguments of the call (none for COUNT(*)).
  virtual void accumulate(const Value* args) = 0;
  virtual void retract(const Value* args) = 0;
  // Adds the state of `other`, an accumulator of the same call, as if its rows
  // had been accumulated here after this one's (Flink's AggregateFunction.merge:
  // session windows merge their accumulators when a row bridges two sessions).
  virtual void merge(const Accumulator& other) = 0;
  // The current result; memory for strings and big decimals comes from `arena`.
  virtual Value result(Arena& arena) const = 0;
  virtual void save(StateWriter& w) const = 0;
  virtual void load(StateReader& r) = 0;
  virtual size_t approx_bytes() const = 0;
  // The state packed as small as it goes, for state held in memory between
  // rows (the group aggregate keeps one byte string per group and one
  // accumulator per call that it loads each group into). Not a snapshot
  // format: snapshots use save/load. The default is save()'s bytes behind a
  // length; small accumulators pack with varints.
  virtual void pack(std::string& out) const;
  // Replaces the state with what pack() wrote at the front of `in` (advanced).
  virtual void unpack(std::string_view& in);
  // Whether pack/unpack cost O(state) per row where updates cost less (maps of
  // values): the group aggregate keeps those on the heap instead.
  virtual bool packs_cheaply() const { return true; }
};

using AccumulatorPtr = std::unique_ptr<Accumulator>;

// Creates a fresh accumulator for `call` (call aggregate_result_type first to
// validate). DISTINCT calls get a wrapper that feeds the inner accumulator only
// the first occurrence of each value.
AccumulatorPtr make_accumulator(const AggregateCall& call);

}  // namespace ananas::ops
