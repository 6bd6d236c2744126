#include "pipelines/session_time_zone.hpp"

namespace ananas::pipeline {

std::optional<Warning> time_zone_not_applied(const std::string& zone, const SourceLocation& at) {
  if (is_utc_time_zone(zone)) return std::nullopt;
  return Warning{at, "time zone '" + zone +
                         "' is not applied: Ananas evaluates LOCALTIMESTAMP, CURRENT_TIMESTAMP, NOW(), PROCTIME() and "
                         "TIMESTAMP_LTZ values in UTC, where Flink would use this zone"};
}

}  // namespace ananas::pipeline
