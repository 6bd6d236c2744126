#pragma once
// What the planner knows about an intermediate result while it translates a
// query: the model node that produces it, its columns (unique names, as the
// pipeline YAML refers to them), and for each column the SQL name and the
// qualifiers (table aliases) it can be referenced by. Resolving `c.topping`
// or `b.additionalToppings` against a Relation gives the unique column name.
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/schema.hpp"
#include "core/sql/ast.hpp"

namespace ananas::pipeline::planner {

struct RelationColumn {
  std::string name;       // unique within the relation; what the YAML expressions use
  std::string sql_name;   // the name SQL refers to it by
  std::vector<std::string> qualifiers;  // aliases it may be qualified with
  Type type;
  // Reachable only through a qualifier, and left out of `*`: the two sides'
  // copies of a JOIN ... USING column (the unqualified name is their
  // COALESCE, as Calcite expands it), or, with no qualifiers at all, a join
  // key cast to the other side's type that only the join reads.
  bool qualified_only = false;
};

enum class Changelog { InsertOnly, Updating };

struct PendingWindow {
  const sql::WindowTvf* tvf = nullptr;  // TABLE(TUMBLE(...)) not yet turned into a node
  std::string time_column;              // resolved unique name of the DESCRIPTOR column
  bool processing_time = false;         // the DESCRIPTOR column is a PROCTIME() attribute
};

// Flink's window properties (RelWindowProperties): the columns holding the
// bounds of a window TVF's windows, set by the TVF and a window aggregation
// and kept by projections that select both columns. A join of two relations
// with window properties whose ON equates their window_start and their
// window_end is a window join (join_planner.cpp).
struct WindowProperties {
  std::string start, end;  // unique column names
  std::string spec;        // the window as Flink summarises it, "TUMBLE(size=[5 min])"
  bool processing_time = false;  // windows of a processing-time window aggregation
};

struct Relation {
  std::string node;  // name of the source/operator producing it
  std::vector<RelationColumn> columns;
  Changelog changelog = Changelog::InsertOnly;
  std::vector<std::string> upsert_key;  // for updating relations: unique column names
  // For updating relations: the node that produces the updates, described as
  // Flink's plan would (`GroupAggregate(groupBy=[id], select=[id, COUNT(*) AS nr])`),
  // because Flink's "doesn't support consuming update changes" message names it.
  std::string update_producer;
  std::optional<PendingWindow> window;  // set right after a window TVF in FROM
  std::optional<WindowProperties> window_properties;

  Schema schema() const;
  std::vector<std::string> sql_names() const;
  // Index of the column an identifier chain refers to, and how many parts of
  // the chain that consumed (the rest are ROW field accesses). Throws
  // InputError for unknown or ambiguous names, with a "did you mean".
  std::pair<size_t, size_t> resolve(const std::vector<std::string>& parts, const SourceLocation& loc) const;
  std::optional<size_t> find_unique(const std::string& unique_name) const;
  // Adds `alias` as a qualifier of every column (FROM t AS alias, a CTE name).
  void qualify_all(const std::string& alias);
};

// A unique name for a new column: `wanted` if free in `rel`, else wanted_1, wanted_2, ...
std::string unique_column_name(const std::vector<RelationColumn>& existing, const std::string& wanted);

// A copy of `e` where every column reference is rewritten to the unique name of
// the column it resolves to in `rel` (qualifiers dropped, ROW field accesses kept).
sql::ExprPtr rewrite_to_unique_names(const sql::Expr& e, const Relation& rel);

}  // namespace ananas::pipeline::planner
