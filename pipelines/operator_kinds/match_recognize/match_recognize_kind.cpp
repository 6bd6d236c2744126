// match_recognize: row pattern recognition (MATCH_RECOGNIZE), one row per match.
#include "pipelines/operator_kinds/common/yaml_parts.hpp"
#include "pipelines/operator_kinds/match_recognize/match_recognize.hpp"
#include "pipelines/operator_kinds/match_recognize/match_recognize_config.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"

namespace ananas::pipeline {

namespace {

// An ordered mapping `name: expression` (DEFINE).
std::vector<NamedExpr> read_expr_map(const yaml::NodeReader& node) {
  yaml::MapReader m(node.source(), node.node(), node.path());
  std::vector<NamedExpr> out;
  for (auto it = node.node().begin(); it != node.node().end(); ++it) {
    const std::string name = it->first.Scalar();
    yaml::NodeReader value(node.source(), it->second, m.child_path(name), node.located(it->first));
    out.push_back(NamedExpr{name, value.as_expr(), node.located(it->first)});
  }
  return out;
}

AfterMatch read_after_match(const yaml::NodeReader& node) {
  yaml::MapReader m(node.source(), node.node(), node.path());
  m.allow_only({"skip", "variable"});
  AfterMatch a;
  const yaml::NodeReader skip = m.require("skip");
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

class MatchRecognizeKind final : public OperatorKindOf<MatchRecognize> {
 public:
  std::string_view name() const override { return "match_recognize"; }
  std::vector<std::string> yaml_keys() const override {
    return {"partition_by", "order_by", "measures", "rows_per_match", "after_match", "pattern", "within", "define", "subset"};
  }
  bool emits_updates(bool /*input_updating*/) const override { return false; }
  // Flink's words (StreamPhysicalMatch); the node is not part of them.
  std::optional<std::string> refuse_updating_input(std::string_view /*node*/, std::string_view producer) const override {
    return "StreamPhysicalMatch doesn't support consuming update changes which is produced by node " + std::string(producer);
  }
  bool keyed_state() const override { return true; }

 protected:
  MatchRecognize load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    MatchRecognize r;
    if (auto partition = m.optional("partition_by")) r.partition_by = partition->as_identifier_list();
    const yaml::NodeReader order = m.require("order_by");
    order.expect_list();
    if (order.node().size() == 0) order.fail("needs the time attribute to order by");
    for (size_t i = 0; i < order.node().size(); ++i) {
      const yaml::NodeReader item = order.item(i);
      yaml::MapReader o(item.source(), item.node(), item.path());
      o.allow_only({"column", "descending"});
      OrderKey k;
      k.location = o.location();
      k.column = o.require("column").as_identifier();
      if (auto descending = o.optional("descending")) k.descending = descending->as_bool();
      r.order_by.push_back(std::move(k));
    }
    r.measures = yaml::read_named_exprs(m.require("measures"));
    if (auto rows = m.optional("rows_per_match")) {
      r.rows_per_match = rows->as_string();
      if (r.rows_per_match != "one")
        rows->fail("unsupported rows_per_match '" + r.rows_per_match + "' (Flink streams support only 'one')");
    }
    if (auto after = m.optional("after_match")) r.after_match = read_after_match(*after);
    r.pattern = m.require("pattern").as_expr();
    if (auto within = m.optional("within")) r.within = yaml::positive_duration(*within);
    if (auto define = m.optional("define")) r.define = read_expr_map(*define);
    if (auto subset = m.optional("subset")) {
      yaml::MapReader s(subset->source(), subset->node(), subset->path());
      for (auto it = subset->node().begin(); it != subset->node().end(); ++it) {
        const std::string name = it->first.Scalar();
        yaml::NodeReader variables(subset->source(), it->second, s.child_path(name), subset->located(it->first));
        Subset entry{name, variables.as_identifier_list(), subset->located(it->first)};
        if (entry.variables.empty()) variables.fail("a subset needs at least one variable");
        r.subset.push_back(std::move(entry));
      }
    }
    return r;
  }

  void emit_model(yaml::Writer& w, int in, const MatchRecognize& r) const override {
    if (!r.partition_by.empty()) w.raw(in, "partition_by", yaml::flow_list(r.partition_by));
    w.key(in, "order_by");
    for (const auto& k : r.order_by) {
      yaml::Flow f;
      f.add("column", k.column);
      if (k.descending) f.add_raw("descending", "true");
      w.item(in + 2, f.str());
    }
    yaml::write_named_exprs(w, in, "measures", r.measures);
    w.scalar(in, "rows_per_match", r.rows_per_match);
    yaml::Flow after;
    after.add("skip", to_string(r.after_match.skip));
    if (r.after_match.variable) after.add("variable", *r.after_match.variable);
    w.raw(in, "after_match", after.str());
    w.scalar(in, "pattern", r.pattern.text);
    if (r.within) w.scalar(in, "within", r.within->text);
    if (!r.define.empty()) {
      w.key(in, "define");
      for (const auto& d : r.define) w.line(in + 2, yaml::yaml_scalar(d.name) + ": " + yaml::yaml_scalar(d.expr.text));
    }
    if (!r.subset.empty()) {
      w.key(in, "subset");
      for (const auto& s : r.subset) w.line(in + 2, yaml::yaml_scalar(s.name) + ": " + yaml::flow_list(s.variables));
    }
  }

  BoundOperator bind_model(const OperatorBinding& b, const MatchRecognize& m) const override {
    ops::MatchRecognizeConfig cfg = match_recognize_config(m, b.input, b.op.location);
    cfg.on_row_error = b.row_errors;
    BoundOperator bound;
    for (size_t k : cfg.partition_by) bound.key_columns.push_back(k);
    bound.make = [cfg] { return std::make_unique<ops::MatchRecognizeOperator>(cfg); };
    return bound;
  }
};

}  // namespace

const OperatorKind& MatchRecognize::kind() {
  static const MatchRecognizeKind kind;
  return kind;
}

}  // namespace ananas::pipeline
