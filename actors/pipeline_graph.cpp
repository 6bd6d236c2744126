#include "actors/pipeline_graph.hpp"

#include <stdexcept>

namespace ananas::rt {

dataflow::Topology graph_topology(const PipelineGraph& g) {
  auto fail = [&](const std::string& msg) { throw std::invalid_argument("pipeline '" + g.name + "': " + msg); };
  if (g.name.empty()) fail("has no name");
  if (g.runtime.credit < 1) fail("runtime credit must be at least 1");
  // What only the runtime needs: a factory for every node. The wiring is the topology's.
  for (const auto& n : g.nodes) {
    if (n.kind == NodeKind::Source && !n.make_source) fail("source '" + n.name + "' has no driver factory");
    if (n.kind == NodeKind::Operator && !n.make_operator) fail("operator '" + n.name + "' has no factory");
    if (n.kind == NodeKind::Sink && !n.make_sink) fail("sink '" + n.name + "' has no driver factory");
  }
  std::vector<dataflow::NodeDecl> decls;
  decls.reserve(g.nodes.size());
  for (const auto& n : g.nodes) decls.push_back({n.name, n.kind, n.inputs, n.parallelism});
  try {
    // A source node may run several instances: its driver splits the source.
    return dataflow::Topology(std::move(decls), dataflow::TopologyRules{.single_instance_sources = false});
  } catch (const dataflow::TopologyError& e) {
    fail(e.what());
  }
  throw std::logic_error("unreachable");
}

std::vector<size_t> validate_graph(const PipelineGraph& g) { return graph_topology(g).order(); }

std::map<std::string, ops::StateLayout> state_layouts(const PipelineGraph& g, bool stateful_only) {
  std::map<std::string, ops::StateLayout> out;
  for (const auto& n : g.nodes) {
    if (n.kind != NodeKind::Operator) continue;
    auto op = n.make_operator();
    if (!op) throw std::invalid_argument("pipeline '" + g.name + "': operator '" + n.name + "': factory returned nothing");
    if (!n.key_columns.empty()) op->set_partition_key(n.key_columns);
    if (!stateful_only || op->keeps_state()) out[n.name] = op->state_layout();
  }
  return out;
}

}  // namespace ananas::rt
