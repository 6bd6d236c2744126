// replicate: each row `times` times, without the `times` column, in its own
// RowKind (Flink's ReplicateRows table function; operators/replicate.hpp).
#include "operators/replicate.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/operator_kinds/replicate/replicate.hpp"
#include "pipelines/yaml/node_reader.hpp"
#include "pipelines/yaml/yaml_writer.hpp"

namespace ananas::pipeline {

namespace {

class ReplicateKind final : public OperatorKindOf<Replicate> {
 public:
  std::string_view name() const override { return "replicate"; }
  std::vector<std::string> yaml_keys() const override { return {"times"}; }
  bool emits_updates(bool input_updating) const override { return input_updating; }
  bool stateless() const override { return true; }

 protected:
  Replicate load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    Replicate r;
    r.times = m.require("times").as_identifier();
    return r;
  }

  void emit_model(yaml::Writer& w, int in, const Replicate& r) const override { w.scalar(in, "times", r.times); }

  BoundOperator bind_model(const OperatorBinding& b, const Replicate& r) const override {
    ops::ReplicateConfig cfg;
    cfg.input = b.input;
    cfg.times_column = column_index(b.input, r.times, b.op.location, "times column");
    const Type& t = b.input[cfg.times_column].type;
    if (!t.is_integer())
      throw InputError(b.op.location, "replicate '" + b.op.name + "': times column " + r.times + " is " + t.to_string() +
                                          ", not an integer (the number of copies of each row)");
    return {[cfg] { return std::make_unique<ops::ReplicateOperator>(cfg); }, {}};
  }
};

}  // namespace

const OperatorKind& Replicate::kind() {
  static const ReplicateKind kind;
  return kind;
}

}  // namespace ananas::pipeline
