// deduplicate: keeps one row per key, the first or the last in time order;
// emits +I for a key's first row and -U/+U when a row replaces it (keep-first
// on processing time never replaces: insert-only).
#include "operators/deduplicate.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/common/update_before.hpp"
#include "pipelines/operator_kinds/deduplicate/deduplicate.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/yaml/node_reader.hpp"
#include "pipelines/yaml/yaml_writer.hpp"

namespace ananas::pipeline {

namespace {

class DeduplicateKind final : public OperatorKindOf<Deduplicate> {
 public:
  std::string_view name() const override { return "deduplicate"; }
  std::vector<std::string> yaml_keys() const override { return {"partition_by", "order_by", "time", "keep"}; }
  bool emits_updates(bool /*input_updating*/) const override { return true; }
  bool emits_updates_for(const OperatorBody& body, bool /*input_updating*/) const override {
    // Flink: only keep-first on processing time produces no updates (FlinkChangelogModeInferenceProgram).
    const auto& d = std::get<Deduplicate>(body);
    return d.keep_last || !d.processing_time;
  }
  std::optional<std::string> refuse_updating_input(std::string_view /*node*/, std::string_view producer) const override {
    return "StreamPhysicalDeduplicate doesn't support consuming update changes which is produced by node " +
           std::string(producer);
  }
  bool keyed_state() const override { return true; }
  // Flink: the Deduplicate functions keep their state with StateConfigUtil.createTtlConfig.
  bool ignores_state_ttl(const OperatorBody& /*body*/) const override { return true; }

 protected:
  Deduplicate load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    Deduplicate d;
    if (auto p = m.optional("partition_by")) d.partition_by = p->as_identifier_list();
    const yaml::NodeReader order = m.require("order_by");
    d.order_by = order.as_identifier();
    d.order_by_location = order.location();
    if (auto time = m.optional("time")) {
      const std::string t = time->as_string();
      if (t == "processing") d.processing_time = true;
      else if (t != "event") time->fail("time must be 'event' or 'processing', got '" + t + "'");
    }
    const yaml::NodeReader keep = m.require("keep");
    const std::string k = keep.as_string();
    if (k == "last") d.keep_last = true;
    else if (k != "first") keep.fail("keep must be 'first' or 'last', got '" + k + "'");
    return d;
  }

  void emit_model(yaml::Writer& w, int in, const Deduplicate& d) const override {
    if (!d.partition_by.empty()) w.raw(in, "partition_by", yaml::flow_list(d.partition_by));
    w.scalar(in, "order_by", d.order_by);
    if (d.processing_time) w.scalar(in, "time", "processing");
    w.scalar(in, "keep", d.keep_last ? "last" : "first");
  }

  BoundOperator bind_model(const OperatorBinding& b, const Deduplicate& d) const override {
    ops::DeduplicateConfig cfg;
    cfg.input = b.input;
    cfg.on_row_error = b.row_errors;
    cfg.keep_last = d.keep_last;
    BoundOperator bound;
    for (const auto& p : d.partition_by) {
      const size_t i = column_index(b.input, p, b.op.location, "partition column");
      cfg.partition_by.push_back(i);
      bound.key_columns.push_back(i);
    }
    const size_t t = column_index(b.input, d.order_by, d.order_by_location, "order_by column");
    const Type& type = b.input[t].type;
    if (type.time_attr == TimeAttr::None)
      throw InputError(d.order_by_location, "deduplication must be ordered by a time attribute ('" + d.order_by + "' is " +
                                                type.to_string() + ")");
    if ((type.time_attr == TimeAttr::Proctime) != d.processing_time)
      throw InputError(d.order_by_location, "'" + d.order_by + "' is " +
                                                (d.processing_time ? "not a processing-time attribute: leave out 'time: processing'"
                                                                   : "a processing-time attribute: write 'time: processing'"));
    if (!d.processing_time) cfg.time_column = t;
    cfg.emit_update_before = consumers_need_update_before(b.pipeline, b.op.name, d.partition_by.size());
    bound.make = [cfg] { return std::make_unique<ops::DeduplicateOperator>(cfg); };
    return bound;
  }
};

}  // namespace

const OperatorKind& Deduplicate::kind() {
  static const DeduplicateKind kind;
  return kind;
}

}  // namespace ananas::pipeline
