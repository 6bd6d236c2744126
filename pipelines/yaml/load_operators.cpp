// Operators: the common keys here, the rest by the operator's kind
// (pipelines/operator_kinds/).
#include <algorithm>

#include "pipelines/operator_kinds/registry.hpp"
#include "pipelines/yaml/load_parts.hpp"

namespace ananas::pipeline::yaml {

namespace {

const std::vector<std::string> kCommonKeys = {"name", "type", "parallelism", "key"};

std::vector<std::string> keys_for(const OperatorKind& kind) {
  std::vector<std::string> keys = kCommonKeys;
  keys.insert(keys.begin() + 2, kind.reads_several_inputs() ? "inputs" : "input");
  const auto specific = kind.yaml_keys();
  keys.insert(keys.end(), specific.begin(), specific.end());
  return keys;
}

const OperatorKind& read_kind(const NodeReader& type_node) {
  const std::string type_text = type_node.as_string();
  if (const OperatorKind* kind = find_operator_kind(type_text)) return *kind;
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

}  // namespace

Operator read_operator(const NodeReader& node) {
  MapReader m(node.source(), node.node(), node.path());
  const OperatorKind& kind = read_kind(m.require("type"));
  std::vector<std::string> all_operator_keys;
  for (const OperatorKind* other : operator_kinds()) {
    const auto keys = keys_for(*other);
    all_operator_keys.insert(all_operator_keys.end(), keys.begin(), keys.end());
  }
  m.allow_only(keys_for(kind), "for operator type " + std::string(kind.name()), all_operator_keys);

  Operator op;
  op.location = m.location();
  op.name = m.require("name").as_name();
  if (kind.reads_several_inputs()) {
    // `inputs: [a, b, ...]`: at least two names, each once.
    const NodeReader inputs = m.require("inputs");
    inputs.expect_list();
    if (inputs.node().size() < 2) inputs.fail(std::string(kind.name()) + " reads at least two inputs");
    for (size_t i = 0; i < inputs.node().size(); ++i) {
      const NodeReader item = inputs.item(i);
      std::string name = item.as_name();
      if (name == op.input || std::find(op.more_inputs.begin(), op.more_inputs.end(), name) != op.more_inputs.end())
        item.fail("input '" + name + "' is listed twice");
      if (i == 0) op.input = std::move(name);
      else op.more_inputs.push_back(std::move(name));
    }
    op.input_location = inputs.location();
  } else {
    const NodeReader input = m.require("input");
    op.input = input.as_name();
    op.input_location = input.location();
  }
  if (auto parallelism = m.optional("parallelism")) {
    const int64_t p = parallelism->as_integer();
    if (p < 1 || p > 65536) parallelism->fail("parallelism must be between 1 and 65536, got " + std::to_string(p));
    op.parallelism = static_cast<int>(p);
  }
  if (auto key = m.optional("key")) op.key = key->as_identifier_list();
  op.body = kind.load(m, op);
  return op;
}

}  // namespace ananas::pipeline::yaml
