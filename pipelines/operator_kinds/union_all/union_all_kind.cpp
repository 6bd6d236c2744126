// union_all: the rows of several inputs as one stream (operators/union_all.hpp).
#include "operators/union_all.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/operator_kinds/union_all/union_all.hpp"

namespace ananas::pipeline {

namespace {

class UnionAllKind final : public OperatorKindOf<UnionAll> {
 public:
  std::string_view name() const override { return "union_all"; }
  std::vector<std::string> yaml_keys() const override { return {}; }
  bool reads_several_inputs() const override { return true; }
  bool emits_updates(bool input_updating) const override { return input_updating; }
  // A union of updating inputs passes each input's -U on: its consumers decide.
  bool needs_update_before(const OperatorBody& /*body*/) const override { return false; }
  bool stateless() const override { return true; }

 protected:
  UnionAll load_model(const yaml::MapReader& /*m*/, const Operator& /*common*/) const override { return {}; }
  void emit_model(yaml::Writer& /*w*/, int /*indent*/, const UnionAll& /*body*/) const override {}

  // Every input must carry the first one's column types, in order (names may
  // differ: the first input's are the output's).
  BoundOperator bind_model(const OperatorBinding& b, const UnionAll& /*body*/) const override {
    const auto inputs = b.op.inputs();
    for (size_t i = 0; i < b.more_inputs.size(); ++i) {
      const Schema& other = b.more_inputs[i];
      const std::string& name = inputs[i + 1];
      if (other.size() != b.input.size())
        throw InputError(b.op.input_location, "union_all '" + b.op.name + "': input '" + name + "' has " +
                                                  std::to_string(other.size()) + " columns, '" + b.op.input + "' has " +
                                                  std::to_string(b.input.size()));
      for (size_t c = 0; c < other.size(); ++c) {
        const Type& want = b.input[c].type;
        const Type& got = other[c].type;
        if (want.with_nullable(true).with_time_attr(TimeAttr::None) != got.with_nullable(true).with_time_attr(TimeAttr::None))
          throw InputError(b.op.input_location, "union_all '" + b.op.name + "': column " + std::to_string(c + 1) + " of input '" +
                                                    name + "' (" + other[c].name + ") is " + got.to_string() + ", but '" +
                                                    b.op.input + "' gives " + want.to_string() +
                                                    " (cast one side so that both have one type)");
      }
    }
    // NULL may come from any input that allows it; a time attribute stays one
    // only if every input keeps it there (Flink's union of time indicators).
    Schema output = b.input;
    for (const Schema& other : b.more_inputs)
      for (size_t c = 0; c < output.size(); ++c) {
        Type& t = output.columns[c].type;
        if (other[c].type.nullable) t = t.with_nullable(true);
        if (other[c].type.time_attr != t.time_attr) t = t.with_time_attr(TimeAttr::None);
      }
    return {[output] { return std::make_unique<ops::UnionAllOperator>(output); }, {}};
  }
};

}  // namespace

const OperatorKind& UnionAll::kind() {
  static const UnionAllKind kind;
  return kind;
}

}  // namespace ananas::pipeline
