#include "pipelines/replay/pipeline_executor.hpp"

#include <utility>
#include <vector>

namespace ananas::pipeline {

namespace {

dataflow::Topology topology_of(const BuiltPipeline& p) {
  std::vector<dataflow::NodeDecl> nodes;
  for (const auto& s : p.sources) nodes.push_back({s.spec->name, dataflow::NodeKind::Source, {}, 1});
  for (const auto& o : p.operators) nodes.push_back({o.name, dataflow::NodeKind::Operator, o.inputs, 1});
  for (const auto& s : p.sinks) nodes.push_back({s.name, dataflow::NodeKind::Sink, {s.input}, 1});
  dataflow::TopologyRules rules;
  rules.require_source = false;  // a pipeline without sources or sinks runs, with no output
  rules.require_sink = false;
  return dataflow::Topology(std::move(nodes), rules);
}

}  // namespace

std::unique_ptr<dataflow::LocalExecutor> make_local_executor(const BuiltPipeline& pipeline, SinkWriter write) {
  std::vector<dataflow::LocalNode> nodes(pipeline.sources.size());
  for (const auto& o : pipeline.operators) {
    dataflow::LocalNode n;
    n.make_operator = o.make;
    nodes.push_back(std::move(n));
  }
  for (const auto& s : pipeline.sinks) {
    dataflow::LocalNode n;
    n.write = [write, sink = &s](const BatchPtr& batch) { write(*sink, batch); };
    nodes.push_back(std::move(n));
  }
  return std::make_unique<dataflow::LocalExecutor>(topology_of(pipeline), std::move(nodes));
}

}  // namespace ananas::pipeline
