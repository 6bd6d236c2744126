// OVER aggregations (Flink docs, Queries > Over Aggregation) as Flink's
// planner lays them out: the SELECT's WHERE as a calc, one OverAggregate node
// computing every OVER call (they must share one window), then a calc for the
// SELECT list, where each OVER call reads its result column. The checks and
// their messages are Flink's (StreamExecOverAggregate, OverAggregateUtil and
// the docs' "Range Definitions").
#include <functional>

#include "core/sql/printer.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/operator_kinds/registry.hpp"
#include "pipelines/operator_kinds/over_aggregate/over_aggregate.hpp"
#include "pipelines/sql/aggregate_calls.hpp"
#include "pipelines/sql/ast_walk.hpp"
#include "pipelines/sql/planner_helpers.hpp"
#include "pipelines/sql/query_planner.hpp"

namespace ananas::pipeline::planner {

namespace {

bool is_over_call(const sql::Expr& e) { return e.kind == sql::ExprKind::Call && e.as<sql::Call>().over; }

}  // namespace

bool has_over(const sql::Expr& e) {
  if (is_over_call(e)) return true;
  bool found = false;
  for_each_child(e, [&](const sql::Expr& c) { found = found || has_over(c); });
  return found;
}

namespace {

void find_over_calls(const sql::Expr& e, std::vector<const sql::Call*>& out) {
  if (is_over_call(e)) {
    out.push_back(&e.as<sql::Call>());
    return;
  }
  for_each_child(e, [&](const sql::Expr& c) { find_over_calls(c, out); });
}

}  // namespace

sql::OverSpec resolved_window(const sql::OverSpec& spec, const sql::Select& s) {
  sql::OverSpec out;
  out.loc = spec.loc;
  const sql::OverSpec* base = nullptr;
  if (!spec.reference.empty()) {
    for (const auto& w : s.windows)
      if (w.name == spec.reference) base = w.spec.get();
    if (!base) throw InputError(spec.reference_loc, "window '" + spec.reference + "' is not defined in a WINDOW clause");
  }
  auto copy_from = [&](const sql::OverSpec& from) {
    for (const auto& p : from.partition_by) out.partition_by.push_back(sql::clone(*p));
    for (const auto& o : from.order_by) {
      sql::OrderItem item;
      item.expr = sql::clone(*o.expr);
      item.descending = o.descending;
      item.direction_written = o.direction_written;
      item.nulls = o.nulls;
      out.order_by.push_back(std::move(item));
    }
    if (!from.order_by.empty()) out.order_by_loc = from.order_by_loc;
    if (from.has_frame) {
      out.has_frame = true;
      out.unit = from.unit;
      out.frame_loc = from.frame_loc;
      out.lower = {from.lower.kind, from.lower.offset ? sql::clone(*from.lower.offset) : nullptr, from.lower.loc};
      out.upper = {from.upper.kind, from.upper.offset ? sql::clone(*from.upper.offset) : nullptr, from.upper.loc};
    }
  };
  if (base) copy_from(*base);
  // OVER (w ORDER BY ...) adds to w what w leaves out (Calcite's window refinement).
  if (out.partition_by.empty() && out.order_by.empty() && !out.has_frame) copy_from(spec);
  else if (!spec.partition_by.empty() || !spec.order_by.empty() || spec.has_frame) {
    if (out.order_by.empty() && !spec.order_by.empty()) {
      for (const auto& o : spec.order_by) {
        sql::OrderItem item;
        item.expr = sql::clone(*o.expr);
        item.descending = o.descending;
        item.nulls = o.nulls;
        out.order_by.push_back(std::move(item));
      }
      out.order_by_loc = spec.order_by_loc;
    }
    if (!out.has_frame && spec.has_frame) {
      out.has_frame = true;
      out.unit = spec.unit;
      out.frame_loc = spec.frame_loc;
      out.lower = {spec.lower.kind, spec.lower.offset ? sql::clone(*spec.lower.offset) : nullptr, spec.lower.loc};
      out.upper = {spec.upper.kind, spec.upper.offset ? sql::clone(*spec.upper.offset) : nullptr, spec.upper.loc};
    }
  }
  return out;
}

namespace {

// A copy of `e` whose OVER calls read their result columns.
sql::ExprPtr replace_over_calls(const sql::Expr& e, const std::vector<const sql::Call*>& calls,
                                const std::vector<std::string>& columns) {
  sql::ExprPtr copy = sql::clone(e);
  std::function<void(sql::ExprPtr&)> walk = [&](sql::ExprPtr& p) {
    if (is_over_call(*p)) {
      for (size_t i = 0; i < calls.size(); ++i)
        if (sql::equal(*p, *calls[i])) {
          auto id = std::make_unique<sql::Identifier>(p->loc);
          id->parts = {columns[i]};
          id->part_locs = {p->loc};
          p = std::move(id);
          return;
        }
    }
    for_each_child(*p, walk);
  };
  walk(copy);
  return copy;
}

}  // namespace

bool contains_over(const sql::Select& s) {
  for (const auto& item : s.items)
    if (has_over(*item.expr)) return true;
  return false;
}

Relation QueryPlanner::plan_over(const sql::Select& s, Relation rel) {
  if (rel.window) rel = materialize_window(std::move(rel));
  if (s.where && has_over(*s.where)) throw InputError(s.where->loc, "OVER aggregations are not allowed in WHERE");
  if (!s.group_by.empty() || s.having)
    throw InputError(s.group_by.empty() ? s.having->loc : s.group_by_loc,
                     "OVER aggregations together with GROUP BY or HAVING are not supported: aggregate in a subquery first");
  for (const auto& item : s.items)
    if (contains_aggregate(*item.expr)) {
      for (const sql::Call* c : aggregate_calls(*item.expr))
        if (!c->over) throw InputError(c->loc, "column aggregates and OVER aggregates cannot be mixed in one SELECT; use GROUP BY in a subquery");
    }
  if (rel.changelog == Changelog::Updating)
    throw InputError(s.from->loc, *OverAggregate::kind().refuse_updating_input("", rel.update_producer));
  // 1. WHERE runs first, on the input rows.
  if (s.where) {
    Calc calc;
    calc.where = model_expr(*rewrite_to_unique_names(*s.where, rel));
    rel.node = add_calc("filter", rel.node, std::move(calc), s.where->loc);
  }
  // 2. The OVER calls, each computed once, and their one window.
  std::vector<const sql::Call*> calls;
  for (const auto& item : s.items) {
    std::vector<const sql::Call*> found;
    find_over_calls(*item.expr, found);
    for (const sql::Call* c : found) {
      bool seen = false;
      for (const sql::Call* earlier : calls) seen = seen || sql::equal(*earlier, *c);
      if (!seen) calls.push_back(c);
    }
  }
  const sql::OverSpec window = resolved_window(*calls[0]->over, s);
  for (size_t i = 1; i < calls.size(); ++i) {
    const sql::OverSpec other = resolved_window(*calls[i]->over, s);
    if (!sql::equal_over(&window, &other))
      throw InputError(calls[i]->over->loc,
                       "Over Agg: Unsupported use of OVER windows. All aggregates must be computed on the same window.");
  }
  OverAggregate body;
  // ORDER BY: one event-time attribute, ascending.
  if (window.order_by.empty())
    throw InputError(window.loc, "OVER windows' ordering in stream mode must be defined on a time attribute.");
  if (window.order_by.size() > 1)
    throw InputError(window.order_by[1].expr->loc, "The window can only be ordered by a single time column.");
  const sql::OrderItem& order = window.order_by[0];
  if (order.expr->kind != sql::ExprKind::Identifier)
    throw InputError(order.expr->loc, "OVER windows' ordering in stream mode must be defined on a time attribute.");
  {
    auto [index, used] = rel.resolve(order.expr->as<sql::Identifier>().parts, order.expr->loc);
    const Type& t = rel.columns[index].type;
    if (used != order.expr->as<sql::Identifier>().parts.size() || t.time_attr == TimeAttr::None)
      throw InputError(order.expr->loc, "OVER windows' ordering in stream mode must be defined on a time attribute.");
    if (t.time_attr != TimeAttr::Rowtime)
      throw InputError(order.expr->loc, "processing-time OVER windows are not supported; order by the event-time (WATERMARK) column");
    if (order.descending) throw InputError(order.expr->loc, "The window can only be ordered in ASCENDING mode.");
    body.order_by = rel.columns[index].name;
    body.order_by_location = order.expr->loc;
  }
  for (const auto& p : window.partition_by) {
    if (p->kind != sql::ExprKind::Identifier)
      throw InputError(p->loc, "PARTITION BY of an OVER window accepts columns only; compute the expression in a subquery");
    auto [index, used] = rel.resolve(p->as<sql::Identifier>().parts, p->loc);
    if (used != p->as<sql::Identifier>().parts.size())
      throw InputError(p->loc, "PARTITION BY of an OVER window accepts columns only; compute the expression in a subquery");
    body.partition_by.push_back(rel.columns[index].name);
  }
  // The frame: Calcite's default with ORDER BY is RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
  body.frame.location = window.has_frame ? window.frame_loc : window.loc;
  if (window.has_frame) {
    body.frame.unit = window.unit == sql::FrameUnit::Rows ? OverFrameUnit::Rows : OverFrameUnit::Range;
    if (window.upper.kind != sql::FrameBoundKind::CurrentRow)
      throw InputError(window.upper.loc, "Flink only supports CURRENT ROW as the upper boundary of an OVER window.");
    switch (window.lower.kind) {
      case sql::FrameBoundKind::UnboundedPreceding: break;
      case sql::FrameBoundKind::CurrentRow:
        if (body.frame.unit == OverFrameUnit::Rows) body.frame.rows = 0;
        else body.frame.range = duration_from_millis(0, window.lower.loc);
        break;
      case sql::FrameBoundKind::Preceding: {
        const sql::Expr& off = *window.lower.offset;
        if (body.frame.unit == OverFrameUnit::Rows) {
          if (off.kind != sql::ExprKind::Literal || off.as<sql::Literal>().literal_kind != sql::LiteralKind::Integer ||
              off.as<sql::Literal>().text.size() > 18)
            throw InputError(off.loc, "ROWS PRECEDING needs a number of rows (ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)");
          body.frame.rows = std::stoll(off.as<sql::Literal>().text);
        } else {
          if (off.kind != sql::ExprKind::Literal || off.as<sql::Literal>().literal_kind != sql::LiteralKind::Interval)
            throw InputError(off.loc, "RANGE PRECEDING over a time attribute needs an INTERVAL (RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)");
          const int64_t ms = signed_interval_millis(off, "OVER range");
          if (ms < 0) throw InputError(off.loc, "the RANGE PRECEDING interval must not be negative");
          body.frame.range = duration_from_millis(ms, off.loc);
        }
        break;
      }
      default:
        throw InputError(window.lower.loc, "Flink only supports CURRENT ROW as the upper boundary of an OVER window.");
    }
  } else {
    body.frame.unit = OverFrameUnit::Range;
  }
  // 3. The aggregate calls, named after their alias (else Flink's w0$o<i>).
  Relation over;
  over.columns = rel.columns;
  over.changelog = Changelog::InsertOnly;
  std::vector<std::string> result_columns;
  for (size_t i = 0; i < calls.size(); ++i) {
    const sql::Call& call = *calls[i];
    const std::string name = upper(call.name);
    if (name == "ROW_NUMBER")
      throw InputError(call.loc, "ROW_NUMBER() OVER is translated for deduplication and Top-N only: SELECT ... FROM (SELECT ..., "
                                 "ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) AS rownum FROM t) WHERE rownum <= N");
    if (!is_supported_aggregate(name))
      throw InputError(call.loc, name + " is not supported as an OVER aggregate; use COUNT, SUM, MIN, MAX, AVG, LISTAGG, VAR_POP, "
                                        "VAR_SAMP, STDDEV_POP or STDDEV_SAMP");
    AggregateList one;
    sql::Call plain(call.loc);  // the call without its window, checked as a GROUP BY aggregate is
    plain.name = call.name;
    plain.distinct = call.distinct;
    plain.star_arg = call.star_arg;
    for (const auto& a : call.args) plain.args.push_back(sql::clone(*a));
    if (call.filter) plain.filter = sql::clone(*call.filter);
    collect_aggregates(plain, one);
    std::string wanted = "w0$o" + std::to_string(i);
    for (const auto& item : s.items)
      if (item.alias && sql::equal(*item.expr, call)) wanted = *item.alias;
    Aggregate a;
    a.function = name;
    a.distinct = call.distinct;
    a.location = call.loc;
    for (const auto& arg : call.args) a.args.push_back(model_expr(*rewrite_to_unique_names(*arg, rel)));
    if (call.filter) a.filter = model_expr(*rewrite_to_unique_names(*call.filter, rel));
    const Type arg_type = call.args.empty() ? Type::null_type() : static_type(rel, *call.args[0]);
    if (arg_type.id == TypeId::Decimal && (name.rfind("VAR", 0) == 0 || name.rfind("STDDEV", 0) == 0))
      throw InputError(call.loc, name + " over DECIMAL is not supported yet; CAST the argument to DOUBLE");
    RelationColumn c = derived_column(over.columns, wanted, aggregate_result_type(name, arg_type));
    c.sql_name = c.name;  // read by its unique name below
    a.name = c.name;
    result_columns.push_back(c.name);
    over.columns.push_back(std::move(c));
    body.aggregates.push_back(std::move(a));
  }
  const Operator& op = add_operator("over_aggregate", rel.node, std::move(body), s.loc);
  over.node = op.name;
  // 4. The SELECT list over the input columns and the results.
  Calc calc;
  calc.select.emplace();
  Relation out;
  out.changelog = Changelog::InsertOnly;
  for (size_t i = 0; i < s.items.size(); ++i) {
    const auto& item = s.items[i];
    if (item.expr->kind == sql::ExprKind::Star) {
      sql::Select star(s.loc);
      star.items.push_back({sql::clone(*item.expr), std::nullopt, {}});
      for (auto& [col, expr] : select_list(star, rel, out.columns)) calc.select->push_back({col.name, expr, expr.location});
      continue;
    }
    sql::ExprPtr replaced = replace_over_calls(*item.expr, calls, result_columns);
    sql::ExprPtr e = rewrite_to_unique_names(*replaced, over);
    Type t = Type::null_type();
    if (e->kind == sql::ExprKind::Identifier && e->as<sql::Identifier>().parts.size() == 1)
      if (auto idx = over.find_unique(e->as<sql::Identifier>().parts[0])) t = over.columns[*idx].type;
    if (e->kind == sql::ExprKind::Cast) t = e->as<sql::Cast>().target;
    RelationColumn c = derived_column(out.columns, item_name(item, i), t);
    calc.select->push_back({c.name, model_expr(*e), item.expr->loc});
    out.columns.push_back(std::move(c));
  }
  out.node = add_calc("project", over.node, std::move(calc), s.loc);
  return out;
}

}  // namespace ananas::pipeline::planner
