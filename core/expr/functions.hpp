#pragma once
// Internal: the scalar function table. Each family (string, math, time,
// conditional) contributes its definitions; function_call() looks names up
// case-insensitively and checks the arity before calling `build`.
#include <span>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/expr/compiled_expr.hpp"

namespace ananas::expr::detail {

using Args = std::vector<CompiledExprPtr>;

struct FunctionDef {
  const char* name;  // upper case
  int min_args;
  int max_args;  // -1 = any number
  CompiledExprPtr (*build)(Args& args, const SourceLocation& loc);
};

std::span<const FunctionDef> string_functions();
std::span<const FunctionDef> math_functions();
std::span<const FunctionDef> time_functions();
std::span<const FunctionDef> conditional_functions();
std::span<const FunctionDef> regex_functions();

// Argument checks with messages naming the function and the argument position.
void require_character(const Args& args, size_t i, const char* fn, const SourceLocation& loc);
void require_numeric(const Args& args, size_t i, const char* fn, const SourceLocation& loc);
void require_integer(const Args& args, size_t i, const char* fn, const SourceLocation& loc);
void require_temporal(const Args& args, size_t i, const char* fn, const SourceLocation& loc);

// Nullable if any argument is.
bool nullable_args(const Args& args);

}  // namespace ananas::expr::detail
