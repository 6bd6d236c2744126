#include "pipelines/sql/relation.hpp"

#include <algorithm>

#include "pipelines/sql/ast_walk.hpp"

namespace ananas::pipeline::planner {

Schema Relation::schema() const {
  Schema s;
  for (const auto& c : columns) s.columns.push_back({c.name, c.type});
  return s;
}

std::vector<std::string> Relation::sql_names() const {
  std::vector<std::string> out;
  for (const auto& c : columns) out.push_back(c.sql_name);
  return out;
}

std::optional<size_t> Relation::find_unique(const std::string& unique_name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == unique_name) return i;
  return std::nullopt;
}

void Relation::qualify_all(const std::string& alias) {
  for (auto& c : columns)
    if (std::find(c.qualifiers.begin(), c.qualifiers.end(), alias) == c.qualifiers.end()) c.qualifiers.push_back(alias);
}

static std::string joined(const std::vector<std::string>& parts, size_t n) {
  std::string s;
  for (size_t i = 0; i < n && i < parts.size(); ++i) s += (i ? "." : "") + parts[i];
  return s;
}

std::pair<size_t, size_t> Relation::resolve(const std::vector<std::string>& parts, const SourceLocation& loc) const {
  // `q.col...` where q qualifies the column wins over `col.field...`, as in Flink.
  if (parts.size() >= 2) {
    std::vector<size_t> hits;
    for (size_t i = 0; i < columns.size(); ++i) {
      const auto& c = columns[i];
      if (c.sql_name == parts[1] && std::find(c.qualifiers.begin(), c.qualifiers.end(), parts[0]) != c.qualifiers.end())
        hits.push_back(i);
    }
    if (hits.size() == 1) return {hits[0], 2};
    if (hits.size() > 1) throw InputError(loc, "column reference '" + joined(parts, 2) + "' is ambiguous");
  }
  std::vector<size_t> hits;
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].sql_name == parts[0] && !columns[i].qualified_only) hits.push_back(i);
  if (hits.size() == 1) return {hits[0], 1};
  if (hits.size() > 1)
    throw InputError(loc, "column reference '" + parts[0] + "' is ambiguous: qualify it (it exists in more than one input)");
  // Unknown: say which part is wrong, and suggest.
  bool is_qualifier = false;
  for (const auto& c : columns)
    if (parts.size() >= 2 && std::find(c.qualifiers.begin(), c.qualifiers.end(), parts[0]) != c.qualifiers.end()) is_qualifier = true;
  if (is_qualifier) {
    std::vector<std::string> in_q;
    for (const auto& c : columns)
      if (std::find(c.qualifiers.begin(), c.qualifiers.end(), parts[0]) != c.qualifiers.end()) in_q.push_back(c.sql_name);
    std::string hint = closest_match(parts[1], in_q);
    throw InputError(loc, "column '" + parts[1] + "' not found in '" + parts[0] + "'" +
                              (hint.empty() ? "" : " (did you mean '" + parts[0] + "." + hint + "'?)"));
  }
  // `x.col` where x is neither a qualifier nor a column: the qualifier is what is wrong.
  if (parts.size() >= 2) {
    // Suggest a qualifier that has the column; failing that, the closest spelling.
    std::vector<std::string> qualifiers, holding;
    for (const auto& c : columns)
      for (const auto& q : c.qualifiers) {
        if (std::find(qualifiers.begin(), qualifiers.end(), q) == qualifiers.end()) qualifiers.push_back(q);
        if (c.sql_name == parts[1] && std::find(holding.begin(), holding.end(), q) == holding.end()) holding.push_back(q);
      }
    std::string hint = holding.size() == 1 ? holding[0] : closest_match(parts[0], holding.empty() ? qualifiers : holding);
    throw InputError(loc, "unknown table or alias '" + parts[0] + "' in '" + joined(parts, 2) + "'" +
                              (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }
  std::string hint = closest_match(parts[0], sql_names());
  throw InputError(loc, "unknown column '" + parts[0] + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

std::string unique_column_name(const std::vector<RelationColumn>& existing, const std::string& wanted) {
  auto taken = [&](const std::string& n) {
    return std::any_of(existing.begin(), existing.end(), [&](const RelationColumn& c) { return c.name == n; });
  };
  if (!taken(wanted)) return wanted;
  for (int i = 1;; ++i) {
    std::string n = wanted + "_" + std::to_string(i);
    if (!taken(n)) return n;
  }
}

namespace {

void rewrite(sql::Expr& e, const Relation& rel) {
  if (e.kind == sql::ExprKind::Identifier) {
    auto& id = e.as<sql::Identifier>();
    auto [index, used] = rel.resolve(id.parts, id.loc);
    std::vector<std::string> parts{rel.columns[index].name};
    parts.insert(parts.end(), id.parts.begin() + static_cast<long>(used), id.parts.end());
    std::vector<SourceLocation> locs{id.part_locs.empty() ? id.loc : id.part_locs[0]};
    for (size_t i = used; i < id.part_locs.size(); ++i) locs.push_back(id.part_locs[i]);
    id.parts = std::move(parts);
    id.part_locs = std::move(locs);
    return;
  }
  for_each_child(e, [&](sql::ExprPtr& child) { rewrite(*child, rel); });
}

}  // namespace

sql::ExprPtr rewrite_to_unique_names(const sql::Expr& e, const Relation& rel) {
  sql::ExprPtr copy = sql::clone(e);
  rewrite(*copy, rel);
  return copy;
}

}  // namespace ananas::pipeline::planner
