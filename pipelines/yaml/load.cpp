#include "pipelines/yaml/load.hpp"

#include <set>

#include "pipelines/bootstrap_servers.hpp"
#include "pipelines/session_time_zone.hpp"
#include "pipelines/state_ttl.hpp"
#include "pipelines/yaml/documents.hpp"
#include "pipelines/yaml/load_parts.hpp"

namespace ananas::pipeline {

namespace {

// The warning a SQL or application JSON table gets for the tutorial's '' (or
// a topic name) as its brokers, which the worker fills in: the same for YAML.
void warn_unresolved_brokers(const Options& options, const std::string& table, Warnings& warnings) {
  for (const auto& o : options)
    if (o.key == kBootstrapServersKey)
      if (auto w = unresolved_bootstrap_servers(table, o.value, o.location)) warnings.push_back(std::move(*w));
}

}  // namespace

PipelineSet load_pipelines_yaml(std::string_view text, const std::string& file) {
  const yaml::SourceText src(text, file);
  src.check_is_yaml_text();
  const std::vector<YAML::Node> documents = yaml::parse_documents(src);
  // Comments-only documents (e.g. a trailing `---`) are empty, not pipelines.
  std::vector<YAML::Node> non_empty;
  for (const auto& d : documents)
    if (!d.IsNull()) non_empty.push_back(d);
  if (non_empty.empty()) throw InputError(SourceLocation{file, 1, 1}, "empty pipeline file");
  if (non_empty.size() > 1)
    throw InputError(src.at(non_empty[1].Mark()),
                     "a second YAML document; put several pipelines in one `pipelines:` list instead");

  const YAML::Node& root = non_empty[0];
  PipelineSet set;
  set.file = file;
  const yaml::NodeReader root_reader(src, root, "", SourceLocation{file, 1, 1});
  if (!root.IsMap()) root_reader.fail("expected a pipeline mapping (`pipeline: name`) or `pipelines:` list, got " +
                                      yaml::describe_kind(root));
  const yaml::MapReader top(src, root, "");
  if (top.has("pipelines")) {
    top.allow_only({"pipelines"}, "next to 'pipelines' (each pipeline is an entry of the list)",
                   {"pipeline", "description", "parallelism", "restart", "on_error", "dead_letter_topic", "settings",
                    "sources", "operators", "sinks"});
    const yaml::NodeReader list = top.require("pipelines");
    list.expect_list();
    if (list.node().size() == 0) list.fail("needs at least one pipeline");
    for (size_t i = 0; i < list.node().size(); ++i) {
      std::string label;
      const YAML::Node& item = list.node()[i];
      if (item.IsMap() && item["pipeline"] && item["pipeline"].IsScalar()) label = item["pipeline"].Scalar();
      set.pipelines.push_back(yaml::read_pipeline(list.item(i, label)));
    }
  } else {
    set.pipelines.push_back(yaml::read_pipeline(root_reader));
  }

  std::set<std::string> names;
  for (const auto& p : set.pipelines) {
    if (!names.insert(p.name).second) throw InputError(p.location, "duplicate pipeline name '" + p.name + "'");
    yaml::check_graph(p, set.warnings);
    for (const auto& s : p.sources) warn_unresolved_brokers(s.options, s.name, set.warnings);
    for (const auto& s : p.sinks) warn_unresolved_brokers(s.options, s.name, set.warnings);
    for (const auto& o : p.settings)
      if (o.key == "time_zone")
        if (auto w = time_zone_not_applied(o.value, o.location)) set.warnings.push_back(std::move(*w));
    if (auto w = state_ttl_not_applied(p)) set.warnings.push_back(std::move(*w));
  }
  return set;
}

}  // namespace ananas::pipeline
