#pragma once
// Translates one query (the SELECT of an INSERT, with its CTEs) into pipeline
// operators, the way Flink's planner would lay out the job:
//   FROM t CROSS JOIN UNNEST(a)      -> unnest
//   WHERE / SELECT                   -> calc (filter + projection)
//   GROUP BY ... (+ HAVING)          -> [calc(where)] -> group_aggregate -> calc(having, select)
//   SELECT DISTINCT ...              -> ... -> group_aggregate (keyed by every column, no aggregates)
//   TABLE(TUMBLE(...)) + GROUP BY window_start, window_end
//                                    -> [calc(where)] -> window_aggregate -> calc(having, select)
//   (HOP, CUMULATE, SESSION and GROUP BY TUMBLE/HOP/SESSION(...) likewise)
//   ... MATCH_RECOGNIZE (...)        -> match_recognize
// Names are resolved here with precise locations ("unknown column 'toping'
// (did you mean 'topping'?)"); expression types are checked when the
// pipeline is built from the model.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/sql/ast.hpp"
#include "pipelines/model.hpp"
#include "pipelines/sql/catalog.hpp"
#include "pipelines/sql/grouping_functions.hpp"
#include "pipelines/sql/relation.hpp"

namespace ananas::pipeline::planner {

class QueryPlanner {
 public:
  // `views`: the CREATE VIEWs declared before the INSERT, by name; a FROM that
  // names one plans its query there (Flink inlines a view's query the same way).
  QueryPlanner(Pipeline& pipeline, const Catalog& catalog, Warnings& warnings,
               std::map<std::string, const sql::CommonTableExpr*> views = {})
      : pipeline_(pipeline), catalog_(catalog), warnings_(warnings), views_(std::move(views)) {}

  Relation plan_query(const sql::Query& q);
  // Turns a pending window TVF into a `window` operator (used when the TVF's
  // rows are consumed by something other than a window aggregation).
  Relation materialize_window(Relation rel);
  // A fresh operator name based on `base` (unnest_pizzas, unnest_pizzas_1, ...).
  std::string node_name(const std::string& base);
  Operator& add_operator(const std::string& base, const std::string& input, OperatorBody body, const SourceLocation& loc);
  // Adds a calc, fused into its input when that is a calc nobody else reads and
  // the fusion only renames columns (Flink merges adjacent Calcs the same way);
  // returns the name of the node that now produces the calc's output.
  std::string add_calc(const std::string& base, const std::string& input, Calc calc, const SourceLocation& loc);

 private:
  Relation plan_query_node(const sql::QueryNode& n);
  Relation plan_select(const sql::Select& s);
  // FROM a [INNER|LEFT|RIGHT|FULL] JOIN b ON ... between tables, and
  // FROM a, b WHERE ... with `on` the WHERE (join_planner.cpp); an inner join
  // whose condition bounds the two sides' rowtimes is an interval join.
  Relation plan_regular_join(const sql::Join& j, const sql::Expr* on = nullptr);
  // The WHERE of the SELECT being planned whose FROM is `a, b`: the comma
  // join's condition (Flink pushes it into the join).
  const sql::Expr* comma_where_ = nullptr;
  // The versioned side of the temporal join being planned: the one table
  // reference FOR SYSTEM_TIME AS OF may stand on.
  const sql::TableRef* versioned_side_ = nullptr;
  // The primary key columns of the versioned side `j.right` (a table with a
  // PRIMARY KEY and a watermark), or Flink's error at the join.
  std::vector<std::string> versioned_table_key(const sql::Join& j, const Relation& right);
  // The columns `j`'s USING names, as (index in left, index in right), or Calcite's error.
  std::vector<std::pair<size_t, size_t>> using_key_pairs(const sql::Join& j, const Relation& left, const Relation& right);
  // UNION ALL / UNION / INTERSECT [ALL] / EXCEPT [ALL] of the branches (set_operation_planner.cpp).
  Relation plan_set_operation(const sql::SetOperation& s);
  // Adds branch b's input to the set operation, under the given column names
  // with the given (name, expression) columns appended.
  using BranchInput = std::function<void(size_t b, const std::vector<std::string>& names,
                                         const std::vector<std::pair<std::string, std::string>>& extra)>;
  // INTERSECT / EXCEPT: a SEMI / ANTI join on every column, then DISTINCT; `out` is the result's columns.
  Relation plan_semi_anti_set(const sql::SetOperation& s, Relation out, const BranchInput& branch_input,
                              const std::vector<std::string>& inputs);
  // INTERSECT ALL / EXCEPT ALL: each row's copies counted per side, then replicated.
  Relation plan_counted_set(const sql::SetOperation& s, Relation out, const BranchInput& branch_input,
                            const std::vector<std::string>& inputs);
  // The SELECT without its DISTINCT; `distinct_grouped` when it did the DISTINCT
  // itself (over a window TVF: a window aggregation grouped by the selected columns).
  Relation plan_select_rows(const sql::Select& s, bool& distinct_grouped);
  // SELECT DISTINCT a, window_start, window_end over a window TVF as the same
  // SELECT with GROUP BY a, window_start, window_end (Flink's window aggregation).
  std::unique_ptr<sql::Select> distinct_as_window_grouping(const sql::Select& s, const Relation& rel);
  // SELECT DISTINCT: a group_aggregate keyed by every column of `rel`, without aggregates.
  Relation plan_distinct(Relation rel, const SourceLocation& loc);
  Relation plan_from(const sql::FromItem& f);
  Relation plan_table(const std::vector<std::string>& name, const SourceLocation& loc);
  // `left_outer`: LEFT JOIN UNNEST(...) ON TRUE keeps rows whose collection is empty or NULL.
  Relation plan_unnest(Relation left, const sql::Unnest& u, bool left_outer = false);
  // A WITH query or a view, planned once however often it is read.
  Relation plan_named_query(const sql::CommonTableExpr& named);
  // GROUP BY keys as columns of `rel`. Expressions that are not plain columns
  // (`UPPER(name)`, a ROW field) are computed by a calc before the aggregation,
  // as Calcite projects them (`$f<i>`); `computed` pairs each with its column.
  struct GroupKeys {
    std::vector<size_t> indexes;
    std::vector<std::pair<const sql::Expr*, std::string>> computed;
  };
  GroupKeys group_keys(const sql::Select& s, Relation& rel);
  // Also fills `ids` (the grouping columns, the sets, the id column) for GROUPING() / GROUPING_ID().
  std::vector<size_t> expand_grouping_sets(const sql::Select& s, const GroupKeys& group, Relation& rel,
                                           GroupingSetsIds& ids);
  Relation plan_window_tvf(const sql::WindowTvf& w);
  // The window TVF `w` over `input`: its three window columns appended, pending until a GROUP BY uses them.
  Relation apply_window(Relation input, const sql::WindowTvf& w);
  // A window aggregation over a SESSION TVF: refuses keys other than its PARTITION BY columns.
  void check_session_partition(const sql::WindowTvf& w, const Relation& rel, const std::vector<std::string>& keys,
                               const sql::Select& s);
  // GROUP BY TUMBLE(ts, size) / HOP(ts, slide, size) / SESSION(ts, gap): the same window as the TVF.
  Relation apply_group_window(Relation rel, const sql::Call& call);
  Relation plan_match_recognize(const sql::MatchRecognize& m);
  Relation plan_projection(const sql::Select& s, Relation rel);
  Relation plan_aggregation(const sql::Select& s, Relation rel);
  // agg(...) OVER (...) in the SELECT list (over_planner.cpp): [calc(where)] -> over_aggregate -> calc(select).
  Relation plan_over(const sql::Select& s, Relation rel);
  // SELECT ... FROM (SELECT ..., ROW_NUMBER() OVER (PARTITION BY k ORDER BY ...) AS rownum FROM t)
  // WHERE rownum <= N [AND ...] (rank_planner.cpp): a deduplicate node (rownum = 1 on a time attribute,
  // rownum not selected) or a top_n node; null when `s` is not that form.
  std::optional<Relation> plan_rank(const sql::Select& s);
  // SELECT ... FROM <windowed L> WHERE L.x [NOT] IN (SELECT ... FROM <windowed R> WHERE <window equalities> ...)
  // or [NOT] EXISTS (...) (semi_join_planner.cpp): a window SEMI / ANTI join; null when WHERE has no subquery.
  std::optional<Relation> plan_semi_anti(const sql::Select& s);

  Pipeline& pipeline_;
  const Catalog& catalog_;
  Warnings& warnings_;
  std::vector<std::map<std::string, const sql::CommonTableExpr*>> cte_scopes_;
  std::map<const sql::CommonTableExpr*, Relation> planned_ctes_;
  std::map<std::string, Relation> planned_sources_;
  std::map<std::string, const sql::CommonTableExpr*> views_;
  std::vector<std::unique_ptr<sql::Select>> grouped_distincts_;   // the GROUP BYs such a DISTINCT stands for
  std::vector<std::unique_ptr<sql::WindowTvf>> legacy_windows_;  // the TVFs GROUP BY TUMBLE(...) stands for
};

// Whether a SELECT item of `s` calls an aggregate OVER a window.
bool contains_over(const sql::Select& s);

// A day-time INTERVAL literal as a model Duration (`INTERVAL '5' SECOND` -> 5s).
Duration duration_from_interval(const sql::Expr& e, const char* what);
// The same for a signed interval (window offsets may be negative or zero).
int64_t signed_interval_millis(const sql::Expr& e, const char* what);
// Milliseconds as the shortest exact duration text (5000 -> "5s", 90000 -> "90s").
Duration duration_from_millis(int64_t millis, const SourceLocation& loc);

}  // namespace ananas::pipeline::planner
