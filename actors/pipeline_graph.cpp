#include "actors/pipeline_graph.hpp"

#include <map>
#include <stdexcept>

namespace ananas::rt {

std::string_view node_kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::Source: return "source";
    case NodeKind::Operator: return "operator";
    case NodeKind::Sink: return "sink";
  }
  return "?";
}

std::vector<size_t> validate_graph(const PipelineGraph& g) {
  auto fail = [&](const std::string& msg) { throw std::invalid_argument("pipeline '" + g.name + "': " + msg); };
  if (g.name.empty()) fail("has no name");
  if (g.runtime.credit < 1) fail("runtime credit must be at least 1");
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const auto& n = g.nodes[i];
    if (n.name.empty()) fail("node " + std::to_string(i) + " has no name");
    if (!index.emplace(n.name, i).second) fail("duplicate node name '" + n.name + "'");
    if (n.parallelism < 1) fail("node '" + n.name + "': parallelism must be at least 1");
    switch (n.kind) {
      case NodeKind::Source:
        if (!n.make_source) fail("source '" + n.name + "' has no driver factory");
        if (!n.inputs.empty()) fail("source '" + n.name + "' cannot have inputs");
        if (n.parallelism != 1) fail("source '" + n.name + "' must have parallelism 1");
        break;
      case NodeKind::Operator:
        if (!n.make_operator) fail("operator '" + n.name + "' has no factory");
        break;
      case NodeKind::Sink:
        if (!n.make_sink) fail("sink '" + n.name + "' has no driver factory");
        break;
    }
    if (n.kind != NodeKind::Source && n.inputs.empty()) fail("node '" + n.name + "' has no inputs");
  }
  bool has_source = false, has_sink = false;
  for (const auto& n : g.nodes) {
    has_source |= n.kind == NodeKind::Source;
    has_sink |= n.kind == NodeKind::Sink;
    for (const auto& in : n.inputs) {
      auto it = index.find(in);
      if (it == index.end()) fail("node '" + n.name + "': unknown input '" + in + "'");
      if (g.nodes[it->second].kind == NodeKind::Sink) fail("node '" + n.name + "' reads from sink '" + in + "'");
    }
  }
  if (!has_source) fail("has no source");
  if (!has_sink) fail("has no sink");

  // Kahn's algorithm; whatever is left over sits on a cycle.
  std::vector<size_t> pending(g.nodes.size(), 0);
  std::vector<std::vector<size_t>> consumers(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (const auto& in : g.nodes[i].inputs) {
      ++pending[i];
      consumers[index[in]].push_back(i);
    }
  std::vector<size_t> order;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (pending[i] == 0) order.push_back(i);
  for (size_t k = 0; k < order.size(); ++k)
    for (size_t c : consumers[order[k]])
      if (--pending[c] == 0) order.push_back(c);
  if (order.size() != g.nodes.size()) fail("has a cycle");
  return order;
}

}  // namespace ananas::rt
