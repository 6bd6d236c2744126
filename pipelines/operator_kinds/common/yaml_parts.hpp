#pragma once
// YAML pieces several operator kinds read and write.
#include <string_view>
#include <vector>

#include "pipelines/model_values.hpp"
#include "pipelines/yaml/node_reader.hpp"
#include "pipelines/yaml/yaml_writer.hpp"

namespace ananas::pipeline::yaml {

// A list of `{name, expr}` items with unique names (select, measures).
std::vector<NamedExpr> read_named_exprs(const NodeReader& list);
void write_named_exprs(Writer& w, int indent, std::string_view key, const std::vector<NamedExpr>& items);

// A duration greater than zero.
Duration positive_duration(const NodeReader& node);

}  // namespace ananas::pipeline::yaml
