// upsert_materialize: turns a changelog keyed one way into upserts on the
// sink's primary key (the operator's `key`), as Flink's SinkUpsertMaterializer.
#include "operators/upsert_materializer.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/operator_kinds/upsert_materialize/upsert_materialize.hpp"
#include "pipelines/yaml/node_reader.hpp"

namespace ananas::pipeline {

namespace {

class UpsertMaterializeKind final : public OperatorKindOf<UpsertMaterialize> {
 public:
  std::string_view name() const override { return "upsert_materialize"; }
  std::vector<std::string> yaml_keys() const override { return {}; }
  bool emits_updates(bool /*input_updating*/) const override { return true; }
  // Flink: SinkUpsertMaterializer keeps its state with StateConfigUtil.createTtlConfig.
  bool ignores_state_ttl(const OperatorBody& /*body*/) const override { return true; }

 protected:
  UpsertMaterialize load_model(const yaml::MapReader& m, const Operator& common) const override {
    if (common.key.empty()) m.fail("missing required key 'key' (the upsert key: the sink's primary key)");
    return UpsertMaterialize{};
  }

  // Nothing beyond the common keys.
  void emit_model(yaml::Writer& /*w*/, int /*in*/, const UpsertMaterialize& /*body*/) const override {}

  BoundOperator bind_model(const OperatorBinding& b, const UpsertMaterialize& /*body*/) const override {
    const Operator& op = b.op;
    ops::UpsertMaterializerConfig cfg;
    cfg.input = b.input;
    if (op.key.empty()) throw InputError(op.location, "upsert_materialize '" + op.name + "' needs 'key' (the sink's primary key)");
    for (const auto& k : op.key) cfg.sink_key.push_back(column_index(b.input, k, op.location, "key column"));
    return {[cfg] { return std::make_unique<ops::UpsertMaterializerOperator>(cfg); }, cfg.sink_key};
  }
};

}  // namespace

const OperatorKind& UpsertMaterialize::kind() {
  static const UpsertMaterializeKind kind;
  return kind;
}

}  // namespace ananas::pipeline
