#pragma once
// Typed constructors for compiled expressions. Each one type-checks its
// operands with Flink's rules (Flink docs, Functions > System (Built-in) Functions; Flink: LogicalTypeMerging), picks a node specialised for the
// operand types, and throws InputError(location, message) when the types do
// not fit (`cannot compare VARCHAR with INT`). The binder calls these while
// walking the AST; operators and the MATCH_RECOGNIZE scope may call them
// directly to build expressions that have no SQL text.
//
// Implicit widening (INT -> BIGINT -> DECIMAL -> DOUBLE, DATE -> TIMESTAMP) is
// inserted by the builders, never by callers.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/expr/compiled_expr.hpp"
#include "core/types.hpp"
#include "core/value.hpp"

namespace ananas::expr {

// ------------------------------------------------------------ leaves

// A constant. Strings, big decimals and nested values are copied into the node.
CompiledExprPtr literal(const Value& v, const Type& type);
// 'text' typed CHAR(n) NOT NULL like a SQL string literal (n = code points).
CompiledExprPtr string_literal(std::string_view text);
// NULL of a given type (an untyped NULL literal is Type::null_type()).
CompiledExprPtr null_literal(const Type& type = Type::null_type());
// Input column `index` of the row handed to eval().
CompiledExprPtr column(size_t index, const Type& type);
// `base.field` on a ROW-typed expression (NULL if the row is NULL).
CompiledExprPtr field_access(CompiledExprPtr base, std::string_view field, const SourceLocation& loc);
// array[index] (1-based, NULL when out of range) and map[key].
CompiledExprPtr subscript(CompiledExprPtr base, CompiledExprPtr index, const SourceLocation& loc);

// ARRAY[a, b], ROW(a, b) (fields named EXPR$0.. unless `names` is given), MAP[k1, v1, ...].
CompiledExprPtr array_constructor(std::vector<CompiledExprPtr> elements, const SourceLocation& loc);
CompiledExprPtr row_constructor(std::vector<CompiledExprPtr> fields, std::vector<std::string> names,
                                const SourceLocation& loc);
CompiledExprPtr map_constructor(std::vector<CompiledExprPtr> keys_and_values, const SourceLocation& loc);

// ------------------------------------------------------------ operators

enum class ArithOp { Add, Subtract, Multiply, Divide, Modulo };
CompiledExprPtr arithmetic(ArithOp op, CompiledExprPtr left, CompiledExprPtr right, const SourceLocation& loc);
CompiledExprPtr negate(CompiledExprPtr operand, const SourceLocation& loc);

enum class CompareOp { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, IsDistinctFrom, IsNotDistinctFrom };
CompiledExprPtr compare(CompareOp op, CompiledExprPtr left, CompiledExprPtr right, const SourceLocation& loc);

// Three-valued logic (Flink docs, System (Built-in) Functions > Logical Functions); operands must be BOOLEAN (or untyped NULL).
CompiledExprPtr logical_and(CompiledExprPtr left, CompiledExprPtr right, const SourceLocation& loc);
CompiledExprPtr logical_or(CompiledExprPtr left, CompiledExprPtr right, const SourceLocation& loc);
CompiledExprPtr logical_not(CompiledExprPtr operand, const SourceLocation& loc);

enum class IsTest { Null, NotNull, True, NotTrue, False, NotFalse, Unknown, NotUnknown };
// Never NULL.
CompiledExprPtr is_test(IsTest test, CompiledExprPtr operand, const SourceLocation& loc);

// x [NOT] IN (a, b, ...) ≡ x = a OR x = b ... (Flink docs, System (Built-in) Functions > Comparison Functions > IN).
CompiledExprPtr in_list(CompiledExprPtr operand, std::vector<CompiledExprPtr> list, bool negated,
                        const SourceLocation& loc);
CompiledExprPtr between(CompiledExprPtr operand, CompiledExprPtr low, CompiledExprPtr high, bool negated,
                        bool symmetric, const SourceLocation& loc);
// `%` and `_` match code points; `escape` may be null.
CompiledExprPtr like(CompiledExprPtr operand, CompiledExprPtr pattern, CompiledExprPtr escape, bool negated,
                     const SourceLocation& loc);

struct WhenThen {
  CompiledExprPtr when;  // BOOLEAN
  CompiledExprPtr then;
};
// Searched CASE; `otherwise` may be null (ELSE NULL). Result type = common type of the branches.
CompiledExprPtr case_when(std::vector<WhenThen> branches, CompiledExprPtr otherwise, const SourceLocation& loc);

// CAST / TRY_CAST. TRY_CAST returns NULL where CAST raises EvalError.
CompiledExprPtr cast(CompiledExprPtr operand, const Type& target, bool try_cast, const SourceLocation& loc);
// `||` on character strings.
CompiledExprPtr concat(CompiledExprPtr left, CompiledExprPtr right, const SourceLocation& loc);

// ------------------------------------------------------------ functions

// Scalar functions by name (case-insensitive): UPPER, SUBSTRING, COALESCE,
// ROUND, DATE_FORMAT, ... Unknown names throw with a "did you mean"; a wrong
// number of arguments throws naming the expected arity.
CompiledExprPtr function_call(std::string_view name, std::vector<CompiledExprPtr> args, const SourceLocation& loc);
// Whether `name` is a scalar function function_call() knows.
bool is_scalar_function(std::string_view name);
// Whether `name` is an aggregate function (COUNT, SUM, ...), which a scope must handle.
bool is_aggregate_function(std::string_view name);

// Calls whose first or middle argument is a keyword (a Symbol in the AST).
enum class TimeUnitArg { Year, Quarter, Month, Week, Day, Hour, Minute, Second, Millisecond, Microsecond, Nanosecond };
// EXTRACT(unit FROM temporal) -> BIGINT.
CompiledExprPtr extract(TimeUnitArg unit, CompiledExprPtr operand, const SourceLocation& loc);
// TIMESTAMPADD(unit, count, ts) and TIMESTAMPDIFF(unit, a, b) (INT result, b - a in whole units).
CompiledExprPtr timestamp_add(TimeUnitArg unit, CompiledExprPtr count, CompiledExprPtr ts, const SourceLocation& loc);
CompiledExprPtr timestamp_diff(TimeUnitArg unit, CompiledExprPtr from, CompiledExprPtr to, const SourceLocation& loc);
// FLOOR(ts TO unit) / CEIL(ts TO unit).
CompiledExprPtr floor_ceil_time(bool ceil, CompiledExprPtr ts, TimeUnitArg unit, const SourceLocation& loc);
enum class TrimMode { Both, Leading, Trailing };
CompiledExprPtr trim(TrimMode mode, CompiledExprPtr characters, CompiledExprPtr operand, const SourceLocation& loc);

// ------------------------------------------------------------ type rules

// The type both sides are widened to for comparison, CASE, COALESCE, IN
// (nullopt when there is none, e.g. VARCHAR and INT).
std::optional<Type> common_type(const Type& a, const Type& b);
// Flink's short name of a type family in messages: INT, VARCHAR, DECIMAL, TIMESTAMP.
std::string type_family_name(const Type& t);

}  // namespace ananas::expr
