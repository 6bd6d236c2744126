// Operators: the common keys, then one reader per operator type.
#include "pipelines/yaml/load_parts.hpp"

namespace ananas::pipeline::yaml {

namespace {

const std::vector<std::string> kCommonKeys = {"name", "type", "input", "parallelism", "key"};

std::vector<std::string> with_common(std::initializer_list<std::string> specific) {
  std::vector<std::string> keys = kCommonKeys;
  keys.insert(keys.end(), specific);
  return keys;
}

std::vector<NamedExpr> read_named_exprs(const NodeReader& list) {
  list.expect_list();
  std::vector<NamedExpr> out;
  for (size_t i = 0; i < list.node().size(); ++i) {
    const NodeReader item = list.item(i, item_label(list.node()[i]));
    MapReader m(item.source(), item.node(), item.path());
    m.allow_only({"name", "expr"});
    NamedExpr e;
    e.location = m.location();
    e.name = m.require("name").as_identifier();
    e.expr = m.require("expr").as_expr();
    for (const auto& earlier : out)
      if (earlier.name == e.name) item.fail("duplicate name '" + e.name + "'");
    out.push_back(std::move(e));
  }
  return out;
}

// An ordered mapping `name: expression` (DEFINE).
std::vector<NamedExpr> read_expr_map(const NodeReader& node) {
  MapReader m(node.source(), node.node(), node.path());
  std::vector<NamedExpr> out;
  for (auto it = node.node().begin(); it != node.node().end(); ++it) {
    const std::string name = it->first.Scalar();
    NodeReader value(node.source(), it->second, m.child_path(name), node.located(it->first));
    out.push_back(NamedExpr{name, value.as_expr(), node.located(it->first)});
  }
  return out;
}

std::vector<Aggregate> read_aggregates(const NodeReader& list) {
  list.expect_list();
  std::vector<Aggregate> out;
  for (size_t i = 0; i < list.node().size(); ++i) {
    const NodeReader item = list.item(i, item_label(list.node()[i]));
    MapReader m(item.source(), item.node(), item.path());
    m.allow_only({"name", "function", "args", "distinct", "filter"});
    Aggregate a;
    a.location = m.location();
    a.name = m.require("name").as_identifier();
    a.function = m.require("function").as_identifier();
    if (auto args = m.optional("args")) {
      args->expect_list();
      for (size_t k = 0; k < args->node().size(); ++k) a.args.push_back(args->item(k).as_expr());
    }
    if (auto distinct = m.optional("distinct")) a.distinct = distinct->as_bool();
    if (auto filter = m.optional("filter")) a.filter = filter->as_expr();
    for (const auto& earlier : out)
      if (earlier.name == a.name) item.fail("duplicate aggregate name '" + a.name + "'");
    out.push_back(std::move(a));
  }
  return out;
}

Duration positive_duration(const NodeReader& node) {
  Duration d = node.as_duration();
  if (d.millis <= 0) node.fail("duration must be positive, got '" + d.text + "'");
  return d;
}

WindowSpec read_window_spec(const NodeReader& node) {
  MapReader m(node.source(), node.node(), node.path());
  WindowSpec w;
  w.location = m.location();
  const NodeReader kind = m.require("kind");
  const std::string kind_text = kind.as_string();
  const auto parsed = window_kind_from_string(kind_text);
  if (!parsed) {
    std::string message = "unknown window kind '" + kind_text + "' (expected tumble, hop or cumulate)";
    const std::string best = closest_match(kind_text, window_kind_names());
    kind.fail(best.empty() ? message : "unknown window kind '" + kind_text + "' (did you mean '" + best + "'?)");
  }
  w.kind = *parsed;
  const std::vector<std::string> window_keys = {"kind", "time_column", "size", "slide", "step", "offset"};
  switch (w.kind) {
    case WindowKind::Tumble:
      m.allow_only({"kind", "time_column", "size", "offset"}, "for a tumble window", window_keys);
      break;
    case WindowKind::Hop:
      m.allow_only({"kind", "time_column", "size", "slide", "offset"}, "for a hop window", window_keys);
      break;
    case WindowKind::Cumulate:
      m.allow_only({"kind", "time_column", "size", "step", "offset"}, "for a cumulate window", window_keys);
      break;
  }
  w.time_column = m.require("time_column").as_identifier();
  w.size = positive_duration(m.require("size"));
  if (w.kind == WindowKind::Hop) w.slide = positive_duration(m.require("slide"));
  if (w.kind == WindowKind::Cumulate) {
    const NodeReader step = m.require("step");
    w.step = positive_duration(step);
    // Flink: the max size of a cumulating window must be an integral multiple of the step.
    if (w.size.millis % w.step->millis != 0)
      step.fail("window size " + w.size.text + " is not a multiple of step " + w.step->text);
  }
  if (auto offset = m.optional("offset")) w.offset = offset->as_duration();
  return w;
}

Unnest read_unnest(const MapReader& m) {
  Unnest u;
  u.array = m.require("array").as_expr();
  const NodeReader columns = m.require("columns");
  u.columns = columns.as_identifier_list();
  if (u.columns.empty()) columns.fail("needs at least one column name");
  if (auto ordinality = m.optional("with_ordinality")) u.with_ordinality = ordinality->as_bool();
  if (u.with_ordinality && u.columns.size() < 2)
    columns.fail("with_ordinality needs the element column(s) and, last, the ordinality column");
  return u;
}

Calc read_calc(const MapReader& m) {
  Calc c;
  if (auto where = m.optional("where")) c.where = where->as_expr();
  if (auto select = m.optional("select")) {
    c.select = read_named_exprs(*select);
    if (c.select->empty()) select->fail("needs at least one item (leave 'select' out to keep all columns)");
  }
  if (!c.where && !c.select) m.fail("a calc needs 'where', 'select' or both");
  return c;
}

template <typename Aggregating>
void read_keys_and_aggregates(const MapReader& m, Aggregating& a) {
  if (auto keys = m.optional("keys")) a.keys = keys->as_identifier_list();
  if (auto aggregates = m.optional("aggregates")) a.aggregates = read_aggregates(*aggregates);
}

GroupAggregate read_group_aggregate(const MapReader& m) {
  GroupAggregate g;
  read_keys_and_aggregates(m, g);
  if (g.keys.empty() && g.aggregates.empty()) m.fail("a group_aggregate needs 'keys', 'aggregates' or both");
  return g;
}

WindowAggregate read_window_aggregate(const MapReader& m) {
  WindowAggregate w;
  w.window = read_window_spec(m.require("window"));
  read_keys_and_aggregates(m, w);
  return w;
}

AfterMatch read_after_match(const NodeReader& node) {
  MapReader m(node.source(), node.node(), node.path());
  m.allow_only({"skip", "variable"});
  AfterMatch a;
  const NodeReader skip = m.require("skip");
  const std::string text = skip.as_string();
  const auto parsed = after_match_skip_from_string(text);
  if (!parsed) {
    std::string message = "unknown skip strategy '" + text + "'";
    const std::string best = closest_match(text, after_match_skip_names());
    skip.fail(best.empty() ? message + " (expected past_last_row, to_next_row, to_first or to_last)"
                           : message + " (did you mean '" + best + "'?)");
  }
  a.skip = *parsed;
  const bool needs_variable = a.skip == AfterMatchSkip::ToFirst || a.skip == AfterMatchSkip::ToLast;
  if (auto variable = m.optional("variable")) {
    if (!needs_variable) m.fail_at_key("variable", "'variable' applies to to_first and to_last only");
    a.variable = variable->as_identifier();
  } else if (needs_variable) {
    m.fail("missing required key 'variable' (skip " + text + " names a pattern variable)");
  }
  return a;
}

MatchRecognize read_match_recognize(const MapReader& m) {
  MatchRecognize r;
  if (auto partition = m.optional("partition_by")) r.partition_by = partition->as_identifier_list();
  const NodeReader order = m.require("order_by");
  order.expect_list();
  if (order.node().size() == 0) order.fail("needs the time attribute to order by");
  for (size_t i = 0; i < order.node().size(); ++i) {
    const NodeReader item = order.item(i);
    MapReader o(item.source(), item.node(), item.path());
    o.allow_only({"column", "descending"});
    OrderKey k;
    k.location = o.location();
    k.column = o.require("column").as_identifier();
    if (auto descending = o.optional("descending")) k.descending = descending->as_bool();
    r.order_by.push_back(std::move(k));
  }
  r.measures = read_named_exprs(m.require("measures"));
  if (auto rows = m.optional("rows_per_match")) {
    r.rows_per_match = rows->as_string();
    if (r.rows_per_match != "one")
      rows->fail("unsupported rows_per_match '" + r.rows_per_match + "' (Flink streams support only 'one')");
  }
  if (auto after = m.optional("after_match")) r.after_match = read_after_match(*after);
  r.pattern = m.require("pattern").as_expr();
  if (auto within = m.optional("within")) r.within = positive_duration(*within);
  if (auto define = m.optional("define")) r.define = read_expr_map(*define);
  if (auto subset = m.optional("subset")) {
    MapReader s(subset->source(), subset->node(), subset->path());
    for (auto it = subset->node().begin(); it != subset->node().end(); ++it) {
      const std::string name = it->first.Scalar();
      NodeReader variables(subset->source(), it->second, s.child_path(name), subset->located(it->first));
      Subset entry{name, variables.as_identifier_list(), subset->located(it->first)};
      if (entry.variables.empty()) variables.fail("a subset needs at least one variable");
      r.subset.push_back(std::move(entry));
    }
  }
  return r;
}

std::vector<std::string> keys_for(OperatorType type) {
  switch (type) {
    case OperatorType::Unnest:
      return with_common({"array", "columns", "with_ordinality"});
    case OperatorType::Calc:
      return with_common({"where", "select"});
    case OperatorType::GroupAggregate:
      return with_common({"keys", "aggregates"});
    case OperatorType::WindowAggregate:
      return with_common({"window", "keys", "aggregates"});
    case OperatorType::Window:
      return with_common({"window"});
    case OperatorType::UpsertMaterialize:
      return with_common({});
    case OperatorType::MatchRecognize:
      return with_common({"partition_by", "order_by", "measures", "rows_per_match", "after_match", "pattern",
                          "within", "define", "subset"});
  }
  return kCommonKeys;
}

}  // namespace

Operator read_operator(const NodeReader& node) {
  MapReader m(node.source(), node.node(), node.path());
  const NodeReader type_node = m.require("type");
  const std::string type_text = type_node.as_string();
  const auto type = operator_type_from_string(type_text);
  if (!type) {
    std::string message = "unknown operator type '" + type_text + "'";
    const std::string best = closest_match(type_text, operator_type_names());
    if (!best.empty()) {
      message += " (did you mean '" + best + "'?)";
    } else {
      message += " (expected one of:";
      for (const auto& n : operator_type_names()) message += " " + n;
      message += ")";
    }
    type_node.fail(message);
  }
  std::vector<std::string> all_operator_keys;
  for (const auto& t : operator_type_names()) {
    const auto keys = keys_for(*operator_type_from_string(t));
    all_operator_keys.insert(all_operator_keys.end(), keys.begin(), keys.end());
  }
  m.allow_only(keys_for(*type), "for operator type " + type_text, all_operator_keys);

  Operator op;
  op.location = m.location();
  op.name = m.require("name").as_name();
  const NodeReader input = m.require("input");
  op.input = input.as_name();
  op.input_location = input.location();
  if (auto parallelism = m.optional("parallelism")) {
    const int64_t p = parallelism->as_integer();
    if (p < 1 || p > 65536) parallelism->fail("parallelism must be between 1 and 65536, got " + std::to_string(p));
    op.parallelism = static_cast<int>(p);
  }
  if (auto key = m.optional("key")) op.key = key->as_identifier_list();

  switch (*type) {
    case OperatorType::Unnest:
      op.body = read_unnest(m);
      break;
    case OperatorType::Calc:
      op.body = read_calc(m);
      break;
    case OperatorType::GroupAggregate:
      op.body = read_group_aggregate(m);
      break;
    case OperatorType::WindowAggregate:
      op.body = read_window_aggregate(m);
      break;
    case OperatorType::Window:
      op.body = Window{read_window_spec(m.require("window"))};
      break;
    case OperatorType::UpsertMaterialize:
      if (op.key.empty()) m.fail("missing required key 'key' (the upsert key: the sink's primary key)");
      op.body = UpsertMaterialize{};
      break;
    case OperatorType::MatchRecognize:
      op.body = read_match_recognize(m);
      break;
  }
  return op;
}

}  // namespace ananas::pipeline::yaml
