// ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) filtered on the row number
// (Flink docs, Queries > Deduplication and Queries > Top-N), planned as Flink's
// FlinkLogicalRankRule and StreamPhysicalDeduplicateRule decide:
//  - the rank range comes from the WHERE conjuncts that compare the row number
//    with integers (rownum <= N, < N, = N, >= M, > M, BETWEEN M AND N); the
//    other conjuncts filter the ranked rows;
//  - range 1..1, ordered by one time attribute, row number not selected: a
//    deduplicate node (keep first / keep last);
//  - otherwise a top_n node, with the row number as a column when the outer
//    query selects it (Flink's "no ranking output optimization" when not);
//  - PARTITION BY window_start, window_end [, k]: a window Top-N (a top_n node
//    with `window`), which emits each window's top once when it fires; with
//    rownum = 1 on a time attribute, Flink's window deduplication.
#include <algorithm>

#include "pipelines/operator_kinds/deduplicate/deduplicate.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/operator_kinds/registry.hpp"
#include "pipelines/operator_kinds/top_n/top_n.hpp"
#include "pipelines/sql/ast_walk.hpp"
#include "pipelines/sql/planner_helpers.hpp"
#include "pipelines/sql/query_planner.hpp"

namespace ananas::pipeline::planner {

namespace {

bool is_rownum_call(const sql::Expr& e) {
  return e.kind == sql::ExprKind::Call && e.as<sql::Call>().over && upper(e.as<sql::Call>().name) == "ROW_NUMBER" &&
         e.as<sql::Call>().args.empty();
}

bool names(const sql::Expr& e, const std::string& column) {
  return e.kind == sql::ExprKind::Identifier && e.as<sql::Identifier>().parts.size() == 1 &&
         e.as<sql::Identifier>().parts[0] == column;
}

bool mentions(const sql::Expr& e, const std::string& column) {
  if (names(e, column)) return true;
  bool found = false;
  for_each_child(e, [&](const sql::Expr& c) { found = found || mentions(c, column); });
  return found;
}

std::optional<int64_t> integer_literal(const sql::Expr& e) {
  if (e.kind != sql::ExprKind::Literal || e.as<sql::Literal>().literal_kind != sql::LiteralKind::Integer ||
      e.as<sql::Literal>().text.size() > 18)
    return std::nullopt;
  return std::stoll(e.as<sql::Literal>().text);
}

struct RankRange {
  int64_t start = 1;
  std::optional<int64_t> end;
  void at_most(int64_t n) { end = end ? std::min(*end, n) : n; }
  void at_least(int64_t n) { start = std::max(start, n); }
};

// Narrows `range` by one comparison of the row number `rn` with an integer; false when `e` is not one.
bool narrow(const sql::Expr& e, const std::string& rn, RankRange& range) {
  if (e.kind == sql::ExprKind::Between) {
    const auto& b = e.as<sql::Between>();
    auto low = integer_literal(*b.low), high = integer_literal(*b.high);
    if (b.negated || b.symmetric || !names(*b.operand, rn) || !low || !high) return false;
    range.at_least(*low);
    range.at_most(*high);
    return true;
  }
  if (e.kind != sql::ExprKind::Binary) return false;
  const auto& b = e.as<sql::Binary>();
  sql::BinaryOp op = b.op;
  std::optional<int64_t> n;
  if (names(*b.left, rn)) n = integer_literal(*b.right);
  else if (names(*b.right, rn)) {
    n = integer_literal(*b.left);
    switch (op) {  // N op rn  ==  rn op' N
      case sql::BinaryOp::Less: op = sql::BinaryOp::Greater; break;
      case sql::BinaryOp::LessEqual: op = sql::BinaryOp::GreaterEqual; break;
      case sql::BinaryOp::Greater: op = sql::BinaryOp::Less; break;
      case sql::BinaryOp::GreaterEqual: op = sql::BinaryOp::LessEqual; break;
      default: break;
    }
  }
  if (!n) return false;
  switch (op) {
    case sql::BinaryOp::Equal: range.at_least(*n); range.at_most(*n); return true;
    case sql::BinaryOp::Less: range.at_most(*n - 1); return true;
    case sql::BinaryOp::LessEqual: range.at_most(*n); return true;
    case sql::BinaryOp::Greater: range.at_least(*n + 1); return true;
    case sql::BinaryOp::GreaterEqual: range.at_least(*n); return true;
    default: return false;
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : ", ") + i;
  return s;
}

}  // namespace

namespace {

// ROW_NUMBER() partitioned by a processing-time window TVF's window_start and
// window_end is Flink's window deduplication (row number 1 only, ordered by
// the time attribute alone, the number not selected: RankUtil.canConvertToDeduplicate)
// or window Top-N, and Flink refuses both on processing time with its own
// message (StreamExecWindowDeduplicate, StreamExecWindowRank); partitioned
// otherwise, the TVF's rows are materialized and refused as such.
void refuse_processing_time_window_rank(const sql::OverSpec& over, const sql::Select& inner, const RankRange& range,
                                        bool rank_selected, const std::string& time_column) {
  const sql::OverSpec window = resolved_window(over, inner);
  auto names = [](const sql::Expr& e, const std::string& name) {
    return e.kind == sql::ExprKind::Identifier && e.as<sql::Identifier>().parts.back() == name;
  };
  auto partitioned_by = [&](const std::string& name) {
    return std::any_of(window.partition_by.begin(), window.partition_by.end(), [&](const auto& p) { return names(*p, name); });
  };
  if (!partitioned_by("window_start") || !partitioned_by("window_end")) return;
  const bool dedup = range.start == 1 && range.end && *range.end == 1 && !rank_selected && window.order_by.size() == 1 &&
                     names(*window.order_by[0].expr, time_column);
  throw InputError(window.loc, dedup ? "Processing time Window Deduplication is not supported yet."
                                     : "Processing time Window TopN is not supported yet.");
}

}  // namespace

std::optional<Relation> QueryPlanner::plan_rank(const sql::Select& s) {
  if (!s.from || s.from->kind != sql::FromKind::Subquery || !s.where || !s.group_by.empty()) return std::nullopt;
  const sql::Query& q = *s.from->as<sql::SubqueryRef>().query;
  if (!q.ctes.empty() || q.body->kind != sql::QueryNodeKind::Select) return std::nullopt;
  const sql::Select& inner = q.body->as<sql::Select>();
  const sql::SelectItem* rownum = nullptr;
  for (const auto& item : inner.items)
    if (is_rownum_call(*item.expr)) rownum = &item;
  if (!rownum || !rownum->alias || !mentions(*s.where, *rownum->alias)) return std::nullopt;
  const std::string& rn = *rownum->alias;
  // 1. The rank range, and the conditions left for after the ranking.
  std::vector<const sql::Expr*> parts;
  conjuncts(*s.where, parts);
  RankRange range;
  sql::ExprPtr rest;
  for (const sql::Expr* c : parts) {
    if (narrow(*c, rn, range)) continue;
    if (mentions(*c, rn))
      throw InputError(c->loc, "this condition on " + rn + " is not translated: the row number can only be compared with "
                                    "integers (" + rn + " <= N, " + rn + " < N, " + rn + " = N, " + rn + " >= M, BETWEEN M AND N) "
                                    "in conditions joined with AND");
    if (!rest) {
      rest = sql::clone(*c);
      continue;
    }
    auto both = std::make_unique<sql::Binary>(c->loc);
    both->op = sql::BinaryOp::And;
    both->left = std::move(rest);
    both->right = sql::clone(*c);
    rest = std::move(both);
  }
  if (!range.end)
    throw InputError(s.where->loc, "Rank end is not specified. Currently rank only support TopN, which means the rank end must be specified.");
  if (*range.end < range.start)
    throw InputError(s.where->loc, "the conditions on " + rn + " leave no rank: " + std::to_string(range.start) + " to " +
                                       std::to_string(*range.end));
  bool rank_selected = false;
  for (const auto& item : s.items)
    rank_selected = rank_selected || mentions(*item.expr, rn) || item.expr->kind == sql::ExprKind::Star;
  if (!inner.from || !inner.group_by.empty() || inner.having || inner.distinct) return std::nullopt;
  // 2. The inner query without its row number: FROM, WHERE and projection, as written.
  Relation rel = plan_from(*inner.from);
  // A window TVF's DESCRIPTOR column stays orderable as event time for window deduplication (Flink
  // docs, Queries > Window Deduplication: ORDER BY bidtime DESC after TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), ...)).
  const std::optional<std::string> tvf_time_column = rel.window ? std::optional<std::string>(rel.window->time_column) : std::nullopt;
  if (rel.window && rel.window->processing_time)
    refuse_processing_time_window_rank(*rownum->expr->as<sql::Call>().over, inner, range, rank_selected, *tvf_time_column);
  if (rel.window) rel = materialize_window(std::move(rel));
  sql::Select proj(inner.loc);
  for (const auto& item : inner.items)
    if (&item != rownum) proj.items.push_back({sql::clone(*item.expr), item.alias, item.alias_loc});
  if (inner.where) proj.where = sql::clone(*inner.where);
  for (const auto& item : proj.items)
    if (has_over(*item.expr)) throw InputError(item.expr->loc, "OVER aggregations next to ROW_NUMBER() are not supported");
  // The outer query over the ranked rows: its projection and what is left of its WHERE.
  auto outer_query = [&](Relation out) {
    if (s.from->alias) out.qualify_all(*s.from->alias);
    sql::Select outer(s.loc);
    for (const auto& item : s.items) outer.items.push_back({sql::clone(*item.expr), item.alias, item.alias_loc});
    if (rest) outer.where = std::move(rest);
    return plan_projection(outer, std::move(out));
  };
  // 3. The window: PARTITION BY columns, ORDER BY columns.
  const sql::OverSpec window = resolved_window(*rownum->expr->as<sql::Call>().over, inner);
  if (window.has_frame) throw InputError(window.frame_loc, "ROW_NUMBER() takes no ROWS or RANGE frame");
  if (window.order_by.empty())
    throw InputError(window.loc, "ROW_NUMBER() needs an ORDER BY in its OVER window (the order rows are ranked in)");
  auto column_of = [&](const Relation& r, const sql::Expr& e, const char* what) {
    if (e.kind != sql::ExprKind::Identifier)
      throw InputError(e.loc, std::string(what) + " of ROW_NUMBER() accepts columns only; compute the expression in a subquery");
    auto [index, used] = r.resolve(e.as<sql::Identifier>().parts, e.loc);
    if (used != e.as<sql::Identifier>().parts.size())
      throw InputError(e.loc, std::string(what) + " of ROW_NUMBER() accepts columns only; compute the expression in a subquery");
    return index;
  };
  Relation projected = plan_projection(proj, rel);  // resolved against the inner SELECT's output
  // Window Top-N (Flink docs, Queries > Window Top-N): PARTITION BY window_start and window_end, the
  // window bounds a window TVF or window aggregation adds (recognized by their names and types).
  std::optional<TopNWindow> window_bounds;
  std::vector<std::string> partition_columns;
  {
    std::optional<std::string> ws, we;
    for (const auto& p : window.partition_by) {
      const RelationColumn& c = projected.columns[column_of(projected, *p, "PARTITION BY")];
      if (c.sql_name == "window_start" && c.type.is_timestamp() && !ws) ws = c.name;
      else if (c.sql_name == "window_end" && c.type.is_timestamp() && !we) we = c.name;
      else partition_columns.push_back(c.name);
    }
    if (ws && we) window_bounds = TopNWindow{*ws, *we};
    // Flink's StreamExecWindowRank: the windows of a processing-time window aggregation never see a watermark.
    if (window_bounds && projected.window_properties && projected.window_properties->processing_time)
      throw InputError(window.loc, "Processing time Window TopN is not supported yet.");
    else {
      partition_columns.clear();
      for (const auto& p : window.partition_by) partition_columns.push_back(projected.columns[column_of(projected, *p, "PARTITION BY")].name);
    }
  }
  const bool dedup = range.start == 1 && *range.end == 1 && !rank_selected && window.order_by.size() == 1 && !window_bounds;
  {
    const size_t o = column_of(projected, *window.order_by[0].expr, "ORDER BY");
    if (dedup && projected.columns[o].type.time_attr != TimeAttr::None) {
      rel = std::move(projected);
      if (rel.changelog == Changelog::Updating)
        throw InputError(inner.from->loc, *Deduplicate::kind().refuse_updating_input("", rel.update_producer));
      Deduplicate body;
      body.order_by = rel.columns[o].name;
      body.order_by_location = window.order_by[0].expr->loc;
      body.processing_time = rel.columns[o].type.time_attr == TimeAttr::Proctime;
      body.keep_last = window.order_by[0].descending;
      body.partition_by = partition_columns;
      const std::string description = "Deduplicate(keep=[" + std::string(body.keep_last ? "LastRow" : "FirstRow") + "], key=[" +
                                      joined(body.partition_by) + "], order=[" + (body.processing_time ? "PROCTIME" : "ROWTIME") + "])";
      const std::vector<std::string> keys = body.partition_by;
      const Operator& op = add_operator("deduplicate", rel.node, std::move(body), s.loc);
      Relation out = rel;
      out.node = op.name;
      out.changelog = kind_of(op).emits_updates_for(op.body, false) ? Changelog::Updating : Changelog::InsertOnly;
      out.upsert_key.clear();
      if (out.changelog == Changelog::Updating) {
        out.upsert_key = keys;
        out.update_producer = description;
      }
      return outer_query(std::move(out));
    }
    rel = std::move(projected);
  }
  // 4. Top-N.
  if (rel.changelog == Changelog::Updating)
    throw InputError(inner.from->loc, *TopN::kind().refuse_updating_input("", rel.update_producer));
  TopN body;
  body.rank_start = range.start;
  body.rank_end = *range.end;
  body.order_by_location = window.order_by[0].expr->loc;
  std::vector<std::string> order_text;
  for (size_t i = 0; i < window.order_by.size(); ++i) {
    const sql::OrderItem& item = window.order_by[i];
    const size_t c = column_of(rel, *item.expr, "ORDER BY");
    const Type& t = rel.columns[c].type;
    if (t.time_attr == TimeAttr::Proctime) {
      if (window.order_by.size() != 1 || item.descending)
        throw InputError(item.expr->loc, "a Top-N orders by a processing-time attribute only alone and ascending (the first rows "
                                         "to arrive); ordering by the latest arrivals is not supported yet");
      body.processing_time = true;
    }
    if (t.id == TypeId::Array || t.id == TypeId::Map || t.id == TypeId::Row)
      throw InputError(item.expr->loc, "a Top-N cannot order by '" + rel.columns[c].sql_name + "' of type " + t.to_string());
    TopNKey k;
    k.column = rel.columns[c].name;
    k.descending = item.descending;
    if (item.nulls != sql::NullsOrder::Default) k.nulls_first = item.nulls == sql::NullsOrder::First;
    k.location = item.expr->loc;
    order_text.push_back(k.column + (k.descending ? " DESC" : " ASC"));
    body.order_by.push_back(std::move(k));
  }
  body.partition_by = partition_columns;
  body.window = window_bounds;
  // Window deduplication (Flink docs, Queries > Window Deduplication): keep the last row on event time
  // replaces on an equal time, so the later of equal times wins.
  if (body.window && body.rank_start == 1 && body.rank_end == 1 && !rank_selected && body.order_by.size() == 1 &&
      body.order_by[0].descending &&
      (rel.columns[*rel.find_unique(body.order_by[0].column)].type.time_attr == TimeAttr::Rowtime || body.order_by[0].column == tvf_time_column))
    body.later_ties_first = true;
  if (body.window && body.processing_time)
    throw InputError(body.order_by_location, "a window Top-N cannot order by a processing-time attribute; order by columns or the event time");
  Relation out;
  out.columns = rel.columns;
  for (auto& c : out.columns) c.type.time_attr = TimeAttr::None;  // ranked rows are no longer in time order
  if (body.window) out.window_properties = rel.window_properties;  // a window Top-N's rows keep their windows
  if (rank_selected) {
    RelationColumn c = derived_column(out.columns, rn, Type::bigint().with_nullable(false));
    body.rank_column = c.name;
    out.columns.push_back(std::move(c));
  }
  const bool top1 = body.rank_start == 1 && body.rank_end == 1;
  std::vector<std::string> upsert_key;
  if (body.rank_column || top1) {
    upsert_key = body.partition_by;
    if (body.rank_column) upsert_key.push_back(*body.rank_column);
  }
  std::vector<std::string> partition_text = body.partition_by;
  if (body.window) partition_text.insert(partition_text.begin(), {body.window->start, body.window->end});
  const std::string description =
      "Rank(strategy=[AppendFastStrategy], rankType=[ROW_NUMBER], rankRange=[rankStart=" + std::to_string(body.rank_start) +
      ", rankEnd=" + std::to_string(body.rank_end) + "], partitionBy=[" + joined(partition_text) + "], orderBy=[" +
      joined(order_text) + "])";
  const Operator& op = add_operator("top_n", rel.node, std::move(body), s.loc);
  out.node = op.name;
  out.changelog = kind_of(op).emits_updates_for(op.body, false) ? Changelog::Updating : Changelog::InsertOnly;
  if (out.changelog == Changelog::Updating) {
    out.upsert_key = upsert_key;
    out.update_producer = description;
  }
  return outer_query(std::move(out));
}

}  // namespace ananas::pipeline::planner
