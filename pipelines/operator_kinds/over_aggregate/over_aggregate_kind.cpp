// over_aggregate: aggregates OVER a frame of preceding rows of the same
// partition, ordered by event time; each input row comes out once, with its
// aggregates, when the watermark passes it.
#include "operators/over_aggregate.hpp"
#include "pipelines/operator_kinds/common/aggregates.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/operator_kinds/over_aggregate/over_aggregate.hpp"

namespace ananas::pipeline {

namespace {

OverFrame read_frame(const yaml::NodeReader& node) {
  yaml::MapReader m(node.source(), node.node(), node.path());
  m.allow_only({"unit", "preceding"});
  OverFrame f;
  f.location = m.location();
  const yaml::NodeReader unit = m.require("unit");
  const std::string u = unit.as_string();
  if (u == "rows") f.unit = OverFrameUnit::Rows;
  else if (u == "range") f.unit = OverFrameUnit::Range;
  else unit.fail("unknown frame unit '" + u + "' (expected rows or range)");
  const yaml::NodeReader preceding = m.require("preceding");
  if (preceding.node().IsScalar() && preceding.node().Scalar() == "unbounded") return f;
  if (f.unit == OverFrameUnit::Rows) {
    const int64_t n = preceding.as_integer();
    if (n < 0) preceding.fail("preceding must be a number of rows >= 0 or 'unbounded'");
    f.rows = n;
  } else {
    Duration d = preceding.as_duration();
    if (d.millis < 0) preceding.fail("preceding must be a duration >= 0 or 'unbounded'");
    f.range = std::move(d);
  }
  return f;
}

std::string frame_text(const OverFrame& f) {
  yaml::Flow flow;
  flow.add("unit", f.unit == OverFrameUnit::Rows ? "rows" : "range");
  if (f.rows) flow.add_raw("preceding", std::to_string(*f.rows));
  else if (f.range) flow.add("preceding", f.range->text);
  else flow.add("preceding", "unbounded");
  return flow.str();
}

class OverAggregateKind final : public OperatorKindOf<OverAggregate> {
 public:
  std::string_view name() const override { return "over_aggregate"; }
  std::vector<std::string> yaml_keys() const override { return {"partition_by", "order_by", "frame", "aggregates"}; }
  bool emits_updates(bool /*input_updating*/) const override { return false; }
  std::optional<std::string> refuse_updating_input(std::string_view /*node*/, std::string_view producer) const override {
    return "StreamPhysicalOverAggregate doesn't support consuming update changes which is produced by node " +
           std::string(producer);
  }
  bool keyed_state() const override { return true; }
  // Flink: the OVER functions clean a key's state up after the state retention time.
  bool ignores_state_ttl(const OperatorBody& /*body*/) const override { return true; }

 protected:
  OverAggregate load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    OverAggregate o;
    if (auto p = m.optional("partition_by")) o.partition_by = p->as_identifier_list();
    const yaml::NodeReader order = m.require("order_by");
    o.order_by = order.as_identifier();
    o.order_by_location = order.location();
    o.frame = read_frame(m.require("frame"));
    std::vector<std::string> no_keys;
    yaml::read_keys_and_aggregates(m, no_keys, o.aggregates);
    if (o.aggregates.empty()) m.fail("missing required key 'aggregates'");
    return o;
  }

  void emit_model(yaml::Writer& w, int in, const OverAggregate& o) const override {
    if (!o.partition_by.empty()) w.raw(in, "partition_by", yaml::flow_list(o.partition_by));
    w.scalar(in, "order_by", o.order_by);
    w.raw(in, "frame", frame_text(o.frame));
    yaml::write_keys_and_aggregates(w, in, {}, o.aggregates);
  }

  BoundOperator bind_model(const OperatorBinding& b, const OverAggregate& o) const override {
    ops::OverAggregateConfig cfg;
    cfg.input = b.input;
    cfg.on_row_error = b.row_errors;
    BoundOperator bound;
    for (const auto& p : o.partition_by) {
      const size_t i = column_index(b.input, p, b.op.location, "partition column");
      cfg.partition_by.push_back(i);
      bound.key_columns.push_back(i);
    }
    cfg.time_column = column_index(b.input, o.order_by, o.order_by_location, "order_by column");
    const Type& t = b.input[cfg.time_column].type;
    if (!t.is_timestamp() || t.time_attr != TimeAttr::Rowtime)
      throw InputError(o.order_by_location, "OVER windows' ordering in stream mode must be defined on a time attribute ('" +
                                                o.order_by + "' is " + t.to_string() + ", not an event-time attribute)");
    cfg.unit = o.frame.unit == OverFrameUnit::Rows ? ops::OverFrameUnit::Rows : ops::OverFrameUnit::Range;
    if (o.frame.rows) cfg.preceding = *o.frame.rows;
    if (o.frame.range) cfg.preceding = o.frame.range->millis;
    for (const auto& a : o.aggregates) cfg.aggregates.push_back(aggregate_call(a, b.input));
    for (const auto& a : o.aggregates)
      if (b.input.find(a.name)) throw InputError(a.location, "aggregate name '" + a.name + "' is already an input column");
    bound.make = [cfg] { return std::make_unique<ops::OverAggregateOperator>(cfg); };
    return bound;
  }
};

}  // namespace

const OperatorKind& OverAggregate::kind() {
  static const OverAggregateKind kind;
  return kind;
}

}  // namespace ananas::pipeline
