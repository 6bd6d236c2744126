#pragma once
// The compiled forms of MATCH_RECOGNIZE's navigation: what a MATCH_RECOGNIZE
// binder scope returns for `V.col`, `col`, `LAST(V.col, n)`, `FIRST(V.col, n)`,
// `PREV(col, n)` (already rewritten to LAST; Flink docs, Pattern Recognition > Pattern Navigation) and aggregates over one
// variable's rows (Flink docs, Pattern Recognition > Aggregations). They read the rows through the
// MatchContext in `EvalContext::navigation`; `inner` is the per-row
// expression (usually a column reference) evaluated on the chosen row(s).
#include <cstddef>
#include <string>

#include "core/expr/compiled_expr.hpp"
#include "operators/match_recognize/match_context.hpp"

namespace ananas::ops::mr {

// A column of the row being evaluated.
expr::CompiledExprPtr make_column(size_t column, Type type);

// `inner` evaluated on element `offset` of `var`'s list, counted from the end
// (LAST; `V.col` is LAST(V.col, 0)) or from the start (FIRST). NULL when the
// list is too short. `var` may be kUniversal.
expr::CompiledExprPtr make_last(int var, size_t offset, expr::CompiledExprPtr inner);
expr::CompiledExprPtr make_first(int var, size_t offset, expr::CompiledExprPtr inner);

enum class MatchAggregate { Count, Sum, Avg, Min, Max, ListAgg };

// An aggregate over `var`'s list (kUniversal = all rows). `inner` may be null
// only for COUNT(*). LISTAGG joins with `separator`, skipping NULLs.
// Throws std::invalid_argument for an argument type the aggregate does not take.
expr::CompiledExprPtr make_aggregate(MatchAggregate kind, int var, expr::CompiledExprPtr inner,
                                     std::string separator = ",");

}  // namespace ananas::ops::mr
