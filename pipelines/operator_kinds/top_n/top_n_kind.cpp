// top_n: keeps the best rows of each partition by a sort order and emits the
// changes of that top as Flink's AppendOnlyTopNFunction, FastTop1Function and
// AppendOnlyFirstNFunction do (operators/top_n.hpp); updating, except for the
// first rows on processing time, which never change. With `window`, a window
// Top-N (operators/window_top_n.hpp): each window's top once, insert-only.
#include "operators/top_n.hpp"
#include "operators/window_top_n.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/common/update_before.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/operator_kinds/top_n/top_n.hpp"
#include "pipelines/yaml/node_reader.hpp"
#include "pipelines/yaml/yaml_writer.hpp"

namespace ananas::pipeline {

namespace {

class TopNKind final : public OperatorKindOf<TopN> {
 public:
  std::string_view name() const override { return "top_n"; }
  std::vector<std::string> yaml_keys() const override {
    return {"partition_by", "window", "order_by", "ties", "time", "rank_start", "rank_end", "rank_column"};
  }
  bool emits_updates(bool /*input_updating*/) const override { return true; }
  bool emits_updates_for(const OperatorBody& body, bool /*input_updating*/) const override {
    // Flink: the first N rows on processing time (AppendOnlyFirstNFunction) and a window Top-N are insert-only.
    const auto& t = std::get<TopN>(body);
    return !t.processing_time && !t.window;
  }
  std::optional<std::string> refuse_updating_input(std::string_view /*node*/, std::string_view producer) const override {
    return "Top-N over an updating input is not supported yet (Flink's RetractableTopNFunction and UpdatableTopNFunction "
           "are not translated); its input is produced by node " +
           std::string(producer);
  }
  bool keyed_state() const override { return true; }
  // Flink: AbstractTopNFunction keeps its state with StateConfigUtil.createTtlConfig; a
  // window Top-N (WindowRankOperator) frees a window when it fires.
  bool ignores_state_ttl(const OperatorBody& body) const override { return !std::get<TopN>(body).window; }

 protected:
  TopN load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    TopN t;
    if (auto p = m.optional("partition_by")) t.partition_by = p->as_identifier_list();
    if (auto w = m.optional("window")) {
      yaml::MapReader wm(w->source(), w->node(), w->path());
      wm.allow_only({"start", "end"});
      t.window = TopNWindow{wm.require("start").as_identifier(), wm.require("end").as_identifier()};
    }
    const yaml::NodeReader order = m.require("order_by");
    order.expect_list();
    t.order_by_location = order.location();
    if (order.node().size() == 0) order.fail("needs at least one column to order by");
    for (size_t i = 0; i < order.node().size(); ++i) {
      const yaml::NodeReader item = order.item(i);
      yaml::MapReader o(item.source(), item.node(), item.path());
      o.allow_only({"column", "descending", "nulls"});
      TopNKey k;
      k.location = o.location();
      k.column = o.require("column").as_identifier();
      if (auto d = o.optional("descending")) k.descending = d->as_bool();
      if (auto n = o.optional("nulls")) {
        const std::string v = n->as_string();
        if (v != "first" && v != "last") n->fail("nulls must be 'first' or 'last', got '" + v + "'");
        k.nulls_first = v == "first";
      }
      t.order_by.push_back(std::move(k));
    }
    if (auto ties = m.optional("ties")) {
      const std::string v = ties->as_string();
      if (v == "last_arrival") t.later_ties_first = true;
      else if (v != "first_arrival") ties->fail("ties must be 'first_arrival' or 'last_arrival', got '" + v + "'");
      if (t.later_ties_first && !t.window) ties->fail("'ties: last_arrival' is for a window Top-N (with 'window')");
    }
    if (auto time = m.optional("time")) {
      const std::string v = time->as_string();
      if (v == "processing") t.processing_time = true;
      else if (v != "event") time->fail("time must be 'event' or 'processing', got '" + v + "'");
      if (t.processing_time && (t.order_by.size() != 1 || t.order_by[0].descending))
        time->fail("'time: processing' orders by one PROCTIME() column, ascending (the first rows to arrive)");
      if (t.processing_time && t.window) time->fail("a window Top-N orders by columns or event time, not 'time: processing'");
    }
    if (auto s = m.optional("rank_start")) {
      t.rank_start = s->as_integer();
      if (t.rank_start < 1) s->fail("rank_start must be 1 or more");
    }
    const yaml::NodeReader end = m.require("rank_end");
    t.rank_end = end.as_integer();
    if (t.rank_end < t.rank_start) end.fail("rank_end must be at least rank_start (" + std::to_string(t.rank_start) + ")");
    if (auto c = m.optional("rank_column")) t.rank_column = c->as_identifier();
    return t;
  }

  void emit_model(yaml::Writer& w, int in, const TopN& t) const override {
    if (!t.partition_by.empty()) w.raw(in, "partition_by", yaml::flow_list(t.partition_by));
    if (t.window) w.raw(in, "window", yaml::Flow().add("start", t.window->start).add("end", t.window->end).str());
    w.key(in, "order_by");
    for (const auto& k : t.order_by) {
      yaml::Flow f;
      f.add("column", k.column);
      if (k.descending) f.add_raw("descending", "true");
      if (k.nulls_first) f.add("nulls", *k.nulls_first ? "first" : "last");
      w.item(in + 2, f.str());
    }
    if (t.later_ties_first) w.scalar(in, "ties", "last_arrival");
    if (t.processing_time) w.scalar(in, "time", "processing");
    if (t.rank_start != 1) w.raw(in, "rank_start", std::to_string(t.rank_start));
    w.raw(in, "rank_end", std::to_string(t.rank_end));
    if (t.rank_column) w.scalar(in, "rank_column", *t.rank_column);
  }

  BoundOperator bind_model(const OperatorBinding& b, const TopN& t) const override {
    ops::TopNConfig cfg;
    cfg.input = b.input;
    cfg.rank_start = t.rank_start;
    cfg.rank_end = t.rank_end;
    cfg.rank_column = t.rank_column;
    BoundOperator bound;
    for (const auto& p : t.partition_by) {
      const size_t i = column_index(b.input, p, b.op.location, "partition column");
      cfg.partition_by.push_back(i);
      bound.key_columns.push_back(i);
    }
    for (const auto& k : t.order_by) {
      const SourceLocation& at = k.location.line ? k.location : t.order_by_location;
      const size_t i = column_index(b.input, k.column, at, "order_by column");
      const bool proctime = b.input[i].type.time_attr == TimeAttr::Proctime;
      if (proctime && !t.processing_time)
        throw InputError(at, "'" + k.column + "' is a processing-time attribute: a Top-N orders by it only alone and "
                                              "ascending (the first rows to arrive), with 'time: processing'");
      if (!proctime && t.processing_time)
        throw InputError(at, "'" + k.column + "' is not a processing-time attribute: leave out 'time: processing'");
      if (proctime) continue;  // arrival order: every row ties, ties keep their arrival order
      cfg.order_by.push_back({i, k.descending, k.nulls_first.value_or(!k.descending)});
    }
    if (t.rank_column && b.input.find(*t.rank_column))
      throw InputError(b.op.location, "rank_column '" + *t.rank_column + "' is already an input column");
    if (t.window) {
      ops::WindowTopNConfig w;
      w.input = b.input;
      w.window_start = column_index(b.input, t.window->start, b.op.location, "window start column");
      w.window_end = column_index(b.input, t.window->end, b.op.location, "window end column");
      w.partition_by = cfg.partition_by;
      w.order_by = cfg.order_by;
      w.rank_start = t.rank_start;
      w.rank_end = t.rank_end;
      w.rank_column = t.rank_column;
      w.later_ties_first = t.later_ties_first;
      bound.make = [w] { return std::make_unique<ops::WindowTopNOperator>(w); };
      return bound;
    }
    cfg.emit_update_before =
        consumers_need_update_before(b.pipeline, b.op.name, t.partition_by.size() + (t.rank_column ? 1 : 0));
    bound.make = [cfg] { return std::make_unique<ops::TopNOperator>(cfg); };
    return bound;
  }
};

}  // namespace

const OperatorKind& TopN::kind() {
  static const TopNKind kind;
  return kind;
}

}  // namespace ananas::pipeline
