// The pipeline as a graph: every node name unique, every input naming a
// source or operator, no cycles, and a warning for results nobody reads. The
// checks are dataflow::Topology's (the runtime runs the same ones); this file
// only points each mistake at its line and column.
#include <optional>

#include "dataflow/topology.hpp"
#include "pipelines/yaml/load_parts.hpp"

namespace ananas::pipeline::yaml {

namespace {

using dataflow::NodeKind;
using dataflow::TopologyError;

// A topology node as the file declares it.
struct FileNode {
  std::string kind;  // "source", "operator", "sink"
  size_t index;      // within its section
  const std::string* name;
  SourceLocation location;
  SourceLocation input_location;
};

std::string described(const FileNode& n) {
  return n.kind + "s[" + std::to_string(n.index) + "] (" + *n.name + ")";
}

}  // namespace

void check_graph(const Pipeline& p, Warnings& warnings) {
  std::vector<FileNode> file;
  std::vector<dataflow::NodeDecl> decls;
  for (size_t i = 0; i < p.sources.size(); ++i) {
    const auto& s = p.sources[i];
    file.push_back({"source", i, &s.name, s.location, s.location});
    decls.push_back({s.name, NodeKind::Source, {}, 1});
  }
  for (size_t i = 0; i < p.operators.size(); ++i) {
    const auto& o = p.operators[i];
    file.push_back({"operator", i, &o.name, o.location, o.input_location});
    decls.push_back({o.name, NodeKind::Operator, o.inputs(), 1});
  }
  for (size_t i = 0; i < p.sinks.size(); ++i) {
    const auto& s = p.sinks[i];
    file.push_back({"sink", i, &s.name, s.location, s.input_location});
    decls.push_back({s.name, NodeKind::Sink, {s.input}, 1});
  }

  // Sources and sinks may still be missing here: the pipeline is checked for
  // them where it is run.
  dataflow::TopologyRules rules;
  rules.require_source = false;
  rules.require_sink = false;
  rules.require_inputs = false;
  std::optional<dataflow::Topology> topology;
  try {
    topology.emplace(std::move(decls), rules);
  } catch (const TopologyError& e) {
    if (e.node >= file.size()) throw InputError(SourceLocation{}, e.what());
    const FileNode& n = file[e.node];
    const std::string who = described(n);
    switch (e.kind) {
      case TopologyError::Kind::DuplicateName: {
        const FileNode& first = file[e.other];
        throw InputError(n.location, who + ": duplicate name '" + *n.name + "' (already used by a " + first.kind +
                                         " at line " + std::to_string(first.location.line) + ")");
      }
      case TopologyError::Kind::SelfInput:
        if (n.kind == "sink") throw InputError(n.input_location, who + ": input '" + e.input + "' is a sink; sinks have no output");
        throw InputError(n.input_location, who + ": an operator cannot read itself");
      case TopologyError::Kind::UnknownInput: {
        std::vector<std::string> readable;
        for (const auto& s : p.sources) readable.push_back(s.name);
        for (const auto& o : p.operators) readable.push_back(o.name);
        std::string message = who + ": input '" + e.input + "' is not a source or operator of pipeline " + p.name;
        const std::string best = closest_match(e.input, readable);
        if (!best.empty()) message += " (did you mean '" + best + "'?)";
        throw InputError(n.input_location, message);
      }
      case TopologyError::Kind::ReadsSink:
        throw InputError(n.input_location, who + ": input '" + e.input + "' is a sink; sinks have no output");
      case TopologyError::Kind::Cycle: {
        std::string path;
        for (const auto& name : e.cycle) path += (path.empty() ? "" : " -> ") + name;
        throw InputError(n.input_location, who + ": cycle: " + path);
      }
      default: throw InputError(n.location, who + ": " + e.what());
    }
  }

  for (size_t i = 0; i < file.size(); ++i) {
    const FileNode& n = file[i];
    if (n.kind == "sink" || !topology->consumers(i).empty()) continue;
    warnings.push_back(
        Warning{n.location, n.kind + " '" + *n.name + "' is not read by any operator or sink"});
  }
}

}  // namespace ananas::pipeline::yaml
