#pragma once
// Parses every YAML document of a pipeline file, with yaml-cpp, guarded
// against the inputs on which yaml-cpp 0.7 never returns.
#include <vector>

#include <yaml-cpp/yaml.h>

#include "pipelines/yaml/source_text.hpp"

namespace ananas::pipeline::yaml {

// The documents of the text, empty (comments-only) ones included. Throws
// InputError at the place yaml-cpp reports, or at the place where it would
// loop: a document beginning with a token no node can start with (a `,` at
// the top level), which YAML::LoadAll in yaml-cpp 0.7 takes for an empty
// document without consuming it, again and again, allocating each time
// (yaml-cpp issue #1040, fixed upstream by pull request #1319 after 0.8.0).
std::vector<YAML::Node> parse_documents(const SourceText& src);

}  // namespace ananas::pipeline::yaml
