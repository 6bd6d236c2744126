#pragma once
// AST (core/sql/ast.hpp) -> CompiledExpr, through a Scope for names and the
// builders (builders.hpp) for types. All errors are InputError with the
// location of the offending node.
#include <string_view>

#include "core/diagnostic.hpp"
#include "core/expr/compiled_expr.hpp"
#include "core/expr/scope.hpp"
#include "core/schema.hpp"
#include "core/sql/ast.hpp"

namespace ananas::expr {

class Binder {
 public:
  // Binds `ast` resolving names in `scope`. A scope's bind_call may call this
  // again for arguments, with itself or another scope.
  CompiledExprPtr bind(const sql::Expr& ast, const Scope& scope) const;
  // Binds a call as a scalar function, skipping Scope::bind_call (for a scope
  // that only wanted to look at the call first).
  CompiledExprPtr bind_scalar_call(const sql::Call& call, const Scope& scope) const;
};

// Convenience: Binder().bind(ast, scope).
CompiledExprPtr bind(const sql::Expr& ast, const Scope& scope);

// parse_expression + bind over the columns of `input`. `where` is where the
// text starts in its file, so errors point into that file.
CompiledExprPtr compile_expression(std::string_view sql_text, const Schema& input, const SourceLocation& where = {});

}  // namespace ananas::expr
