#pragma once
// STDDEV_POP, STDDEV_SAMP, VAR_POP and VAR_SAMP as Flink 1.x computes them.
// Calcite's AggregateReduceFunctionsRule (in Flink's logical rule sets) rewrites
// them before they run:
//   VAR_POP(x)     -> (SUM(x * x) - SUM(x) * SUM(x) / COUNT(x)) / COUNT(x)
//   VAR_SAMP(x)    -> (...) / CASE COUNT(x) WHEN 1 THEN NULL ELSE COUNT(x) - 1 END
//   STDDEV_*(x)    -> POWER(VAR_*(x), 0.5)
// then CAST to the result type, which is the argument's type (Flink:
// LogicalTypeMerging.findAvgAggType). Every step uses the argument type's
// arithmetic: integer types wrap as Java's int/long and divide truncating (so
// STDDEV_POP of INTs is an INT), FLOAT stays float. The accumulator therefore
// keeps the three retractable aggregates Flink runs: SUM(x * x), SUM(x), COUNT(x).
// Flink 2.x replaced the rewrite with Welford's algorithm; Ananas follows 1.19/1.20.
#include "core/types.hpp"
#include "operators/aggregates.hpp"

namespace ananas::ops {

// `sample`: *_SAMP (n - 1 in the denominator, NULL for one value); `root`: STDDEV_*.
// `arg` must be TINYINT, SMALLINT, INT, BIGINT, FLOAT or DOUBLE.
AccumulatorPtr make_variance_accumulator(bool sample, bool root, const Type& arg);

}  // namespace ananas::ops
