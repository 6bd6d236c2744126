#include <algorithm>

#include "core/expr/builders.hpp"
#include "core/expr/scope.hpp"

namespace ananas::expr {

void SchemaScope::add_qualifier(std::string qualifier, std::vector<size_t> columns) {
  qualifiers_.emplace_back(std::move(qualifier), std::move(columns));
}

CompiledExprPtr SchemaScope::resolve_in(std::span<const std::string> path, const std::vector<size_t>* allowed,
                                        const SourceLocation&) const {
  if (path.size() != 1) return nullptr;
  for (size_t i = 0; i < schema_.size(); ++i) {
    if (schema_[i].name != path[0]) continue;
    if (allowed && std::find(allowed->begin(), allowed->end(), i) == allowed->end()) continue;
    return column(i, schema_[i].type);
  }
  return nullptr;
}

CompiledExprPtr SchemaScope::resolve_column(std::span<const std::string> path, const SourceLocation& loc) const {
  if (path.empty()) return nullptr;
  if (path.size() == 1) return resolve_in(path, nullptr, loc);
  // `q.name`: only the columns registered under the qualifier. (Longer paths
  // such as `q.row.field` reach here as `q.row`; the binder applies `.field`.)
  for (const auto& [qualifier, columns] : qualifiers_)
    if (qualifier == path[0]) return resolve_in(path.subspan(1), &columns, loc);
  return nullptr;
}

std::vector<std::string> SchemaScope::column_names() const { return schema_.names(); }

}  // namespace ananas::expr
