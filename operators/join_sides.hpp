#pragma once
// What every join operator is configured with (regular, interval, window and
// temporal joins): the two inputs, the join type, the equi-join key columns
// and the rest of the ON condition. Each join's config adds its own fields
// (time bounds, window bounds, the AS OF time) to these.
#include <string>
#include <string_view>
#include <vector>

#include "core/expr/compiled_expr.hpp"
#include "core/schema.hpp"
#include "operators/row_error.hpp"

namespace ananas::ops {

// Semi and Anti (the left rows with / without a match, once each) are window joins only.
enum class JoinType { Inner, Left, Right, Full, Semi, Anti };
std::string_view join_type_name(JoinType t);  // "inner", "left", "right", "full", "semi", "anti"

struct JoinSides {
  Schema left, right;                         // input 0 and input 1
  JoinType type = JoinType::Inner;
  std::vector<size_t> left_keys, right_keys;  // equi-join columns, pairwise
  expr::CompiledExprPtr condition;            // over the joined row (left ++ right); null: the keys alone
  RowErrorHandler on_row_error;               // unset: a failing row throws RowFailure
};

// The part of a join's state description (Operator::state_description) that
// every join shares: `head`, then both inputs' column types and the key
// pairs. A change in any of them makes a snapshot unrestorable.
std::string describe_sides(const std::string& head, const JoinSides& sides);

}  // namespace ananas::ops
