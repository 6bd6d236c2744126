#include "actors/drivers/copartition.hpp"

#include <cctype>
#include <map>
#include <set>

#include "connectors/connector_registry.hpp"
#include "pipelines/operator_kinds/calc/calc.hpp"
#include "pipelines/operator_kinds/group_aggregate/group_aggregate.hpp"
#include "pipelines/operator_kinds/registry.hpp"
#include "pipelines/operator_kinds/upsert_materialize/upsert_materialize.hpp"

namespace ananas::rt::drivers {

namespace {

// Column name -> the source column it carries unchanged.
using Origins = std::map<std::string, std::string>;

// The column a projection item names when it is a bare column reference
// (`id` or `` `id` ``); nothing for any other expression.
std::optional<std::string> bare_column(const std::string& text) {
  std::string name = text;
  if (name.size() >= 2 && name.front() == '`' && name.back() == '`') name = name.substr(1, name.size() - 2);
  if (name.empty()) return std::nullopt;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return std::nullopt;
  return name;
}

}  // namespace

std::optional<CoPartitioning> plan_copartitioned(const pipeline::BuiltPipeline& built) {
  if (built.sources.size() != 1 || built.sources[0].topics.size() != 1) return std::nullopt;
  const pipeline::BuiltSource& source = built.sources[0];
  const connectors::ConnectorInfo* info = connectors::default_registry().source_info(source.spec->connector);
  if (!info || !info->capabilities.keyed || source.spec->primary_key.empty()) return std::nullopt;
  const std::set<std::string> key(source.spec->primary_key.begin(), source.spec->primary_key.end());

  std::map<std::string, Origins> origins;  // node -> its columns' origins
  for (const auto& c : source.schema.columns) origins[source.spec->name][c.name] = c.name;
  bool keyed = false;
  for (const auto& op : built.operators) {  // topological order
    if (op.inputs.size() != 1 || !origins.count(op.input)) return std::nullopt;
    const Origins& in = origins.at(op.input);
    Origins& out = origins[op.name];
    const Schema& input = built.schema_of(op.input);
    if (const auto* calc = std::get_if<pipeline::Calc>(&op.spec->body)) {
      if (!calc->select) {
        out = in;
        continue;
      }
      for (const auto& item : *calc->select)
        if (auto column = bare_column(item.expr.text); column && in.count(*column)) out[item.name] = in.at(*column);
      continue;
    }
    const bool materialize = std::holds_alternative<pipeline::UpsertMaterialize>(op.spec->body);
    const auto* aggregate = std::get_if<pipeline::GroupAggregate>(&op.spec->body);
    if (!materialize && !aggregate) return std::nullopt;  // a kind this plan does not follow
    // Keyed by exactly the message key's columns, in any order.
    std::set<std::string> traced;
    for (size_t column : op.key_columns) {
      if (column >= input.size()) return std::nullopt;
      auto origin = in.find(input[column].name);
      if (origin == in.end()) return std::nullopt;
      traced.insert(origin->second);
    }
    if (traced != key || op.key_columns.size() != key.size()) return std::nullopt;
    keyed = true;
    if (materialize) out = in;
    else
      for (const auto& k : aggregate->keys)
        if (in.count(k)) out[k] = in.at(k);
  }
  if (!keyed) return std::nullopt;
  return CoPartitioning{source.topics[0], source.spec->primary_key};
}

}  // namespace ananas::rt::drivers
