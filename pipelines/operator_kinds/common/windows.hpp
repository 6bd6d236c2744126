#pragma once
// The window of window and window_aggregate: YAML and binding.
#include <string>
#include <string_view>

#include "core/schema.hpp"
#include "operators/window_spec.hpp"
#include "pipelines/operator_kinds/common/window_model.hpp"
#include "pipelines/yaml/node_reader.hpp"
#include "pipelines/yaml/yaml_writer.hpp"

namespace ananas::pipeline {

namespace yaml {
// The `window:` mapping; its allowed keys depend on its kind. `aggregating`:
// whether the reading operator aggregates the windows (window_aggregate): only
// it takes sessions and processing time, as Flink.
WindowSpec read_window_spec(const NodeReader& node, bool aggregating);
void write_window(Writer& w, int indent, const WindowSpec& spec);
}  // namespace yaml

// How window and window_aggregate refuse an updating input: windows fire once,
// when the watermark passes their end, so a retraction could not be honoured.
std::string append_only_refusal(std::string_view kind, std::string_view node, std::string_view producer);

// The operators' window, validated.
ops::WindowSpec window_spec(const WindowSpec& w);
// The index of the window's time column, which must be an event-time attribute.
size_t time_column(const Schema& input, const WindowSpec& w);

}  // namespace ananas::pipeline
