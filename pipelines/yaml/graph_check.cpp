// The pipeline as a graph: every node name unique, every input naming a
// source or operator, no cycles, and a warning for results nobody reads.
#include <map>
#include <set>

#include "pipelines/yaml/load_parts.hpp"

namespace ananas::pipeline::yaml {

namespace {

struct NodeRef {
  std::string kind;  // "source", "operator", "sink"
  SourceLocation location;
};

std::string described(const std::string& kind, size_t index, const std::string& name) {
  return kind + "s[" + std::to_string(index) + "] (" + name + ")";
}

}  // namespace

void check_graph(const Pipeline& p, Warnings& warnings) {
  std::map<std::string, NodeRef> nodes;
  auto add = [&](const std::string& kind, size_t index, const std::string& name, const SourceLocation& loc) {
    auto [it, inserted] = nodes.emplace(name, NodeRef{kind, loc});
    if (!inserted)
      throw InputError(loc, described(kind, index, name) + ": duplicate name '" + name + "' (already used by a " +
                                it->second.kind + " at line " + std::to_string(it->second.location.line) + ")");
  };
  for (size_t i = 0; i < p.sources.size(); ++i) add("source", i, p.sources[i].name, p.sources[i].location);
  for (size_t i = 0; i < p.operators.size(); ++i) add("operator", i, p.operators[i].name, p.operators[i].location);
  for (size_t i = 0; i < p.sinks.size(); ++i) add("sink", i, p.sinks[i].name, p.sinks[i].location);

  std::vector<std::string> readable;
  for (const auto& s : p.sources) readable.push_back(s.name);
  for (const auto& o : p.operators) readable.push_back(o.name);

  std::set<std::string> consumed;
  auto check_input = [&](const std::string& who, const std::string& input, const SourceLocation& loc) {
    auto it = nodes.find(input);
    if (it == nodes.end()) {
      std::string message = who + ": input '" + input + "' is not a source or operator of pipeline " + p.name;
      const std::string best = closest_match(input, readable);
      if (!best.empty()) message += " (did you mean '" + best + "'?)";
      throw InputError(loc, message);
    }
    if (it->second.kind == "sink") throw InputError(loc, who + ": input '" + input + "' is a sink; sinks have no output");
    consumed.insert(input);
  };
  for (size_t i = 0; i < p.operators.size(); ++i) {
    const Operator& op = p.operators[i];
    if (op.input == op.name)
      throw InputError(op.input_location, described("operator", i, op.name) + ": an operator cannot read itself");
    check_input(described("operator", i, op.name), op.input, op.input_location);
  }
  for (size_t i = 0; i < p.sinks.size(); ++i)
    check_input(described("sink", i, p.sinks[i].name), p.sinks[i].input, p.sinks[i].input_location);

  // Each operator has one input, so following inputs from any operator either
  // reaches a source or loops; a loop is reported at its first operator in file order.
  for (size_t i = 0; i < p.operators.size(); ++i) {
    std::vector<std::string> chain = {p.operators[i].name};
    const Operator* current = &p.operators[i];
    while (const Operator* next = p.find_operator(current->input)) {
      if (next->name == p.operators[i].name) {
        std::string path;
        for (const auto& n : chain) path += n + " -> ";
        throw InputError(p.operators[i].input_location,
                         described("operator", i, p.operators[i].name) + ": cycle: " + path + next->name);
      }
      if (chain.size() > p.operators.size()) break;  // a loop that does not pass through operator i
      chain.push_back(next->name);
      current = next;
    }
  }

  for (const auto& s : p.sources)
    if (!consumed.count(s.name))
      warnings.push_back(Warning{s.location, "source '" + s.name + "' is not read by any operator or sink"});
  for (const auto& o : p.operators)
    if (!consumed.count(o.name))
      warnings.push_back(Warning{o.location, "operator '" + o.name + "' is not read by any operator or sink"});
}

}  // namespace ananas::pipeline::yaml
