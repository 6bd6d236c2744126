#pragma once
// The loader's pieces, one per part of the format; internal to pipelines/yaml.
#include "pipelines/model.hpp"
#include "pipelines/yaml/node_reader.hpp"

namespace ananas::pipeline::yaml {

Source read_source(const NodeReader& node);
Sink read_sink(const NodeReader& node);
Operator read_operator(const NodeReader& node);
RestartPolicy read_restart(const NodeReader& node);
Options read_settings(const NodeReader& node);
Pipeline read_pipeline(const NodeReader& node);

// Graph-level checks of one pipeline: unique node names, inputs that exist,
// no cycles. Throws InputError; appends warnings for unconsumed nodes.
void check_graph(const Pipeline& p, Warnings& warnings);

// "name" of a list item mapping if it has a readable one, for message paths.
std::string item_label(const YAML::Node& item);

}  // namespace ananas::pipeline::yaml
