#pragma once
// A pipeline's `time_zone` setting (Flink's `table.local-time-zone`): checked
// as Flink checks it (core/time_zone.hpp), and a warning when it names
// another zone than UTC, the only one Ananas evaluates in.
#include <optional>
#include <string>

#include "core/diagnostic.hpp"
#include "core/time_zone.hpp"

namespace ananas::pipeline {

// nullopt for UTC; else the warning that the zone (at `at`) is not applied.
std::optional<Warning> time_zone_not_applied(const std::string& zone, const SourceLocation& at);

}  // namespace ananas::pipeline
