#pragma once
// How the emitter writes one scalar: plain when that reads back as the same
// string in block and flow context, double-quoted (with escapes) otherwise.
#include <string>
#include <string_view>

namespace ananas::pipeline::yaml {

std::string yaml_scalar(std::string_view s);

}  // namespace ananas::pipeline::yaml
