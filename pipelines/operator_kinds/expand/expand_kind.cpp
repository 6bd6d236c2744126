// expand: each row once per grouping set, the left-out grouping columns NULL,
// the set's id appended (GROUPING SETS / ROLLUP / CUBE; operators/expand.hpp).
#include <algorithm>

#include "operators/expand.hpp"
#include "pipelines/operator_kinds/common/binding.hpp"
#include "pipelines/operator_kinds/expand/expand.hpp"
#include "pipelines/operator_kinds/operator_kind.hpp"
#include "pipelines/yaml/node_reader.hpp"
#include "pipelines/yaml/yaml_writer.hpp"

namespace ananas::pipeline {

namespace {

class ExpandKind final : public OperatorKindOf<Expand> {
 public:
  std::string_view name() const override { return "expand"; }
  std::vector<std::string> yaml_keys() const override { return {"grouping", "sets", "id_column"}; }
  bool emits_updates(bool input_updating) const override { return input_updating; }
  bool stateless() const override { return true; }

 protected:
  Expand load_model(const yaml::MapReader& m, const Operator& /*common*/) const override {
    Expand e;
    const yaml::NodeReader grouping = m.require("grouping");
    e.grouping = grouping.as_identifier_list();
    if (e.grouping.empty()) grouping.fail("needs at least one grouping column");
    if (e.grouping.size() > 63) grouping.fail("takes at most 63 grouping columns");
    const yaml::NodeReader sets = m.require("sets");
    sets.expect_list();
    for (size_t i = 0; i < sets.node().size(); ++i) {
      const yaml::NodeReader set = sets.item(i);
      std::vector<std::string> kept = set.as_identifier_list();
      for (const auto& c : kept)
        if (std::find(e.grouping.begin(), e.grouping.end(), c) == e.grouping.end())
          set.fail("'" + c + "' is not one of the grouping columns");
      e.sets.push_back(std::move(kept));
    }
    if (e.sets.empty()) sets.fail("needs at least one grouping set ([] is the empty one)");
    if (auto id = m.optional("id_column")) e.id_column = id->as_name();
    return e;
  }

  void emit_model(yaml::Writer& w, int in, const Expand& e) const override {
    w.raw(in, "grouping", yaml::flow_list(e.grouping));
    std::string sets = "[";
    for (size_t i = 0; i < e.sets.size(); ++i) sets += (i ? ", " : "") + yaml::flow_list(e.sets[i]);
    w.raw(in, "sets", sets + "]");
    if (e.id_column != "$e") w.scalar(in, "id_column", e.id_column);
  }

  BoundOperator bind_model(const OperatorBinding& b, const Expand& e) const override {
    ops::ExpandConfig cfg;
    cfg.input = b.input;
    cfg.id_column = e.id_column;
    for (const auto& g : e.grouping) cfg.grouping_columns.push_back(column_index(b.input, g, b.op.location, "grouping column"));
    for (const auto& set : e.sets) {
      std::vector<size_t> kept;
      for (const auto& c : set) kept.push_back(column_index(b.input, c, b.op.location, "grouping set column"));
      cfg.sets.push_back(std::move(kept));
    }
    if (b.input.find(e.id_column)) throw InputError(b.op.location, "id_column '" + e.id_column + "' is already an input column");
    return {[cfg] { return std::make_unique<ops::ExpandOperator>(cfg); }, {}};
  }
};

}  // namespace

const OperatorKind& Expand::kind() {
  static const ExpandKind kind;
  return kind;
}

}  // namespace ananas::pipeline
