#include "pipelines/sql/query_planner.hpp"

#include <algorithm>
#include <set>

#include "core/sql/expr_parser.hpp"
#include "core/sql/printer.hpp"
#include "pipelines/operator_kinds/match_recognize/match_recognize_config.hpp"
#include "pipelines/operator_kinds/registry.hpp"
#include "pipelines/sql/aggregate_calls.hpp"
#include "pipelines/sql/ast_walk.hpp"
#include "pipelines/sql/planner_helpers.hpp"

namespace ananas::pipeline::planner {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

Expr model_expr(const sql::Expr& e) { return Expr{sql::to_sql(e), e.loc}; }

RelationColumn derived_column(const std::vector<RelationColumn>& existing, const std::string& sql_name, Type type) {
  RelationColumn c;
  c.name = unique_column_name(existing, sql_name);
  c.sql_name = sql_name;
  c.type = std::move(type);
  return c;
}

// Follows `col.field.field` through ROW types: the type an identifier chain has.
static Type identifier_type(const Relation& rel, const sql::Identifier& id) {
  auto [index, used] = rel.resolve(id.parts, id.loc);
  Type t = rel.columns[index].type;
  for (size_t i = used; i < id.parts.size(); ++i) {
    if (t.id != TypeId::Row) return Type::null_type();
    auto it = std::find(t.field_names.begin(), t.field_names.end(), id.parts[i]);
    if (it == t.field_names.end()) {
      std::string hint = closest_match(id.parts[i], t.field_names);
      throw InputError(i < id.part_locs.size() ? id.part_locs[i] : id.loc,
                       "ROW has no field '" + id.parts[i] + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    t = t.children[static_cast<size_t>(it - t.field_names.begin())];
  }
  return t;
}

// The type of an expression when it can be known without the binder: column
// references (with ROW field access) keep their type, time attributes included;
// anything computed gets its type when the pipeline is built.
Type static_type(const Relation& rel, const sql::Expr& e) {
  if (e.kind == sql::ExprKind::Identifier) return identifier_type(rel, e.as<sql::Identifier>());
  if (e.kind == sql::ExprKind::Cast) return e.as<sql::Cast>().target;
  return Type::null_type();
}

// The name Flink gives a select item: its alias, the column it references, or EXPR$i.
std::string item_name(const sql::SelectItem& item, size_t position) {
  if (item.alias) return *item.alias;
  if (item.expr->kind == sql::ExprKind::Identifier) return item.expr->as<sql::Identifier>().parts.back();
  return "EXPR$" + std::to_string(position);
}

namespace {

bool references_any(const sql::Expr& e, const Relation& rel, const std::set<std::string>& unique_names) {
  if (e.kind == sql::ExprKind::Identifier) {
    auto [index, used] = rel.resolve(e.as<sql::Identifier>().parts, e.loc);
    (void)used;
    return unique_names.count(rel.columns[index].name) > 0;
  }
  bool found = false;
  for_each_child(e, [&](const sql::Expr& c) { found = found || references_any(c, rel, unique_names); });
  return found;
}

bool is_literal_true(const sql::Expr* e) {
  return e && e->kind == sql::ExprKind::Literal && e->as<sql::Literal>().literal_kind == sql::LiteralKind::Boolean &&
         e->as<sql::Literal>().bool_value;
}

const char* const kWindowColumns[] = {"window_start", "window_end", "window_time"};

// The type of a MEASURES expression when it is evident: `V.col` is the column's
// type (a plain timestamp, not a time attribute), LISTAGG a STRING, COUNT a BIGINT.
Type static_measure_type(const sql::Expr& e, const Relation& input) {
  if (e.kind == sql::ExprKind::Identifier) {
    const auto& parts = e.as<sql::Identifier>().parts;
    for (const auto& c : input.columns)
      if (c.name == parts.back()) {
        Type t = c.type;
        t.time_attr = TimeAttr::None;
        return t;
      }
  }
  if (e.kind == sql::ExprKind::Call) {
    std::string n = upper(e.as<sql::Call>().name);
    if (n == "LISTAGG") return Type::string();
    if (n == "COUNT") return Type::bigint().with_nullable(false);
  }
  return Type::null_type();
}

}  // namespace

// How Flink's plan names a group aggregation (the node its changelog errors cite):
// GroupAggregate(groupBy=[id, name], select=[id, name, COUNT(*) AS nr]).
std::string group_aggregate_description(const std::vector<std::string>& keys, const std::vector<Aggregate>& aggs) {
  std::string group_by, select;
  for (const auto& k : keys) {
    group_by += (group_by.empty() ? "" : ", ") + k;
    select += (select.empty() ? "" : ", ") + k;
  }
  for (const auto& a : aggs) {
    std::string args;
    for (const auto& x : a.args) args += (args.empty() ? "" : ", ") + x.text;
    select += (select.empty() ? "" : ", ") + a.function + "(" + (a.distinct ? "DISTINCT " : "") +
              (a.args.empty() && a.function == "COUNT" ? "*" : args) + ") AS " + a.name;
  }
  return "GroupAggregate(" + (group_by.empty() ? "" : "groupBy=[" + group_by + "], ") + "select=[" + select + "])";
}

// What an operator emits, as its kind defines it (pipelines/operator_kinds/).
Changelog output_changelog(const Operator& op, Changelog input) {
  return kind_of(op).emits_updates_for(op.body, input == Changelog::Updating) ? Changelog::Updating : Changelog::InsertOnly;
}

void conjuncts(const sql::Expr& e, std::vector<const sql::Expr*>& out) {
  if (e.kind == sql::ExprKind::Binary && e.as<sql::Binary>().op == sql::BinaryOp::And) {
    conjuncts(*e.as<sql::Binary>().left, out);
    conjuncts(*e.as<sql::Binary>().right, out);
    return;
  }
  out.push_back(&e);
}

Duration duration_from_millis(int64_t millis, const SourceLocation& loc) {
  Duration d;
  d.millis = millis;
  d.location = loc;
  if (millis % 86'400'000 == 0) d.text = std::to_string(millis / 86'400'000) + "d";
  else if (millis % 3'600'000 == 0) d.text = std::to_string(millis / 3'600'000) + "h";
  else if (millis % 60'000 == 0) d.text = std::to_string(millis / 60'000) + "min";
  else if (millis % 1000 == 0) d.text = std::to_string(millis / 1000) + "s";
  else d.text = std::to_string(millis) + "ms";
  return d;
}

int64_t signed_interval_millis(const sql::Expr& e, const char* what) {
  if (e.kind != sql::ExprKind::Literal || e.as<sql::Literal>().literal_kind != sql::LiteralKind::Interval)
    throw InputError(e.loc, std::string(what) + " must be an INTERVAL literal such as INTERVAL '5' SECOND");
  const auto& lit = e.as<sql::Literal>();
  int64_t unit = 0;
  switch (lit.interval.start) {
    case sql::TimeUnit::Millisecond: unit = 1; break;
    case sql::TimeUnit::Second: unit = 1000; break;
    case sql::TimeUnit::Minute: unit = 60'000; break;
    case sql::TimeUnit::Hour: unit = 3'600'000; break;
    case sql::TimeUnit::Day: unit = 86'400'000; break;
    case sql::TimeUnit::Week: unit = 7 * 86'400'000LL; break;
    default:
      throw InputError(e.loc, std::string(what) + " must be a day-time interval (MILLISECOND to DAY); months and years have no fixed length");
  }
  if (lit.interval.end)
    throw InputError(e.loc, std::string(what) + ": write the interval with a single unit, e.g. INTERVAL '90' SECOND");
  // The sign may be written before the quotes (INTERVAL -'5' SECOND) or inside them.
  std::string v = lit.text;
  bool negative = lit.negative;
  if (!v.empty() && (v[0] == '-' || v[0] == '+')) {
    negative = negative != (v[0] == '-');
    v.erase(0, 1);
  }
  if (v.empty() || v.size() > 12 || !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }))
    throw InputError(e.loc, std::string(what) + ": interval value '" + lit.text + "' must be a whole number");
  int64_t millis = std::stoll(v) * unit;
  return negative ? -millis : millis;
}

Duration duration_from_interval(const sql::Expr& e, const char* what) {
  int64_t millis = signed_interval_millis(e, what);
  if (millis <= 0) throw InputError(e.loc, std::string(what) + " must be positive");
  return duration_from_millis(millis, e.loc);
}

std::string QueryPlanner::node_name(const std::string& base) {
  auto taken = [&](const std::string& n) {
    if (pipeline_.find_operator(n) || pipeline_.find_source(n) || pipeline_.find_sink(n)) return true;
    return false;
  };
  if (!taken(base)) return base;
  for (int i = 1;; ++i)
    if (!taken(base + "_" + std::to_string(i))) return base + "_" + std::to_string(i);
}

Operator& QueryPlanner::add_operator(const std::string& base, const std::string& input, OperatorBody body,
                                     const SourceLocation& loc) {
  Operator op;
  op.name = node_name(base);
  op.input = input;
  op.body = std::move(body);
  op.location = loc;
  op.input_location = loc;
  pipeline_.operators.push_back(std::move(op));
  return pipeline_.operators.back();
}

namespace {

// Rewrites the column references of `e` (a calc expression over `first`'s output)
// into references to `first`'s input. Only renames are followed: a reference to
// a computed column would duplicate its expression, so fusion gives up.
bool substitute_renames(sql::Expr& e, const std::map<std::string, std::vector<std::string>>& renames, bool identity) {
  if (e.kind == sql::ExprKind::Identifier) {
    auto& id = e.as<sql::Identifier>();
    if (identity) return true;
    auto it = renames.find(id.parts[0]);
    if (it == renames.end()) return false;
    std::vector<std::string> parts = it->second;
    parts.insert(parts.end(), id.parts.begin() + 1, id.parts.end());
    std::vector<SourceLocation> locs(parts.size(), id.loc);
    id.parts = std::move(parts);
    id.part_locs = std::move(locs);
    return true;
  }
  bool ok = true;
  for_each_child(e, [&](sql::ExprPtr& c) { ok = ok && substitute_renames(*c, renames, identity); });
  return ok;
}

// `second` applied after `first` as one calc, or nothing when that would need
// more than renaming columns.
std::optional<Calc> fuse_calcs(const Calc& first, const Calc& second) {
  const bool identity = !first.select;
  std::map<std::string, std::vector<std::string>> renames;
  if (first.select)
    for (const auto& item : *first.select) {
      sql::ExprPtr e = sql::parse_expression(item.expr.text);
      if (e->kind == sql::ExprKind::Identifier) renames[item.name] = e->as<sql::Identifier>().parts;
    }
  auto rewritten = [&](const Expr& x) -> std::optional<Expr> {
    sql::ExprPtr e = sql::parse_expression(x.text);
    if (!substitute_renames(*e, renames, identity)) return std::nullopt;
    return Expr{sql::to_sql(*e), x.location};
  };
  Calc fused;
  fused.where = first.where;
  if (second.where) {
    auto w = rewritten(*second.where);
    if (!w) return std::nullopt;
    if (!fused.where) {
      fused.where = w;
    } else {
      auto both = std::make_unique<sql::Binary>(first.where->location);
      both->op = sql::BinaryOp::And;
      both->left = sql::parse_expression(first.where->text);
      both->right = sql::parse_expression(w->text);
      fused.where = Expr{sql::to_sql(*both), first.where->location};
    }
  }
  if (!second.select) {
    fused.select = first.select;
    return fused;
  }
  fused.select.emplace();
  for (const auto& item : *second.select) {
    auto x = rewritten(item.expr);
    if (!x) return std::nullopt;
    fused.select->push_back({item.name, *x, item.location});
  }
  return fused;
}

}  // namespace

std::string QueryPlanner::add_calc(const std::string& base, const std::string& input, Calc calc, const SourceLocation& loc) {
  auto first = std::find_if(pipeline_.operators.begin(), pipeline_.operators.end(),
                            [&](const Operator& o) { return o.name == input; });
  bool read_elsewhere = std::any_of(pipeline_.operators.begin(), pipeline_.operators.end(),
                                    [&](const Operator& o) {
                                      const auto in = o.inputs();
                                      return std::find(in.begin(), in.end(), input) != in.end();
                                    }) ||
                        std::any_of(pipeline_.sinks.begin(), pipeline_.sinks.end(), [&](const Sink& s) { return s.input == input; });
  if (first != pipeline_.operators.end() && std::holds_alternative<Calc>(first->body) && !read_elsewhere) {
    const Calc& before = std::get<Calc>(first->body);
    if (auto fused = fuse_calcs(before, calc)) {
      // A projection that gains a WHERE is now a filter; otherwise the first name stays.
      std::string fused_base = (!before.where && calc.where) ? base : first->name;
      Operator merged = std::move(*first);
      pipeline_.operators.erase(first);
      // A cached CTE that ended in the first calc must be planned afresh if read again.
      for (auto it = planned_ctes_.begin(); it != planned_ctes_.end();)
        it = it->second.node == merged.name ? planned_ctes_.erase(it) : std::next(it);
      Operator& op = add_operator(fused_base, merged.input, std::move(*fused), merged.location);
      op.input_location = merged.input_location;
      return op.name;
    }
  }
  return add_operator(base, input, std::move(calc), loc).name;
}

Relation QueryPlanner::plan_query(const sql::Query& q) {
  std::map<std::string, const sql::CommonTableExpr*> scope;
  for (const auto& cte : q.ctes) {
    if (scope.count(cte.name)) throw InputError(cte.loc, "WITH defines '" + cte.name + "' twice");
    scope[cte.name] = &cte;
  }
  cte_scopes_.push_back(std::move(scope));
  if (!q.order_by.empty())
    throw InputError(q.order_by.front().expr->loc,
                     "ORDER BY on a streaming query is not supported (Flink only allows it on a time attribute with a LIMIT); remove it");
  if (q.limit) throw InputError(q.limit->loc, "LIMIT on a streaming query is not supported");
  Relation r = plan_query_node(*q.body);
  cte_scopes_.pop_back();
  return r;
}

Relation QueryPlanner::plan_query_node(const sql::QueryNode& n) {
  switch (n.kind) {
    case sql::QueryNodeKind::Select: return plan_select(n.as<sql::Select>());
    case sql::QueryNodeKind::Nested: return plan_query(*n.as<sql::NestedQuery>().query);
    case sql::QueryNodeKind::SetOperation: return plan_set_operation(n.as<sql::SetOperation>());
  }
  throw InputError(n.loc, "unsupported query");
}

Relation QueryPlanner::plan_named_query(const sql::CommonTableExpr& named) {
  auto planned = planned_ctes_.find(&named);
  if (planned != planned_ctes_.end()) return planned->second;
  // A CTE is planned once, however often it is read: its operators feed every reader.
  Relation r = plan_query(*named.query);
  if (r.window) r = materialize_window(std::move(r));
  if (!named.columns.empty()) {
    if (named.columns.size() != r.columns.size())
      throw InputError(named.loc, named.name + " names " + std::to_string(named.columns.size()) +
                                      " columns but its query returns " + std::to_string(r.columns.size()));
    for (size_t i = 0; i < r.columns.size(); ++i) r.columns[i].sql_name = named.columns[i];
  }
  for (auto& c : r.columns) c.qualifiers.clear();
  r.qualify_all(named.name);
  return planned_ctes_.emplace(&named, std::move(r)).first->second;
}

Relation QueryPlanner::plan_table(const std::vector<std::string>& name, const SourceLocation& loc) {
  if (name.size() == 1) {
    for (auto it = cte_scopes_.rbegin(); it != cte_scopes_.rend(); ++it) {
      auto found = it->find(name[0]);
      if (found != it->end()) return plan_named_query(*found->second);
    }
    if (auto view = views_.find(name[0]); view != views_.end()) {
      // A view's query sees the catalog and the views, not the WITH queries of its reader.
      auto outer_ctes = std::move(cte_scopes_);
      cte_scopes_.clear();
      Relation r = plan_named_query(*view->second);
      cte_scopes_ = std::move(outer_ctes);
      return r;
    }
  }
  const sql::CreateTable& table = catalog_.get(name, loc);
  std::string tname = table_name(table);
  if (auto it = planned_sources_.find(tname); it != planned_sources_.end()) return it->second;
  pipeline_.sources.push_back(table_to_source(table));
  Relation r = source_relation(table);
  planned_sources_[tname] = r;
  return r;
}

Relation QueryPlanner::plan_from(const sql::FromItem& f) {
  Relation r;
  switch (f.kind) {
    case sql::FromKind::Table:
      if (f.as<sql::TableRef>().as_of && versioned_side_ != &f.as<sql::TableRef>())
        throw InputError(f.as<sql::TableRef>().as_of->loc,
                         "FOR SYSTEM_TIME AS OF belongs on the right side of a join (an event-time temporal join: "
                         "FROM orders JOIN rates FOR SYSTEM_TIME AS OF orders.order_time ON ...)");
      r = plan_table(f.as<sql::TableRef>().name, f.loc);
      break;
    case sql::FromKind::Subquery:
      r = plan_query(*f.as<sql::SubqueryRef>().query);
      if (r.window) r = materialize_window(std::move(r));
      for (auto& c : r.columns) c.qualifiers.clear();
      break;
    case sql::FromKind::WindowTvf: r = plan_window_tvf(f.as<sql::WindowTvf>()); break;
    case sql::FromKind::MatchRecognize: r = plan_match_recognize(f.as<sql::MatchRecognize>()); break;
    case sql::FromKind::Join: {
      const auto& j = f.as<sql::Join>();
      // A table function on either side is a UDTF join, whatever the join kind.
      for (const sql::FromItem* side : {j.left.get(), j.right.get()})
        if (side->kind == sql::FromKind::LateralTable)
          throw InputError(side->loc, "LATERAL TABLE (user-defined table functions) is not supported");
      bool inner = j.join == sql::JoinKind::Cross || j.join == sql::JoinKind::Comma || j.join == sql::JoinKind::Inner;
      if (j.right->kind == sql::FromKind::Unnest && ((inner && !j.on) || j.join == sql::JoinKind::Left)) {
        // LEFT JOIN UNNEST(...) ON TRUE: Flink's left correlate accepts no other condition.
        if (j.join == sql::JoinKind::Left && !is_literal_true(j.on.get()))
          throw InputError(j.on ? j.on->loc : j.right->loc,
                           "LEFT JOIN UNNEST(...) accepts only ON TRUE as its condition; filter the unnested rows in WHERE");
        Relation left = plan_from(*j.left);
        if (left.window) left = materialize_window(std::move(left));
        return plan_unnest(std::move(left), j.right->as<sql::Unnest>(), j.join == sql::JoinKind::Left);
      }
      if (j.join == sql::JoinKind::Inner || j.join == sql::JoinKind::Left || j.join == sql::JoinKind::Right ||
          j.join == sql::JoinKind::Full)
        return plan_regular_join(j);
      if (j.join == sql::JoinKind::Comma && comma_where_) {
        const sql::Expr* where = comma_where_;
        comma_where_ = nullptr;  // a nested `a, b, c` keeps its inner comma unplanned
        return plan_regular_join(j, where);
      }
      throw InputError(j.loc, "a cross join (or comma) between tables is not supported: write JOIN ... ON with an equality "
                              "between a column of each side");
    }
    case sql::FromKind::Unnest:
      throw InputError(f.loc, "UNNEST must follow a table: FROM t CROSS JOIN UNNEST(t.array_column) AS x");
    case sql::FromKind::LateralTable:
      throw InputError(f.loc, "LATERAL TABLE (user-defined table functions) is not supported");
  }
  if (f.alias) {
    if (f.kind == sql::FromKind::Table) {
      // FROM pizza_source AS p: `p.id` works; `pizza_source.id` no longer does (as in Flink).
      for (auto& c : r.columns) c.qualifiers.clear();
    }
    r.qualify_all(*f.alias);
  }
  if (!f.column_aliases.empty()) {
    if (f.column_aliases.size() != r.columns.size())
      throw InputError(f.alias_loc, "alias list names " + std::to_string(f.column_aliases.size()) + " columns but the relation has " +
                                        std::to_string(r.columns.size()));
    for (size_t i = 0; i < r.columns.size(); ++i) r.columns[i].sql_name = f.column_aliases[i];
  }
  return r;
}

Relation QueryPlanner::plan_unnest(Relation left, const sql::Unnest& u, bool left_outer) {
  if (u.args.size() != 1) throw InputError(u.loc, "UNNEST takes exactly one array (or map) expression");
  const sql::Expr& arg = *u.args[0];
  sql::ExprPtr rewritten = rewrite_to_unique_names(arg, left);
  Type array_type = static_type(left, arg);
  std::vector<std::string> names;
  std::vector<Type> types;
  if (array_type.id == TypeId::Array) {
    const Type& elem = array_type.children[0];
    if (elem.id == TypeId::Row) {
      names = elem.field_names;
      types = elem.children;
    } else {
      names = {"EXPR$0"};  // Calcite's name for an unaliased scalar element
      types = {elem};
    }
  } else if (array_type.id == TypeId::Map) {
    names = {"KEY", "VALUE"};
    types = {array_type.children[0], array_type.children[1]};
  } else if (array_type.id == TypeId::Null) {
    throw InputError(arg.loc, "UNNEST needs a column of type ARRAY or MAP (write the array column itself, e.g. UNNEST(t.items))");
  } else {
    throw InputError(arg.loc, "UNNEST expects an ARRAY or MAP, but '" + sql::to_sql(arg) + "' is " + array_type.to_string());
  }
  if (u.with_ordinality) {
    names.push_back("ORDINALITY");
    types.push_back(Type::integer().with_nullable(false));
  }
  if (!u.column_aliases.empty()) {
    if (u.column_aliases.size() != names.size())
      throw InputError(u.alias_loc, "UNNEST produces " + std::to_string(names.size()) + " column(s) but the alias names " +
                                        std::to_string(u.column_aliases.size()));
    names = u.column_aliases;
  }
  Unnest body;
  body.array = model_expr(*rewritten);
  body.with_ordinality = u.with_ordinality;
  body.left_outer = left_outer;
  Relation out = left;
  for (size_t i = 0; i < names.size(); ++i) {
    // A kept row without elements has NULLs there, so a left join makes every element column nullable.
    RelationColumn c = derived_column(out.columns, names[i], left_outer ? types[i].with_nullable(true) : types[i]);
    if (u.alias) c.qualifiers = {*u.alias};
    body.columns.push_back(c.name);
    out.columns.push_back(std::move(c));
  }
  std::string base = "unnest";
  if (rewritten->kind == sql::ExprKind::Identifier) base += "_" + rewritten->as<sql::Identifier>().parts.back();
  out.node = add_operator(base, left.node, std::move(body), u.loc).name;
  return out;
}

Relation QueryPlanner::plan_window_tvf(const sql::WindowTvf& w) {
  Relation input;
  if (w.input_query) {
    input = plan_query(*w.input_query);
    if (input.window) input = materialize_window(std::move(input));
  } else {
    input = plan_table(w.table, w.table_loc);
  }
  return apply_window(std::move(input), w);
}

Relation QueryPlanner::apply_window(Relation input, const sql::WindowTvf& w) {
  if (w.time_column.empty()) throw InputError(w.loc, "the window function needs DESCRIPTOR(time_column)");
  auto [index, used] = input.resolve(w.time_column, w.time_column_loc);
  if (used != w.time_column.size()) throw InputError(w.time_column_loc, "DESCRIPTOR must name a column");
  const RelationColumn& tc = input.columns[index];
  if (tc.type.time_attr == TimeAttr::None)
    throw InputError(w.time_column_loc, "The window function requires the timecol is a time attribute type, but '" + tc.sql_name +
                                            "' is " + tc.type.to_string() + " (declare a WATERMARK FOR it in CREATE TABLE)");
  const bool processing_time = tc.type.time_attr == TimeAttr::Proctime;
  if (processing_time && w.window == sql::WindowKind::Session)
    throw InputError(w.time_column_loc, "processing-time SESSION windows are not supported yet; use the event-time (WATERMARK) column");
  Relation out = input;
  out.window = PendingWindow{&w, tc.name, processing_time};
  // The input's time attribute becomes a plain timestamp; window_time is the new one (Flink docs, Queries > Window TVF > Window Functions).
  out.columns[index].type.time_attr = TimeAttr::None;
  for (const char* wc : kWindowColumns) {
    Type t = Type::timestamp(3).with_nullable(false);
    // On processing time window_time is a PROCTIME() attribute (TIMESTAMP_LTZ(3)), as in Flink.
    if (std::string(wc) == "window_time")
      t = processing_time ? Type::timestamp_ltz(3).with_nullable(false).with_time_attr(TimeAttr::Proctime)
                          : t.with_time_attr(TimeAttr::Rowtime);
    out.columns.push_back(derived_column(out.columns, wc, t));
  }
  return out;
}

static WindowSpec window_spec(const sql::WindowTvf& w, const PendingWindow& pending) {
  WindowSpec spec;
  spec.time_column = pending.time_column;
  spec.processing_time = pending.processing_time;
  spec.location = w.loc;
  switch (w.window) {
    case sql::WindowKind::Tumble: spec.kind = WindowKind::Tumble; break;
    case sql::WindowKind::Hop: spec.kind = WindowKind::Hop; break;
    case sql::WindowKind::Cumulate: spec.kind = WindowKind::Cumulate; break;
    case sql::WindowKind::Session: spec.kind = WindowKind::Session; break;
  }
  if (spec.kind == WindowKind::Session) {
    if (!w.gap) throw InputError(w.loc, "SESSION needs a gap: SESSION(TABLE t, DESCRIPTOR(ts), gap)");
    const int64_t gap = signed_interval_millis(*w.gap, "session gap");
    // Flink: WindowUtil.convertToWindowingStrategy.
    if (gap <= 0)
      throw InputError(w.gap->loc, "SESSION table function based aggregate requires gap to be positive, but got gap " +
                                       std::to_string(gap) + " ms.");
    spec.gap = duration_from_millis(gap, w.gap->loc);
    return spec;
  }
  if (!w.size) throw InputError(w.loc, "the window function needs a size");
  spec.size = duration_from_interval(*w.size, "window size");
  if (w.slide) spec.slide = duration_from_interval(*w.slide, "HOP slide");
  if (w.step) spec.step = duration_from_interval(*w.step, "CUMULATE step");
  if (spec.kind == WindowKind::Hop && !spec.slide) throw InputError(w.loc, "HOP needs a slide and a size: HOP(TABLE t, DESCRIPTOR(ts), slide, size)");
  if (spec.kind == WindowKind::Cumulate && !spec.step) throw InputError(w.loc, "CUMULATE needs a step and a size: CUMULATE(TABLE t, DESCRIPTOR(ts), step, size)");
  // Flink's slice assigners (SliceAssigners.java) refuse these, with these words.
  if (spec.kind == WindowKind::Hop && spec.size.millis % spec.slide->millis != 0)
    throw InputError(w.size->loc, "Slicing Hopping Window requires size must be an integral multiple of slide, but got size " +
                                std::to_string(spec.size.millis) + "ms and slide " + std::to_string(spec.slide->millis) + "ms.");
  if (spec.kind == WindowKind::Cumulate && spec.size.millis % spec.step->millis != 0)
    throw InputError(w.size->loc, "Cumulative Window requires maxSize must be an integral multiple of step, but got maxSize " +
                                std::to_string(spec.size.millis) + "ms and step " + std::to_string(spec.step->millis) + "ms.");
  if (w.offset) {
    // Windows repeat every `grid` ms (the slide for HOP, the size otherwise), so an
    // offset only matters modulo the grid: -15 min on 1 h windows is +45 min, and
    // an offset of a whole number of grids is no offset at all (Flink docs, Queries > Window TVF > Window Offset).
    int64_t grid = spec.kind == WindowKind::Hop ? spec.slide->millis : spec.size.millis;
    int64_t offset = signed_interval_millis(*w.offset, "window offset");
    offset = ((offset % grid) + grid) % grid;
    if (offset != 0) spec.offset = duration_from_millis(offset, w.offset->loc);
  }
  return spec;
}

// A duration as Flink's TimeUtils.formatWithHighestUnit writes it: in the largest unit that divides it ("5 min", "90 s").
static std::string highest_unit(int64_t millis) {
  static const std::pair<int64_t, const char*> units[] = {{86400000, "d"}, {3600000, "h"}, {60000, "min"}, {1000, "s"}, {1, "ms"}};
  for (const auto& [size, label] : units)
    if (millis % size == 0) return std::to_string(millis / size) + " " + label;
  return std::to_string(millis) + " ms";
}

// The window as Flink's WindowSpec.toString summarises it (TumblingWindowSpec, HoppingWindowSpec, ...),
// which its window join messages print.
static std::string window_summary(const WindowSpec& spec) {
  std::string s;
  switch (spec.kind) {
    case WindowKind::Tumble: s = "TUMBLE(size=[" + highest_unit(spec.size.millis) + "]"; break;
    case WindowKind::Hop: s = "HOP(size=[" + highest_unit(spec.size.millis) + "], slide=[" + highest_unit(spec.slide->millis) + "]"; break;
    case WindowKind::Cumulate:
      s = "CUMULATE(max_size=[" + highest_unit(spec.size.millis) + "], step=[" + highest_unit(spec.step->millis) + "]";
      break;
    case WindowKind::Session: s = "SESSION(gap=[" + highest_unit(spec.gap->millis) + "]"; break;
  }
  if (spec.offset) s += ", offset=[" + highest_unit(spec.offset->millis) + "]";
  return s + ")";
}

Relation QueryPlanner::materialize_window(Relation rel) {
  const sql::WindowTvf& w = *rel.window->tvf;
  // A row's session is only known when the session closes: Flink plans SESSION in window aggregations
  // (its window Top-N, deduplication and join over SESSION came later, as experimental).
  if (w.window == sql::WindowKind::Session)
    throw InputError(w.loc, "a SESSION window table-valued function is only translated in a window aggregation "
                            "(GROUP BY window_start, window_end and its PARTITION BY columns); its rows cannot be used otherwise yet");
  // Flink translates processing-time windows in window aggregations only
  // (StreamExecWindowTableFunction, and its window join, Top-N and deduplication, refuse them).
  if (rel.window->processing_time)
    throw InputError(w.loc, "Processing time Window TableFunction is not supported yet. (a window TVF on a PROCTIME() column "
                            "is translated in a window aggregation only: GROUP BY window_start, window_end)");
  // The window operator's input is the TVF's input: everything but the three window columns.
  Relation input = rel;
  input.columns.resize(rel.columns.size() - 3);
  Window body{window_spec(w, *rel.window)};
  rel.window_properties =
      WindowProperties{rel.columns[rel.columns.size() - 3].name, rel.columns[rel.columns.size() - 2].name, window_summary(body.window)};
  rel.node = add_operator("window", input.node, std::move(body), w.loc).name;
  rel.window.reset();
  return rel;
}

Relation QueryPlanner::plan_match_recognize(const sql::MatchRecognize& m) {
  Relation input = plan_from(*m.input);
  if (input.window) input = materialize_window(std::move(input));
  if (input.changelog == Changelog::Updating)
    if (auto refusal = MatchRecognize::kind().refuse_updating_input("", input.update_producer))
      throw InputError(m.input->loc, *refusal + " (MATCH_RECOGNIZE needs an append-only input: use a window aggregation)");
  // MEASURES and DEFINE refer to columns by their SQL names; give the operator an
  // input whose column names are exactly those.
  bool renamed = std::any_of(input.columns.begin(), input.columns.end(), [](const RelationColumn& c) { return c.name != c.sql_name; });
  if (renamed) {
    Calc calc;
    calc.select.emplace();
    std::set<std::string> seen;
    for (auto& c : input.columns) {
      if (!seen.insert(c.sql_name).second)
        throw InputError(m.loc, "MATCH_RECOGNIZE input has two columns named '" + c.sql_name + "'; rename one in a subquery");
      calc.select->push_back({c.sql_name, Expr{sql::identifier_sql(c.name), m.loc}, m.loc});
      c.name = c.sql_name;
    }
    input.node = add_calc("rename", input.node, std::move(calc), m.loc);
  }
  if (m.rows_per_match == sql::RowsPerMatch::AllRows)
    throw InputError(m.rows_per_match_loc, "All rows per match mode is not supported yet.");
  MatchRecognize body;
  Relation out;
  for (const auto& p : m.partition_by) {
    if (p->kind != sql::ExprKind::Identifier) throw InputError(p->loc, "PARTITION BY must list columns");
    auto [index, used] = input.resolve(p->as<sql::Identifier>().parts, p->loc);
    if (used != p->as<sql::Identifier>().parts.size()) throw InputError(p->loc, "PARTITION BY must list columns");
    body.partition_by.push_back(input.columns[index].name);
    RelationColumn c = input.columns[index];
    c.qualifiers.clear();
    c.type.time_attr = TimeAttr::None;
    out.columns.push_back(std::move(c));
  }
  for (const auto& o : m.order_by) {
    if (o.expr->kind != sql::ExprKind::Identifier) throw InputError(o.expr->loc, "ORDER BY must list columns");
    auto [index, used] = input.resolve(o.expr->as<sql::Identifier>().parts, o.expr->loc);
    (void)used;
    body.order_by.push_back({input.columns[index].name, o.descending, o.expr->loc});
  }
  // The operator's own rule, on the types the planner knows (time attributes included).
  Schema input_schema;
  for (const auto& c : input.columns) input_schema.columns.push_back({c.name, c.type});
  check_match_order_by(body, input_schema, m.loc);
  for (const auto& ms : m.measures) {
    body.measures.push_back({ms.alias, model_expr(*ms.expr), ms.alias_loc});
    out.columns.push_back(derived_column(out.columns, ms.alias, static_measure_type(*ms.expr, input)));
  }
  switch (m.after_match.kind) {
    case sql::AfterMatchKind::Default:
    case sql::AfterMatchKind::ToNextRow: body.after_match.skip = AfterMatchSkip::ToNextRow; break;
    case sql::AfterMatchKind::PastLastRow: body.after_match.skip = AfterMatchSkip::PastLastRow; break;
    case sql::AfterMatchKind::ToFirst:
      body.after_match = {AfterMatchSkip::ToFirst, m.after_match.variable};
      break;
    case sql::AfterMatchKind::ToLast:
    case sql::AfterMatchKind::ToVariable:  // SKIP TO v means SKIP TO LAST v
      body.after_match = {AfterMatchSkip::ToLast, m.after_match.variable};
      break;
  }
  body.pattern = Expr{m.pattern_text, m.pattern_loc};
  if (m.within) body.within = duration_from_interval(*m.within, "WITHIN");
  for (const auto& d : m.defines) body.define.push_back({d.variable, model_expr(*d.condition), d.loc});
  for (const auto& s : m.subsets) body.subset.push_back({s.name, s.variables, s.loc});
  const Operator& op = add_operator("match_recognize", input.node, std::move(body), m.loc);
  out.node = op.name;
  out.changelog = output_changelog(op, input.changelog);
  return out;
}

namespace {

bool is_group_window_call(const sql::Expr& e);

// Flink drops a DISTINCT whose input is already distinct on the selected columns
// (FlinkAggregateRemoveRule, by the column uniqueness metadata): rows with an
// upsert key among them, or an aggregation that selects all its GROUP BY keys
// (a window aggregation's too: its keys with window_start and window_end).
bool already_distinct(const sql::Select& s, const Relation& rows) {
  if (!rows.upsert_key.empty()) return true;
  bool aggregating = !s.group_by.empty() || s.having != nullptr;
  for (const auto& item : s.items)
    if (contains_aggregate(*item.expr)) aggregating = true;
  if (!aggregating || contains_over(s)) return false;
  for (const auto& g : s.group_by) {
    bool selected = false;
    for (const auto& item : s.items) {
      if (is_group_window_call(*g)) {  // GROUP BY TUMBLE(...): its TUMBLE_START or TUMBLE_END is selected
        const std::string kind = upper(g->as<sql::Call>().name);
        selected = selected || (item.expr->kind == sql::ExprKind::Call &&
                                (upper(item.expr->as<sql::Call>().name) == kind + "_START" ||
                                 upper(item.expr->as<sql::Call>().name) == kind + "_END"));
      } else {
        selected = selected || sql::equal(*item.expr, *g);
      }
    }
    if (!selected) return false;
  }
  return true;  // no GROUP BY: a single row
}

}  // namespace

Relation QueryPlanner::plan_select(const sql::Select& s) {
  if (!s.from) throw InputError(s.loc, "SELECT without FROM is not supported: a pipeline reads from a table");
  bool grouped = false;  // a DISTINCT the SELECT's own plan did
  Relation rows = plan_select_rows(s, grouped);
  if (!s.distinct || grouped || already_distinct(s, rows)) return rows;
  return plan_distinct(std::move(rows), s.loc);
}

// SELECT DISTINCT: Calcite turns it into an Aggregate over the selected rows,
// keyed by every column, with no aggregate calls; Flink plans that as a
// GroupAggregate(groupBy=[a, b], select=[a, b]), an updating result (a row
// is inserted the first time it appears and deleted when its last copy is retracted).
Relation QueryPlanner::plan_distinct(Relation rel, const SourceLocation& loc) {
  if (rel.window) rel = materialize_window(std::move(rel));
  Relation out;
  std::vector<std::string> keys;
  for (RelationColumn c : rel.columns) {
    keys.push_back(c.name);
    c.type.time_attr = TimeAttr::None;  // an aggregation's output has no time attribute
    out.columns.push_back(std::move(c));
  }
  out.update_producer = group_aggregate_description(keys, {});
  const Operator& op = add_operator("distinct", rel.node, GroupAggregate{keys, {}}, loc);
  out.node = op.name;
  out.changelog = output_changelog(op, rel.changelog);
  out.upsert_key = keys;
  return out;
}

std::unique_ptr<sql::Select> QueryPlanner::distinct_as_window_grouping(const sql::Select& s, const Relation& rel) {
  const std::string& window_start = rel.columns[rel.columns.size() - 3].name;
  const std::string& window_end = rel.columns[rel.columns.size() - 2].name;
  bool start = false, end = false;
  for (const auto& item : s.items) {
    bool column = item.expr->kind == sql::ExprKind::Identifier;
    if (column) {
      const auto& id = item.expr->as<sql::Identifier>();
      auto [index, used] = rel.resolve(id.parts, id.loc);
      column = used == id.parts.size();
      start = start || (column && rel.columns[index].name == window_start);
      end = end || (column && rel.columns[index].name == window_end);
    }
    if (!column)
      throw InputError(item.expr->loc, "SELECT DISTINCT over a window table-valued function is translated for listed columns only; "
                                       "write GROUP BY window_start, window_end and the other selected columns");
  }
  if (!start || !end)
    throw InputError(s.loc, "a SELECT DISTINCT over a window table-valued function must select both window_start and window_end");
  auto grouped = std::make_unique<sql::Select>(s.loc);
  for (const auto& item : s.items) {
    grouped->items.push_back({sql::clone(*item.expr), item.alias, item.alias_loc});
    grouped->group_by.push_back(sql::clone(*item.expr));
  }
  if (s.where) grouped->where = sql::clone(*s.where);
  grouped->group_by_loc = s.loc;
  return grouped;
}

Relation QueryPlanner::plan_select_rows(const sql::Select& s, bool& distinct_grouped) {
  if (auto ranked = plan_rank(s)) return *ranked;
  if (auto semi = plan_semi_anti(s)) return *semi;
  // FROM a, b WHERE ...: the WHERE is the join's condition (it is still applied
  // after the join too, where it keeps every joined row).
  comma_where_ = s.from->kind == sql::FromKind::Join && s.from->as<sql::Join>().join == sql::JoinKind::Comma ? s.where.get() : nullptr;
  Relation rel = plan_from(*s.from);
  comma_where_ = nullptr;
  if (contains_over(s)) return plan_over(s, std::move(rel));
  bool aggregating = !s.group_by.empty() || (s.having != nullptr);
  for (const auto& item : s.items)
    if (contains_aggregate(*item.expr)) aggregating = true;
  if (s.distinct && rel.window && !aggregating) {
    // Calcite's Aggregate over the TVF, grouped by window_start and window_end, is
    // Flink's window aggregation: the same SELECT grouped by its columns plans it.
    grouped_distincts_.push_back(distinct_as_window_grouping(s, rel));
    distinct_grouped = true;
    return plan_aggregation(*grouped_distincts_.back(), std::move(rel));
  }
  if (s.where && contains_aggregate(*s.where))
    throw InputError(aggregate_calls(*s.where).front()->loc, "aggregate functions are not allowed in WHERE; use HAVING");
  return aggregating ? plan_aggregation(s, std::move(rel)) : plan_projection(s, std::move(rel));
}

// SELECT items over `rel` as a calc's select list; `*` and `t.*` expand.
std::vector<std::pair<RelationColumn, Expr>> select_list(const sql::Select& s, const Relation& rel,
                                                                std::vector<RelationColumn>& out_columns) {
  std::vector<std::pair<RelationColumn, Expr>> items;
  for (size_t i = 0; i < s.items.size(); ++i) {
    const auto& item = s.items[i];
    if (item.expr->kind == sql::ExprKind::Star) {
      const auto& q = item.expr->as<sql::Star>().qualifier;
      bool any = false;
      for (const auto& c : rel.columns) {
        if (!q.empty() && std::find(c.qualifiers.begin(), c.qualifiers.end(), q.back()) == c.qualifiers.end()) continue;
        if (q.empty() && c.qualified_only) continue;
        RelationColumn oc = derived_column(out_columns, c.sql_name, c.type);
        oc.qualifiers = c.qualifiers;
        out_columns.push_back(oc);
        items.push_back({oc, Expr{sql::identifier_sql(c.name), item.expr->loc}});
        any = true;
      }
      if (!any) throw InputError(item.expr->loc, "'" + (q.empty() ? std::string("*") : q.back() + ".*") + "' matches no column");
      continue;
    }
    sql::ExprPtr rewritten = rewrite_to_unique_names(*item.expr, rel);
    RelationColumn oc = derived_column(out_columns, item_name(item, i), static_type(rel, *item.expr));
    if (item.expr->kind == sql::ExprKind::Identifier && !item.alias) {
      auto [index, used] = rel.resolve(item.expr->as<sql::Identifier>().parts, item.expr->loc);
      if (used == item.expr->as<sql::Identifier>().parts.size()) oc.qualifiers = rel.columns[index].qualifiers;
    }
    out_columns.push_back(oc);
    items.push_back({oc, model_expr(*rewritten)});
  }
  return items;
}

// The window properties after a projection: kept when both bound columns are selected as they are.
static std::optional<WindowProperties> projected_window(const std::optional<WindowProperties>& in,
                                                        const std::vector<std::pair<RelationColumn, Expr>>& items) {
  if (!in) return std::nullopt;
  std::optional<std::string> start, end;
  for (const auto& [col, expr] : items) {
    if (!start && expr.text == sql::identifier_sql(in->start)) start = col.name;
    if (!end && expr.text == sql::identifier_sql(in->end)) end = col.name;
  }
  if (!start || !end) return std::nullopt;
  return WindowProperties{*start, *end, in->spec, in->processing_time};
}

Relation QueryPlanner::plan_projection(const sql::Select& s, Relation rel) {
  if (rel.window) rel = materialize_window(std::move(rel));
  // (Not when `*` leaves columns out: a USING join's sides' copies of its columns.)
  bool select_all = s.items.size() == 1 && s.items[0].expr->kind == sql::ExprKind::Star &&
                    s.items[0].expr->as<sql::Star>().qualifier.empty() &&
                    std::none_of(rel.columns.begin(), rel.columns.end(), [](const RelationColumn& c) { return c.qualified_only; });
  if (select_all && !s.where) return rel;
  Calc calc;
  if (s.where) calc.where = model_expr(*rewrite_to_unique_names(*s.where, rel));
  Relation out;
  out.changelog = rel.changelog;
  out.update_producer = rel.update_producer;
  std::vector<RelationColumn> cols;
  auto items = select_list(s, rel, cols);
  if (!select_all) {
    calc.select.emplace();
    for (auto& [col, expr] : items) calc.select->push_back({col.name, expr, expr.location});
    out.columns = cols;
  } else {
    out.columns = rel.columns;
  }
  // An upsert key survives the projection if every key column is selected as is.
  for (const auto& k : rel.upsert_key) {
    for (const auto& [col, expr] : items)
      if (expr.text == sql::identifier_sql(k)) out.upsert_key.push_back(col.name);
  }
  if (out.upsert_key.size() != rel.upsert_key.size()) out.upsert_key.clear();
  if (select_all) out.upsert_key = rel.upsert_key;
  out.window_properties = select_all ? rel.window_properties : projected_window(rel.window_properties, items);
  out.node = add_calc(s.where ? "filter" : "project", rel.node, std::move(calc), s.loc);
  return out;
}

namespace {

// Where a SELECT or HAVING expression is a GROUP BY expression (as written), it
// becomes a reference to the key column that holds its value.
void replace_group_expressions(sql::ExprPtr& p, const std::vector<std::pair<const sql::Expr*, std::string>>& computed) {
  for (const auto& [expr, column] : computed)
    if (sql::equal(*p, *expr)) {
      auto id = std::make_unique<sql::Identifier>(p->loc);
      id->parts = {column};
      id->part_locs = {p->loc};
      p = std::move(id);
      return;
    }
  for_each_child(*p, [&](sql::ExprPtr& c) { replace_group_expressions(c, computed); });
}

// GROUP BY TUMBLE(ts, size) / HOP(ts, slide, size) / SESSION(ts, gap): Flink's
// legacy group window functions (Flink docs, Queries > Group Window Aggregation).
bool is_group_window_call(const sql::Expr& e) {
  if (e.kind != sql::ExprKind::Call || !e.as<sql::Call>().qualifier.empty()) return false;
  std::string n = upper(e.as<sql::Call>().name);
  return n == "TUMBLE" || n == "HOP" || n == "SESSION";
}

const sql::Call* group_window_call(const sql::Select& s) {
  const sql::Call* found = nullptr;
  for (const auto& g : s.group_by) {
    if (!is_group_window_call(*g)) continue;
    if (found) throw InputError(g->loc, "GROUP BY may name one group window (TUMBLE, HOP or SESSION)");
    found = &g->as<sql::Call>();
  }
  return found;
}

// TUMBLE_START(ts, size) and its kin over the GROUP BY's window become the window
// columns: *_START -> window_start, *_END -> window_end, *_ROWTIME -> window_time.
void replace_window_properties(sql::ExprPtr& p, const sql::Call& window, const std::vector<std::string>& window_columns,
                               bool processing_time) {
  if (p->kind == sql::ExprKind::Call && p->as<sql::Call>().qualifier.empty()) {
    const auto& call = p->as<sql::Call>();
    const std::string n = upper(call.name), prefix = upper(window.name) + "_";
    if (n.rfind(prefix, 0) == 0) {
      const std::string property = n.substr(prefix.size());
      // *_ROWTIME reads an event-time window's window_time, *_PROCTIME a processing-time one's.
      const char* time_property = processing_time ? "PROCTIME" : "ROWTIME";
      int which = property == "START" ? 0 : property == "END" ? 1 : property == time_property ? 2 : -1;
      if (property == "PROCTIME" && !processing_time) throw InputError(call.loc, n + " is not supported: the window is on event time");
      if (property == "ROWTIME" && processing_time)
        throw InputError(call.loc, n + " is not supported: the window is on processing time (use " + prefix + "PROCTIME)");
      if (which >= 0) {
        bool same = call.args.size() == window.args.size();
        for (size_t i = 0; same && i < call.args.size(); ++i) same = sql::equal(*call.args[i], *window.args[i]);
        if (!same)
          throw InputError(call.loc, n + " must repeat the arguments of the GROUP BY's " + upper(window.name) + "(...)");
        auto id = std::make_unique<sql::Identifier>(p->loc);
        id->parts = {window_columns[static_cast<size_t>(which)]};
        id->part_locs = {p->loc};
        p = std::move(id);
        return;
      }
    }
  }
  for_each_child(*p, [&](sql::ExprPtr& c) { replace_window_properties(c, window, window_columns, processing_time); });
}

}  // namespace

QueryPlanner::GroupKeys QueryPlanner::group_keys(const sql::Select& s, Relation& rel) {
  GroupKeys keys;
  std::vector<const sql::Expr*> expressions;
  auto add_key = [&](size_t index) {
    if (std::find(keys.indexes.begin(), keys.indexes.end(), index) == keys.indexes.end()) keys.indexes.push_back(index);
  };
  const size_t window_start = rel.columns.size() - 3;  // with a window (TVF or GROUP BY TUMBLE(...)), its columns are last
  for (const auto& g : s.group_by) {
    if (is_group_window_call(*g)) {  // GROUP BY TUMBLE(...): by window_start and window_end
      add_key(window_start);
      add_key(window_start + 1);
      continue;
    }
    if (g->kind == sql::ExprKind::Identifier) {
      auto [index, used] = rel.resolve(g->as<sql::Identifier>().parts, g->loc);
      if (used == g->as<sql::Identifier>().parts.size()) {
        add_key(index);
        continue;
      }
    }
    if (contains_aggregate(*g)) throw InputError(aggregate_calls(*g).front()->loc, "aggregate functions are not allowed in GROUP BY");
    bool seen = std::any_of(expressions.begin(), expressions.end(), [&](const sql::Expr* e) { return sql::equal(*e, *g); });
    if (!seen) expressions.push_back(g.get());
  }
  if (expressions.empty()) return keys;
  // One calc passes the input through and appends the computed keys; before a
  // window aggregation it runs on the TVF's input, so window columns stay last.
  const size_t window_width = rel.window ? 3 : 0;
  const size_t input_width = rel.columns.size() - window_width;
  std::set<std::string> window_columns;
  for (size_t i = input_width; i < rel.columns.size(); ++i) window_columns.insert(rel.columns[i].name);
  Calc calc;
  calc.select.emplace();
  std::vector<RelationColumn> columns(rel.columns.begin(), rel.columns.begin() + static_cast<std::ptrdiff_t>(input_width));
  for (const auto& c : columns) calc.select->push_back({c.name, Expr{sql::identifier_sql(c.name), s.loc}, s.loc});
  std::vector<RelationColumn> window_tail(rel.columns.begin() + static_cast<std::ptrdiff_t>(input_width), rel.columns.end());
  for (const sql::Expr* e : expressions) {
    if (!window_columns.empty() && references_any(*e, rel, window_columns))
      throw InputError(e->loc, "a GROUP BY expression over window_start/window_end/window_time is not supported; group by the window columns themselves");
    // Calcite names a projected group expression after its position: $f<i>.
    RelationColumn c = derived_column(columns, "$f" + std::to_string(columns.size()), Type::null_type());
    c.sql_name = c.name;
    calc.select->push_back({c.name, model_expr(*rewrite_to_unique_names(*e, rel)), e->loc});
    keys.computed.push_back({e, c.name});
    columns.push_back(std::move(c));
  }
  rel.node = add_calc("project", rel.node, std::move(calc), s.group_by_loc);
  const size_t first_computed = columns.size() - expressions.size();
  for (auto& c : window_tail) columns.push_back(std::move(c));
  rel.columns = std::move(columns);
  // The keys in GROUP BY order: plain columns where they are, expressions in their new columns.
  keys.indexes.clear();
  for (const auto& g : s.group_by) {
    if (is_group_window_call(*g)) {
      add_key(rel.columns.size() - 3);
      add_key(rel.columns.size() - 2);
      continue;
    }
    auto it = std::find_if(keys.computed.begin(), keys.computed.end(), [&](const auto& k) { return sql::equal(*k.first, *g); });
    if (it != keys.computed.end()) add_key(first_computed + static_cast<size_t>(it - keys.computed.begin()));
    else add_key(rel.resolve(g->as<sql::Identifier>().parts, g->loc).first);
  }
  return keys;
}

// Flink turns an aggregation over a SESSION TVF into a window aggregation only
// when its keys (besides the window columns) are the TVF's PARTITION BY columns
// (WindowUtil.validGroupKeyPartitionKey); otherwise it plans the TVF on its own
// and a regular aggregation after it, which Ananas does not translate.
void QueryPlanner::check_session_partition(const sql::WindowTvf& w, const Relation& rel, const std::vector<std::string>& keys,
                                           const sql::Select& s) {
  if (w.window != sql::WindowKind::Session || w.partitioned_by_group_keys) return;
  std::set<std::string> partition;
  for (size_t i = 0; i < w.partition_by.size(); ++i) {
    auto [index, used] = rel.resolve(w.partition_by[i], w.partition_by_locs[i]);
    if (used != w.partition_by[i].size()) throw InputError(w.partition_by_locs[i], "PARTITION BY must name a column");
    partition.insert(rel.columns[index].name);
  }
  if (partition == std::set<std::string>(keys.begin(), keys.end())) return;
  std::string listed;
  for (const auto& p : w.partition_by) listed += (listed.empty() ? "" : ", ") + p.back();
  throw InputError(s.group_by.empty() ? s.loc : s.group_by_loc,
                   "a GROUP BY over a SESSION window must group by window_start, window_end and exactly the PARTITION BY columns (" +
                       (listed.empty() ? std::string("none") : listed) +
                       "): Flink plans any other grouping as a session window table function followed by a regular aggregation, "
                       "which Ananas does not translate");
}

Relation QueryPlanner::apply_group_window(Relation rel, const sql::Call& call) {
  const std::string kind = upper(call.name);
  if (rel.window) throw InputError(call.loc, "a GROUP BY " + kind + "(...) cannot group a window table-valued function's rows");
  const size_t arity = kind == "HOP" ? 3 : 2;
  if (call.args.size() != arity)
    throw InputError(call.loc, kind == "TUMBLE"  ? "TUMBLE takes a time attribute and a size: TUMBLE(ts, INTERVAL '1' MINUTE)"
                               : kind == "HOP" ? "HOP takes a time attribute, a slide and a size: HOP(ts, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE)"
                                               : "SESSION takes a time attribute and a gap: SESSION(ts, INTERVAL '5' MINUTE)");
  const sql::Expr& time = *call.args[0];
  if (time.kind != sql::ExprKind::Identifier) throw InputError(time.loc, kind + "'s first argument must be a time attribute column");
  // The same window as TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), size)) / TABLE(HOP(..., slide, size)) /
  // TABLE(SESSION(TABLE t PARTITION BY keys, DESCRIPTOR(ts), gap)): a group window's sessions are per group.
  auto w = std::make_unique<sql::WindowTvf>(call.loc);
  w->window = kind == "TUMBLE" ? sql::WindowKind::Tumble : kind == "HOP" ? sql::WindowKind::Hop : sql::WindowKind::Session;
  w->function_name = call.name;
  w->time_column = time.as<sql::Identifier>().parts;
  w->time_column_loc = time.loc;
  if (kind == "TUMBLE") {
    w->size = sql::clone(*call.args[1]);
  } else if (kind == "SESSION") {
    w->gap = sql::clone(*call.args[1]);
    w->partitioned_by_group_keys = true;
  } else {
    w->slide = sql::clone(*call.args[1]);
    w->size = sql::clone(*call.args[2]);
  }
  legacy_windows_.push_back(std::move(w));
  return apply_window(std::move(rel), *legacy_windows_.back());
}

namespace {

// Calcite's order of grouping sets (ImmutableBitSet.COMPARATOR, which
// Aggregate keeps its groupSets in, and Flink's Expand emits them in): a set
// before the sets it contains, otherwise lexicographically by input column.
bool calcite_set_before(const std::vector<size_t>& a, const std::vector<size_t>& b) {
  auto contains = [](const std::vector<size_t>& big, const std::vector<size_t>& small) {
    return std::includes(big.begin(), big.end(), small.begin(), small.end());
  };
  if (a == b) return false;
  if (contains(a, b)) return true;
  if (contains(b, a)) return false;
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

}  // namespace

// GROUPING SETS / ROLLUP / CUBE (Flink docs, Queries > Group Aggregation >
// GROUPING SETS): an expand node repeats each row once per set, with the
// grouping columns the set leaves out NULL and the set's id in `$e`; the
// GROUP BY is then keyed by every grouping column and `$e`. Returns the key
// indexes (the grouping columns, then `$e`) in the expanded relation.
std::vector<size_t> QueryPlanner::expand_grouping_sets(const sql::Select& s, const GroupKeys& group, Relation& rel,
                                                       GroupingSetsIds& ids) {
  if (rel.window) throw InputError(s.group_by_loc, "GROUPING SETS, ROLLUP and CUBE over a window are not supported yet");
  std::vector<size_t> column_of;  // per GROUP BY expression: its key column
  for (const auto& g : s.group_by) {
    if (is_group_window_call(*g)) throw InputError(g->loc, "GROUPING SETS, ROLLUP and CUBE with a group window are not supported yet");
    auto computed = std::find_if(group.computed.begin(), group.computed.end(), [&](const auto& k) { return sql::equal(*k.first, *g); });
    if (computed != group.computed.end()) column_of.push_back(*rel.find_unique(computed->second));
    else column_of.push_back(rel.resolve(g->as<sql::Identifier>().parts, g->loc).first);
  }
  std::vector<std::vector<size_t>> sets;
  for (const auto& set : s.grouping_sets) {
    std::vector<size_t> columns;
    for (size_t i : set) columns.push_back(column_of[i]);
    std::sort(columns.begin(), columns.end());
    columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
    if (std::find(sets.begin(), sets.end(), columns) != sets.end())
      throw InputError(s.group_by_loc, "a grouping set is listed twice: Ananas does not translate duplicate grouping sets (Flink adds GROUP_ID() for them)");
    sets.push_back(std::move(columns));
  }
  std::stable_sort(sets.begin(), sets.end(), calcite_set_before);
  std::vector<size_t> grouping = group.indexes;
  Expand body;
  for (size_t k : grouping) body.grouping.push_back(rel.columns[k].name);
  for (const auto& set : sets) {
    std::vector<std::string> kept;
    for (size_t k : grouping)
      if (std::binary_search(set.begin(), set.end(), k)) kept.push_back(rel.columns[k].name);
    body.sets.push_back(std::move(kept));
  }
  RelationColumn id = derived_column(rel.columns, "$e", Type::bigint().with_nullable(false));
  id.sql_name = id.name;
  body.id_column = id.name;
  ids = {grouping, sets, id.sql_name};
  const Operator& op = add_operator("expand", rel.node, std::move(body), s.group_by_loc);
  rel.node = op.name;
  for (size_t k : grouping) rel.columns[k].type = rel.columns[k].type.with_nullable(true);
  rel.columns.push_back(std::move(id));
  grouping.push_back(rel.columns.size() - 1);
  return grouping;
}

Relation QueryPlanner::plan_aggregation(const sql::Select& s, Relation rel) {
  const sql::Call* group_window = group_window_call(s);
  if (group_window) rel = apply_group_window(std::move(rel), *group_window);
  // 1. WHERE runs before the aggregation, on the (unnested) rows.
  std::set<std::string> window_columns;
  if (rel.window)
    for (size_t i = rel.columns.size() - 3; i < rel.columns.size(); ++i) window_columns.insert(rel.columns[i].name);
  if (s.where) {
    if (rel.window && references_any(*s.where, rel, window_columns))
      throw InputError(s.where->loc, "a WHERE on window_start/window_end/window_time before a window aggregation is not supported; filter with HAVING");
    Relation input = rel;
    if (rel.window) input.columns.resize(rel.columns.size() - 3);
    Calc calc;
    calc.where = model_expr(*rewrite_to_unique_names(*s.where, rel));
    rel.node = add_calc("filter", input.node, std::move(calc), s.where->loc);
  }
  // 2. Group keys: columns of the input, computed first where they are expressions.
  GroupKeys group = group_keys(s, rel);
  std::vector<size_t> key_indexes = group.indexes;
  GroupingSetsIds grouping_ids{group.indexes, {}, {}};
  if (!s.grouping_sets.empty()) key_indexes = expand_grouping_sets(s, group, rel, grouping_ids);
  // A GROUPING() argument's key column: a computed key by its expression, else a grouped column.
  auto grouped_column = [&](const sql::Expr& arg) -> std::optional<size_t> {
    for (const auto& [expr, column] : group.computed)
      if (sql::equal(arg, *expr)) return rel.find_unique(column);
    if (arg.kind != sql::ExprKind::Identifier) return std::nullopt;
    const auto& parts = arg.as<sql::Identifier>().parts;
    auto [index, used] = rel.resolve(parts, arg.loc);
    if (used != parts.size() || std::find(group.indexes.begin(), group.indexes.end(), index) == group.indexes.end())
      return std::nullopt;
    return index;
  };
  std::vector<std::string> window_names;  // what TUMBLE_START(...) and its kin read
  const bool processing_time_window = rel.window && rel.window->processing_time;
  if (group_window)
    for (size_t i = rel.columns.size() - 3; i < rel.columns.size(); ++i) window_names.push_back(rel.columns[i].name);
  // 3. Aggregate calls of SELECT and HAVING, each computed once.
  AggregateList aggs;
  for (const auto& item : s.items) collect_aggregates(*item.expr, aggs);
  if (s.having) collect_aggregates(*s.having, aggs);
  std::vector<Aggregate> model_aggs;
  std::vector<RelationColumn> agg_columns;
  for (size_t i = 0; i < aggs.calls.size(); ++i) {
    const sql::Call& call = *aggs.calls[i];
    // Name it after its alias when a select item is exactly this call.
    std::string wanted = "agg" + std::to_string(i);
    for (const auto& item : s.items)
      if (item.alias && sql::equal(*item.expr, call)) wanted = *item.alias;
    Aggregate a;
    a.function = upper(call.name);
    a.distinct = call.distinct;
    a.location = call.loc;
    for (const auto& arg : call.args) a.args.push_back(model_expr(*rewrite_to_unique_names(*arg, rel)));
    if (call.filter) a.filter = model_expr(*rewrite_to_unique_names(*call.filter, rel));
    const Type arg_type = call.args.empty() ? Type::null_type() : static_type(rel, *call.args[0]);
    // Flink computes these in DECIMAL(38, max(6, s)) arithmetic, which the accumulator does not reproduce.
    if (arg_type.id == TypeId::Decimal && (a.function.rfind("VAR", 0) == 0 || a.function.rfind("STDDEV", 0) == 0))
      throw InputError(call.loc, a.function + " over DECIMAL is not supported yet; CAST the argument to DOUBLE");
    Type t = aggregate_result_type(a.function, arg_type);
    agg_columns.push_back(derived_column(agg_columns, wanted, t));
    model_aggs.push_back(std::move(a));
  }
  // 4. The aggregation node, window or not.
  Relation agg;
  bool windowed = rel.window && window_columns.size() == 3;
  std::vector<std::string> keys;
  if (windowed) {
    const std::string ws = rel.columns[rel.columns.size() - 3].name, we = rel.columns[rel.columns.size() - 2].name;
    bool has_start = false, has_end = false;
    for (size_t k : key_indexes) {
      has_start = has_start || rel.columns[k].name == ws;
      has_end = has_end || rel.columns[k].name == we;
    }
    if (!has_start || !has_end)
      throw InputError(s.group_by.empty() ? s.loc : s.group_by_loc,
                       "a GROUP BY over a window table-valued function must group by both window_start and window_end");
  }
  for (size_t k : key_indexes)
    if (!windowed || !window_columns.count(rel.columns[k].name)) keys.push_back(rel.columns[k].name);
  if (windowed) check_session_partition(*rel.window->tvf, rel, keys, s);
  for (size_t k : key_indexes) {
    if (windowed && window_columns.count(rel.columns[k].name)) continue;
    RelationColumn c = rel.columns[k];
    c.type.time_attr = TimeAttr::None;
    agg.columns.push_back(c);
  }
  for (auto& c : agg_columns) {
    c.name = unique_column_name(agg.columns, c.name);
    agg.columns.push_back(c);
  }
  for (size_t i = 0; i < model_aggs.size(); ++i) model_aggs[i].name = agg.columns[agg.columns.size() - model_aggs.size() + i].name;
  if (windowed) {
    for (size_t i = rel.columns.size() - 3; i < rel.columns.size(); ++i) agg.columns.push_back(rel.columns[i]);
    WindowAggregate body{window_spec(*rel.window->tvf, *rel.window), keys, model_aggs};
    agg.window_properties = WindowProperties{rel.columns[rel.columns.size() - 3].name, rel.columns[rel.columns.size() - 2].name,
                                             window_summary(body.window), body.window.processing_time};
    const Operator& op = add_operator("window_aggregate", rel.node, std::move(body), s.loc);
    agg.node = op.name;
    agg.changelog = output_changelog(op, rel.changelog);
  } else {
    if (rel.window) throw InputError(s.loc, "a window table-valued function must be grouped by window_start and window_end");
    agg.update_producer = group_aggregate_description(keys, model_aggs);
    GroupAggregate body{keys, model_aggs};
    const Operator& op = add_operator("aggregate", rel.node, std::move(body), s.loc);
    agg.node = op.name;
    agg.changelog = output_changelog(op, rel.changelog);
    agg.upsert_key = keys;
  }
  // 5. HAVING and the SELECT list over the aggregation's output. Aggregate calls
  // become references to their result columns; other column references must be keys.
  Relation post = agg;
  for (auto& c : post.columns)
    for (const auto& a : model_aggs)
      if (c.name == a.name) c.sql_name = a.name;  // aggregate results are referenced by their column name
  auto resolve_post = [&](const sql::Expr& e) {
    sql::ExprPtr replaced = replace_aggregates(e, aggs, [&](size_t i) { return model_aggs[i].name; });
    replace_grouping_functions(replaced, grouping_ids, grouped_column);
    replace_group_expressions(replaced, group.computed);
    if (group_window) replace_window_properties(replaced, *group_window, window_names, processing_time_window);
    check_grouped(*replaced, post, rel);
    return rewrite_to_unique_names(*replaced, post);
  };
  Calc calc;
  if (s.having) calc.where = model_expr(*resolve_post(*s.having));
  calc.select.emplace();
  std::vector<std::pair<RelationColumn, Expr>> selected;  // for the window properties
  Relation out;
  out.changelog = agg.changelog;
  out.update_producer = agg.update_producer;
  for (size_t i = 0; i < s.items.size(); ++i) {
    const auto& item = s.items[i];
    if (item.expr->kind == sql::ExprKind::Star) throw InputError(item.expr->loc, "SELECT * cannot be used with GROUP BY; list the columns");
    sql::ExprPtr e = resolve_post(*item.expr);
    // `e` names columns by their unique names now, which SQL resolution (by SQL name) may not know.
    Type t = Type::null_type();
    if (e->kind == sql::ExprKind::Identifier && e->as<sql::Identifier>().parts.size() == 1) {
      if (auto idx = post.find_unique(e->as<sql::Identifier>().parts[0])) t = post.columns[*idx].type;
    } else if (e->kind == sql::ExprKind::Cast) {
      t = e->as<sql::Cast>().target;
    }
    RelationColumn c = derived_column(out.columns, item_name(item, i), t);
    if (e->kind == sql::ExprKind::Identifier) {
      auto idx = post.find_unique(e->as<sql::Identifier>().parts[0]);
      if (idx) c.qualifiers = post.columns[*idx].qualifiers;
      if (idx && std::find(agg.upsert_key.begin(), agg.upsert_key.end(), post.columns[*idx].name) != agg.upsert_key.end())
        out.upsert_key.push_back(c.name);
    }
    calc.select->push_back({c.name, model_expr(*e), item.expr->loc});
    selected.emplace_back(c, model_expr(*e));
    out.columns.push_back(std::move(c));
  }
  out.window_properties = projected_window(agg.window_properties, selected);
  if (out.upsert_key.size() != agg.upsert_key.size()) out.upsert_key.clear();
  out.node = add_calc(s.having ? "having" : "project", agg.node, std::move(calc), s.having ? s.having->loc : s.loc);
  return out;
}

}  // namespace ananas::pipeline::planner
