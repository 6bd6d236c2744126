#pragma once
// Name resolution for the binder. A Scope answers "what is `c.topping`?" and
// may take over whole function calls: MATCH_RECOGNIZE's scope handles
// FIRST/LAST/PREV/NEXT and aggregates over pattern variables, the SQL planner's
// scope handles aggregates in SELECT/HAVING. Everything else is bound as a
// scalar expression by the Binder.
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/expr/compiled_expr.hpp"
#include "core/schema.hpp"
#include "core/sql/ast.hpp"

namespace ananas::expr {

class Binder;

class Scope {
 public:
  virtual ~Scope() = default;
  // `path` is the identifier chain as written ({"topping"}, {"c", "topping"},
  // {"NR_UP", "nr_orders"}); nullptr if the name is unknown here.
  virtual CompiledExprPtr resolve_column(std::span<const std::string> path, const SourceLocation& loc) const = 0;
  // The names offered in "did you mean" suggestions.
  virtual std::vector<std::string> column_names() const = 0;
  // Called first for every function call; non-null means the scope bound it.
  virtual CompiledExprPtr bind_call(const sql::Call& /*call*/, const Binder& /*binder*/) const { return nullptr; }
};

// The columns of one input schema, by exact case-sensitive name. Qualifiers
// (`c.topping`) are registered with add_qualifier; a ROW column's fields are
// reachable as `row.field` (and `q.row.field`).
class SchemaScope : public Scope {
 public:
  explicit SchemaScope(Schema schema) : schema_(std::move(schema)) {}
  // `qualifier.name` resolves to the column called `name` among `columns`.
  void add_qualifier(std::string qualifier, std::vector<size_t> columns);

  CompiledExprPtr resolve_column(std::span<const std::string> path, const SourceLocation& loc) const override;
  std::vector<std::string> column_names() const override;
  const Schema& schema() const { return schema_; }

 private:
  CompiledExprPtr resolve_in(std::span<const std::string> path, const std::vector<size_t>* allowed,
                             const SourceLocation& loc) const;

  Schema schema_;
  std::vector<std::pair<std::string, std::vector<size_t>>> qualifiers_;
};

}  // namespace ananas::expr
