#pragma once
// Durations as pipeline YAML writes them (`500ms`, `5s`, `1min`, `2 h`).
// core/timefmt.hpp's parse_duration_millis is the one parser the project
// shares; until that header exists in the tree this falls back to the same
// grammar (Flink's TimeUtils.parseDuration), so the loader builds either way.
#include <cstdint>
#include <optional>
#include <string_view>

namespace ananas::pipeline::yaml {

std::optional<int64_t> duration_millis(std::string_view text);

}  // namespace ananas::pipeline::yaml
