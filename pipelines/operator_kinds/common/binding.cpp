#include "pipelines/operator_kinds/common/binding.hpp"

#include "core/expr/binder.hpp"
#include "core/expr/builders.hpp"

namespace ananas::pipeline {

size_t column_index(const Schema& schema, const std::string& name, const SourceLocation& loc, const std::string& what) {
  if (auto i = schema.find(name)) return *i;
  std::string hint = closest_match(name, schema.names());
  throw InputError(loc, what + " '" + name + "' is not a column of the input " + schema.to_string() +
                            (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

expr::CompiledExprPtr compile(const Expr& e, const Schema& input) { return expr::compile_expression(e.text, input, e.location); }

ops::NamedExpr column_expr(const Schema& input, const std::string& name, const SourceLocation& loc, const std::string& what) {
  size_t i = column_index(input, name, loc, what);
  return {name, expr::column(i, input[i].type)};
}

}  // namespace ananas::pipeline
