// Regular joins between tables (Flink docs, Queries > Joins > Regular Joins):
// `FROM a [INNER | LEFT | RIGHT | FULL] JOIN b ON ...`, planned as Flink's
// StreamExecJoin is:
//  - the ON condition's conjuncts that equate a column of each side are the
//    join key (Flink's equi-join keys); what is left of it is checked on each
//    joined pair (Flink's non-equi condition); with no such equality the
//    join is refused, as Flink only runs equi-joins in streaming here;
//  - keys of different types with a common one are compared in it: the side
//    whose key is of another type gets it cast in a calc before the join
//    (Flink's JoinConditionTypeCoerceRule and JoinPushExpressionsRule);
//  - `USING (c, ...)` is the key pairs l.c = r.c, and a calc after the join
//    gives the unqualified c as COALESCE(l.c, r.c), first in `*` (Calcite);
//  - the output is the left columns then the right ones; a right column
//    whose name the left side has already is renamed with a digit, as
//    Calcite uniquifies it (id, id0);
//  - time attributes become plain timestamps (a regular join's output is
//    not ordered in time, Flink docs);
//  - an outer join, or a join fed updates, produces an updating changelog;
//  - a join (or `FROM a, b WHERE ...`) of insert-only inputs whose
//    condition bounds a rowtime of each side from below and above
//    (`l.t BETWEEN r.t - INTERVAL '4' HOUR AND r.t`, `l.t >= r.t - ... AND
//    l.t < r.t + ...`) is an interval join (Flink docs, Queries > Joins >
//    Interval Joins; the bounds are found as Flink's
//    IntervalJoinUtil.extractWindowBounds does): its output is insert-only
//    and keeps both sides' time attributes;
//  - `JOIN versioned FOR SYSTEM_TIME AS OF left.rowtime ON ...` (INNER or
//    LEFT) is an event-time temporal join (Flink docs, Queries > Joins >
//    Event Time Temporal Join): the versioned side is a table with a PRIMARY
//    KEY and a watermark, its key must be among the equi-join keys, the AS OF
//    time is the left side's rowtime; the output is insert-only and keeps the
//    left rowtime as its time attribute.
//  - a join of two relations with window properties (window TVFs, window
//    aggregations or window Top-Ns: Relation::window_properties) whose ON
//    equates both their window_start and their window_end is a window join
//    (Flink docs, Queries > Window JOIN; WindowJoinUtil): the two window
//    equalities leave the keys (the operator matches rows within one window),
//    the windows must be the same on both sides, the inputs insert-only; its
//    output is insert-only, outer joins included, and keeps the time
//    attributes. One of the two equalities alone is refused, as Flink does.
#include <algorithm>

#include "core/expr/builders.hpp"
#include "core/sql/printer.hpp"
#include "pipelines/operator_kinds/calc/calc.hpp"
#include "pipelines/operator_kinds/join/join.hpp"
#include "pipelines/sql/planner_helpers.hpp"
#include "pipelines/sql/query_planner.hpp"

namespace ananas::pipeline::planner {

std::string uniquified(const std::vector<RelationColumn>& taken, const std::string& name) {
  auto used = [&](const std::string& n) {
    return std::any_of(taken.begin(), taken.end(), [&](const RelationColumn& c) { return c.name == n; });
  };
  if (!used(name)) return name;
  for (int i = 0;; ++i)
    if (!used(name + std::to_string(i))) return name + std::to_string(i);
}

namespace {

const char* flink_join_type(sql::JoinKind k) {
  switch (k) {
    case sql::JoinKind::Left: return "LeftOuterJoin";
    case sql::JoinKind::Right: return "RightOuterJoin";
    case sql::JoinKind::Full: return "FullOuterJoin";
    default: return "InnerJoin";
  }
}

Type plain(const Type& t) { return t.with_nullable(true).with_time_attr(TimeAttr::None); }

// One comparison `a OP b` of a condition (BETWEEN is two of them).
struct Comparison {
  const sql::Expr* a;
  sql::BinaryOp op;
  const sql::Expr* b;
};

std::vector<Comparison> comparisons_of(const sql::Expr& e) {
  if (e.kind == sql::ExprKind::Between) {
    const auto& b = e.as<sql::Between>();
    if (b.negated || b.symmetric) return {};
    return {{b.operand.get(), sql::BinaryOp::GreaterEqual, b.low.get()}, {b.operand.get(), sql::BinaryOp::LessEqual, b.high.get()}};
  }
  if (e.kind != sql::ExprKind::Binary) return {};
  const auto& b = e.as<sql::Binary>();
  switch (b.op) {
    case sql::BinaryOp::Less:
    case sql::BinaryOp::LessEqual:
    case sql::BinaryOp::Greater:
    case sql::BinaryOp::GreaterEqual: return {{b.left.get(), b.op, b.right.get()}};
    default: return {};
  }
}

sql::BinaryOp flipped(sql::BinaryOp op) {
  switch (op) {
    case sql::BinaryOp::Less: return sql::BinaryOp::Greater;
    case sql::BinaryOp::LessEqual: return sql::BinaryOp::GreaterEqual;
    case sql::BinaryOp::Greater: return sql::BinaryOp::Less;
    default: return sql::BinaryOp::LessEqual;
  }
}

// The millis of a day-time INTERVAL literal, or nothing.
std::optional<int64_t> interval_literal(const sql::Expr& e) {
  if (e.kind != sql::ExprKind::Literal || e.as<sql::Literal>().literal_kind != sql::LiteralKind::Interval) return std::nullopt;
  try {
    return signed_interval_millis(e, "an interval join bound");
  } catch (const InputError&) {
    return std::nullopt;  // a month interval: no fixed length, so no bound
  }
}

}  // namespace

Relation QueryPlanner::plan_regular_join(const sql::Join& j, const sql::Expr* on) {
  if (!on) on = j.on.get();
  const bool using_join = !j.using_columns.empty();
  if (!on && !using_join)
    throw InputError(j.loc, "a join between tables needs ON with an equality between a column of each side "
                            "(Ananas runs equi-joins; a cross join of two streams would keep every pair)");
  const sql::TableRef* versioned = j.right->kind == sql::FromKind::Table && j.right->as<sql::TableRef>().as_of
                                       ? &j.right->as<sql::TableRef>()
                                       : nullptr;
  if (versioned && j.join != sql::JoinKind::Inner && j.join != sql::JoinKind::Left && j.join != sql::JoinKind::Comma)
    throw InputError(j.loc, "a temporal join (FOR SYSTEM_TIME AS OF) is INNER or LEFT: Flink runs no RIGHT or FULL temporal join");
  Relation left = plan_from(*j.left);
  if (left.window) left = materialize_window(std::move(left));
  versioned_side_ = versioned;
  Relation right = plan_from(*j.right);
  versioned_side_ = nullptr;
  if (right.window) right = materialize_window(std::move(right));
  // Where the join condition is written: ON's, or USING's first column.
  const SourceLocation& condition_loc = on ? on->loc : j.using_locs.front();
  const std::vector<std::pair<size_t, size_t>> using_pairs =
      using_join ? using_key_pairs(j, left, right) : std::vector<std::pair<size_t, size_t>>{};
  std::vector<std::string> versioned_key;
  if (versioned) {
    versioned_key = versioned_table_key(j, right);
    if (left.changelog != Changelog::InsertOnly)
      throw InputError(j.left->loc, "a temporal join reads an insert-only left side, but this one is updated by " +
                                        left.update_producer);
  }

  // The right side's columns under names the left side does not use.
  Calc rename;
  rename.select.emplace();
  bool renamed = false;
  std::vector<RelationColumn> taken = left.columns;
  const size_t left_width = left.columns.size();
  for (RelationColumn c : right.columns) {
    const std::string name = uniquified(taken, c.name);
    renamed = renamed || name != c.name;
    rename.select->push_back({name, Expr{sql::identifier_sql(c.name), j.loc}, j.loc});
    c.name = name;
    taken.push_back(std::move(c));
  }
  Relation both;
  both.columns = taken;

  // Equalities of a left column and a right column are keys; the rest is the condition.
  std::vector<const sql::Expr*> parts;
  if (on) conjuncts(*on, parts);
  Join join;
  join.join_type = j.join == sql::JoinKind::Left ? "left" : j.join == sql::JoinKind::Right ? "right" : j.join == sql::JoinKind::Full ? "full" : "inner";
  std::string residual, where;
  std::vector<std::string> residuals;
  std::vector<const sql::Expr*> residual_parts;
  auto side_column = [&](const sql::Expr& e) -> std::optional<size_t> {
    if (e.kind != sql::ExprKind::Identifier) return std::nullopt;
    const auto& id = e.as<sql::Identifier>();
    auto [index, used] = both.resolve(id.parts, id.loc);
    if (used != id.parts.size()) return std::nullopt;  // a ROW field, not a column
    return index;
  };
  std::vector<SourceLocation> key_locs;  // where each key pair is written
  auto add_key = [&](size_t l, size_t r, const SourceLocation& at) {
    // Keys of different types are compared in their common type (cast below);
    // types without one (VARCHAR and INT) cannot be compared at all.
    if (plain(both.columns[l].type) != plain(both.columns[r].type) && !expr::common_type(both.columns[l].type, both.columns[r].type))
      throw InputError(at, "join keys " + both.columns[l].sql_name + " (" + both.columns[l].type.to_string() + ") and " +
                               both.columns[r].sql_name + " (" + both.columns[r].type.to_string() +
                               ") cannot be compared: CAST one side in a subquery so that both have one type");
    join.left_key.push_back(both.columns[l].name);
    join.right_key.push_back(both.columns[r].name);
    key_locs.push_back(at);
    where += (where.empty() ? "" : ", ") + std::string("=(") + both.columns[l].name + ", " + both.columns[r].name + ")";
  };
  for (size_t u = 0; u < using_pairs.size(); ++u) add_key(using_pairs[u].first, left_width + using_pairs[u].second, j.using_locs[u]);
  for (const sql::Expr* part : parts) {
    std::optional<size_t> a, b;
    if (part->kind == sql::ExprKind::Binary && part->as<sql::Binary>().op == sql::BinaryOp::Equal) {
      a = side_column(*part->as<sql::Binary>().left);
      b = side_column(*part->as<sql::Binary>().right);
    }
    if (a && b && (*a < left_width) != (*b < left_width)) {
      add_key(std::min(*a, *b), std::max(*a, *b), part->loc);
      continue;
    }
    residual_parts.push_back(part);
  }

  if (versioned) {
    // AS OF the left rowtime; the versions' time is the right rowtime.
    const sql::Expr& as_of = *versioned->as_of;
    auto time = side_column(as_of);
    if (!time || *time >= left_width || both.columns[*time].type.time_attr == TimeAttr::None)
      throw InputError(as_of.loc, "Temporal table join currently only supports 'FOR SYSTEM_TIME AS OF' left table's time attribute field");
    if (both.columns[*time].type.time_attr == TimeAttr::Proctime)
      throw InputError(as_of.loc, "Processing-time temporal join is not supported yet.");
    std::string right_time;
    for (size_t i = left_width; i < both.columns.size(); ++i)
      if (both.columns[i].type.time_attr == TimeAttr::Rowtime) right_time = both.columns[i].name;
    // The versioned table's key must be matched by the equalities (Flink's message).
    for (const auto& pk : versioned_key) {
      std::string unique;
      for (size_t i = 0; i < right.columns.size(); ++i)
        if (right.columns[i].name == pk) unique = both.columns[left_width + i].name;
      if (std::find(join.right_key.begin(), join.right_key.end(), unique) != join.right_key.end()) continue;
      std::string keys, pairs;
      for (const auto& k : versioned_key) keys += (keys.empty() ? "" : ",") + k;
      for (size_t i = 0; i < join.left_key.size(); ++i)
        pairs += (pairs.empty() ? "" : ",") + join.left_key[i] + "=" + join.right_key[i];
      throw InputError(condition_loc, "Temporal table's primary key [" + keys + "] must be included in the equivalence condition of "
                                "temporal join, but current temporal join condition is [" + pairs + "].");
    }
    join.as_of = Join::AsOf{both.columns[*time].name, right_time};
  }

  // Both sides windowed and ON equating their bounds: a window join.
  if (left.window_properties && right.window_properties) {
    auto in_both = [&](const std::string& right_name) {  // a right column's name after the renaming
      return both.columns[left_width + *right.find_unique(right_name)].name;
    };
    const WindowProperties& lw = *left.window_properties;
    const WindowProperties& rw = *right.window_properties;
    const std::string rs = in_both(rw.start), re = in_both(rw.end);
    bool starts = false, ends = false;
    std::vector<std::string> left_key, right_key;
    for (size_t k = 0; k < join.left_key.size(); ++k) {
      const bool start_pair = join.left_key[k] == lw.start && join.right_key[k] == rs;
      const bool end_pair = join.left_key[k] == lw.end && join.right_key[k] == re;
      starts = starts || start_pair;
      ends = ends || end_pair;
      if (start_pair || end_pair) continue;
      left_key.push_back(join.left_key[k]);
      right_key.push_back(join.right_key[k]);
    }
    if (starts != ends) {
      std::string written;
      for (const sql::Expr* part : parts)
        written += (written.empty() ? "" : " AND ") + model_expr(*rewrite_to_unique_names(*part, both)).text;
      throw InputError(condition_loc, "Currently, window join requires JOIN ON condition must contain both window starts equality of "
                                "input tables and window ends equality of input tables. But the current JOIN ON condition is " +
                                    written + ".");
    }
    if (starts) {
      // Flink's StreamExecWindowJoin.
      if (lw.processing_time || rw.processing_time) throw InputError(j.loc, "Processing time Window Join is not supported yet.");
      if (lw.spec != rw.spec)
        throw InputError(condition_loc, "Currently, window join doesn't support different window table function of left and right "
                                  "inputs. The left window table function is " + lw.spec + ". The right window table function is " +
                                      rw.spec + ".");
      for (const Relation* side : {&left, &right})
        if (side->changelog == Changelog::Updating)
          throw InputError(j.loc, "a window join reads insert-only inputs, but the " + std::string(side == &left ? "left" : "right") +
                                      " input is updated by node " + side->update_producer);
      join.left_key = std::move(left_key);
      join.right_key = std::move(right_key);
      join.window = Join::WindowBounds{lw.start, lw.end, rs, re, {}};
      where.clear();
      for (size_t k = 0; k < join.left_key.size(); ++k)
        where += (where.empty() ? "" : ", ") + std::string("=(") + join.left_key[k] + ", " + join.right_key[k] + ")";
    }
  }

  // A join of insert-only inputs bounding a rowtime of each side both ways
  // is an interval join (outer ones too); its bound conjuncts leave the condition.
  if (!versioned && !join.window && left.changelog == Changelog::InsertOnly && right.changelog == Changelog::InsertOnly) {
    // `time_column [+|- INTERVAL ...]` as (column, offset ms).
    auto time_term = [&](const sql::Expr& e) -> std::optional<std::pair<size_t, int64_t>> {
      const sql::Expr* column = &e;
      int64_t offset = 0;
      if (e.kind == sql::ExprKind::Binary) {
        const auto& b = e.as<sql::Binary>();
        if (b.op != sql::BinaryOp::Add && b.op != sql::BinaryOp::Subtract) return std::nullopt;
        auto ms = interval_literal(*b.right);
        if (!ms) return std::nullopt;
        column = b.left.get();
        offset = b.op == sql::BinaryOp::Add ? *ms : -*ms;
      }
      auto index = side_column(*column);
      if (!index || both.columns[*index].type.time_attr != TimeAttr::Rowtime) return std::nullopt;
      return std::pair{*index, offset};
    };
    std::optional<std::pair<size_t, size_t>> times;  // (left, right) time columns
    std::optional<int64_t> lower, upper;             // of left_time - right_time
    std::vector<const sql::Expr*> kept;
    for (const sql::Expr* part : residual_parts) {
      const auto comps = comparisons_of(*part);
      bool all_bounds = !comps.empty();
      std::vector<std::tuple<size_t, size_t, sql::BinaryOp, int64_t>> found;  // left, right, op, c: l - r OP c
      for (const Comparison& c : comps) {
        auto a = time_term(*c.a), b = time_term(*c.b);
        if (!a || !b || (a->first < left_width) == (b->first < left_width)) {
          all_bounds = false;
          break;
        }
        // a.col + a.off OP b.col + b.off, as left - right OP constant.
        if (a->first < left_width) found.emplace_back(a->first, b->first, c.op, b->second - a->second);
        else found.emplace_back(b->first, a->first, flipped(c.op), a->second - b->second);
      }
      if (all_bounds && times && std::any_of(found.begin(), found.end(), [&](const auto& f) {
            return std::pair{std::get<0>(f), std::get<1>(f)} != *times;
          }))
        all_bounds = false;  // bounds on other time columns stay conditions
      if (!all_bounds) {
        kept.push_back(part);
        continue;
      }
      for (const auto& [l, r, op, c] : found) {
        times = std::pair{l, r};
        // Strict bounds on millisecond times are the next millisecond (as Flink).
        if (op == sql::BinaryOp::GreaterEqual || op == sql::BinaryOp::Greater) {
          const int64_t v = op == sql::BinaryOp::Greater ? c + 1 : c;
          lower = lower ? std::max(*lower, v) : v;
        } else {
          const int64_t v = op == sql::BinaryOp::Less ? c - 1 : c;
          upper = upper ? std::min(*upper, v) : v;
        }
      }
    }
    if (times && lower && upper) {
      if (*lower > *upper)
        throw InputError(condition_loc, "the time bounds of this interval join leave no time: " + both.columns[times->first].sql_name +
                                      " - " + both.columns[times->second].sql_name + " must be at least " +
                                      std::to_string(*lower) + " ms and at most " + std::to_string(*upper) + " ms");
      join.time_bounds = Join::TimeBounds{both.columns[times->first].name, both.columns[times->second].name, *lower, *upper};
      residual_parts = std::move(kept);
    }
  }
  for (const sql::Expr* part : residual_parts) residuals.push_back(model_expr(*rewrite_to_unique_names(*part, both)).text);
  for (const auto& text : residuals) residual += (residual.empty() ? "" : " AND ") + (residuals.size() > 1 ? "(" + text + ")" : text);
  if (join.left_key.empty() && !join.window)
    throw InputError(condition_loc, "a join between tables needs an equality between a column of each side in " +
                                  std::string(j.on ? "ON" : "WHERE") + " (Ananas runs equi-joins: the rows are matched by key)");
  if (!residual.empty()) join.condition = Expr{residual, condition_loc};
  // Interval and window joins keep time attributes (their rows are ordered in time within the bounds or the window).
  const bool timed = join.time_bounds.has_value() || join.window.has_value();
  const bool windowed = join.window.has_value();
  const std::optional<WindowProperties> left_window = left.window_properties;

  // Keys of different types: each side whose key is not of the pair's common
  // type gets it cast in a column of its own that the join matches on (Flink's
  // JoinConditionTypeCoerceRule casts both sides of the equality to the least
  // restrictive type, JoinPushExpressionsRule computes the casts below the
  // join). Only the join reads these columns.
  std::vector<RelationColumn> left_columns(both.columns.begin(), both.columns.begin() + static_cast<long>(left_width));
  std::vector<RelationColumn> right_columns(both.columns.begin() + static_cast<long>(left_width), both.columns.end());
  Calc left_casts;
  left_casts.select.emplace();
  for (const RelationColumn& c : left_columns) left_casts.select->push_back({c.name, Expr{sql::identifier_sql(c.name), j.loc}, j.loc});
  bool left_cast = false;
  for (size_t k = 0; k < join.left_key.size(); ++k) {
    const size_t li = *both.find_unique(join.left_key[k]), ri = *both.find_unique(join.right_key[k]);
    const Type& lt = both.columns[li].type;
    const Type& rt = both.columns[ri].type;
    if (plain(lt) == plain(rt)) continue;
    const Type common = plain(*expr::common_type(lt, rt));
    for (bool left_side : {true, false}) {
      const Type& key_type = left_side ? lt : rt;
      if (plain(key_type) == common) continue;
      std::vector<RelationColumn>& side = left_side ? left_columns : right_columns;
      std::vector<RelationColumn> all = left_columns;
      all.insert(all.end(), right_columns.begin(), right_columns.end());
      RelationColumn cast;
      cast.name = uniquified(all, "$f" + std::to_string(side.size()));
      cast.sql_name = cast.name;
      cast.type = common.with_nullable(key_type.nullable);
      cast.qualified_only = true;  // and no qualifier: out of reach of the query
      // The right side's calc reads the right input under its own names.
      const std::string source = left_side ? both.columns[li].name : right.columns[ri - left_width].name;
      Calc& calc = left_side ? left_casts : rename;
      calc.select->push_back(
          {cast.name, Expr{"CAST(" + sql::identifier_sql(source) + " AS " + common.to_sql() + ")", key_locs[k]}, key_locs[k]});
      (left_side ? join.left_key[k] : join.right_key[k]) = cast.name;
      side.push_back(std::move(cast));
      (left_side ? left_cast : renamed) = true;
    }
  }
  std::string right_node = right.node;
  if (renamed || right.node == left.node) {
    // Not fused when the left side is the same node (a self-join): fusing would rename it.
    right_node = right.node == left.node ? add_operator("join_right", right.node, std::move(rename), j.loc).name
                                         : add_calc("join_right", right.node, std::move(rename), j.loc);
  }
  const std::string left_node = left_cast ? add_calc("join_left", left.node, std::move(left_casts), j.loc) : left.node;
  const size_t joined_left_width = left_columns.size();
  both.columns = left_columns;
  both.columns.insert(both.columns.end(), right_columns.begin(), right_columns.end());

  Operator& op = add_operator("join", left_node, std::move(join), j.loc);
  op.more_inputs = {right_node};
  op.input_location = j.loc;
  Relation out;
  out.node = op.name;
  const bool left_outer = j.join == sql::JoinKind::Left || j.join == sql::JoinKind::Full;
  const bool right_outer = j.join == sql::JoinKind::Right || j.join == sql::JoinKind::Full;
  std::string select;
  for (size_t i = 0; i < both.columns.size(); ++i) {
    RelationColumn c = both.columns[i];
    const bool padded = i < joined_left_width ? right_outer : left_outer;
    // Interval and window joins keep time attributes; a temporal join the
    // left one (its rows come out in the left rowtime's order).
    if (!timed && !(versioned && i < joined_left_width)) c.type = c.type.with_time_attr(TimeAttr::None);
    c.type = c.type.with_nullable(c.type.nullable || padded);
    select += (select.empty() ? "" : ", ") + c.name;
    out.columns.push_back(std::move(c));
  }
  const bool updating = !versioned && ((!timed && (left_outer || right_outer)) || left.changelog == Changelog::Updating ||
                                        right.changelog == Changelog::Updating);
  out.changelog = updating ? Changelog::Updating : Changelog::InsertOnly;
  // An inner window join's rows are in the left rows' windows (an outer one's may have NULL bounds there).
  if (windowed && !left_outer && !right_outer) out.window_properties = left_window;
  out.update_producer = std::string("Join(joinType=[") + flink_join_type(j.join) + "], where=[" +
                        (residual.empty() ? where : "AND(" + where + ", " + residual + ")") + "], select=[" + select + "])";
  if (!using_join) return out;

  // JOIN ... USING: the unqualified name of a USING column is the COALESCE of
  // its two sides in their common type (Calcite's expandCommonColumn), and `*`
  // starts with these columns, then the other columns of the left side and
  // of the right one (Calcite's Permute, in SqlValidatorImpl.expandStar). The
  // sides' own copies stay reachable qualified (`o.id`; Flink's conformance
  // allows qualifying a common column). The COALESCE is NULL only where both
  // sides may be (Permute's nullability).
  Calc coalesce;
  coalesce.select.emplace();
  Relation used = out;
  used.columns.clear();
  for (const auto& [l, r] : using_pairs) {
    RelationColumn& lc = out.columns[l];
    RelationColumn& rc = out.columns[joined_left_width + r];
    const Type common = plain(plain(lc.type) == plain(rc.type) ? lc.type : *expr::common_type(lc.type, rc.type));
    auto as_common = [&](const RelationColumn& c) {
      const std::string id = sql::identifier_sql(c.name);
      return plain(c.type) == common ? id : "CAST(" + id + " AS " + common.to_sql() + ")";
    };
    std::vector<RelationColumn> taken_names = out.columns;
    taken_names.insert(taken_names.end(), used.columns.begin(), used.columns.end());
    RelationColumn c;
    c.name = unique_column_name(taken_names, lc.sql_name);
    c.sql_name = lc.sql_name;
    c.type = common.with_nullable(lc.type.nullable && rc.type.nullable);
    coalesce.select->push_back({c.name, Expr{"COALESCE(" + as_common(lc) + ", " + as_common(rc) + ")", j.loc}, j.loc});
    used.columns.push_back(std::move(c));
    lc.qualified_only = true;
    rc.qualified_only = true;
  }
  for (const RelationColumn& c : out.columns) {
    coalesce.select->push_back({c.name, Expr{sql::identifier_sql(c.name), j.loc}, j.loc});
    used.columns.push_back(c);
  }
  used.node = add_calc("join_using", out.node, std::move(coalesce), j.loc);
  return used;
}

std::vector<std::pair<size_t, size_t>> QueryPlanner::using_key_pairs(const sql::Join& j, const Relation& left, const Relation& right) {
  // Each USING column once on each side, of comparable types (Calcite's
  // SqlValidatorImpl.validateUsingCol and validateJoin, in their words; the
  // types are named as Flink summarises them).
  std::vector<std::pair<size_t, size_t>> pairs;
  for (size_t u = 0; u < j.using_columns.size(); ++u) {
    const std::string& name = j.using_columns[u];
    const SourceLocation& at = j.using_locs[u];
    for (size_t v = 0; v < u; ++v)
      if (j.using_columns[v] == name) throw InputError(at, "column '" + name + "' is named twice in USING");
    auto find_in = [&](const Relation& side) {
      std::optional<size_t> found;
      for (size_t i = 0; i < side.columns.size(); ++i) {
        if (side.columns[i].sql_name != name) continue;
        if (found) throw InputError(at, "Column name '" + name + "' in USING clause is not unique on one side of join");
        found = i;
      }
      if (!found) throw InputError(at, "Column '" + name + "' not found in any table");
      return *found;
    };
    const size_t l = find_in(left), r = find_in(right);
    const Type& lt = left.columns[l].type;
    const Type& rt = right.columns[r].type;
    if (plain(lt) != plain(rt) && !expr::common_type(lt, rt))
      throw InputError(at, "Column '" + name + "' matched using NATURAL keyword or USING clause has incompatible types: cannot compare '" +
                               lt.to_string() + "' to '" + rt.to_string() + "'");
    pairs.emplace_back(l, r);
  }
  return pairs;
}

std::vector<std::string> QueryPlanner::versioned_table_key(const sql::Join& j, const Relation& right) {
  const auto& ref = j.right->as<sql::TableRef>();
  bool named_query = ref.name.size() == 1 && views_.count(ref.name[0]);
  for (const auto& scope : cte_scopes_) named_query = named_query || (ref.name.size() == 1 && scope.count(ref.name[0]));
  if (named_query)
    throw InputError(ref.loc, "FOR SYSTEM_TIME AS OF a view or a WITH query (a versioned view) is not supported yet: "
                              "join a table with a PRIMARY KEY and a watermark");
  const sql::CreateTable& table = catalog_.get(ref.name, ref.loc);
  if (!table.primary_key)
    throw InputError(ref.loc, "Temporal Table Join requires primary key in versioned table, but no primary key can be found.");
  const bool rowtime = std::any_of(right.columns.begin(), right.columns.end(),
                                   [](const RelationColumn& c) { return c.type.time_attr == TimeAttr::Rowtime; });
  if (!rowtime)
    throw InputError(ref.loc, "Event-Time Temporal Table Join requires both primary key and row time attribute in versioned "
                              "table, but no row time attribute can be found.");
  return table.primary_key->columns;
}

}  // namespace ananas::pipeline::planner
