#pragma once
// Session time zone names as Flink's `table.local-time-zone` takes them: a
// time zone database (TZDB) ID such as 'Europe/Rome', 'UTC', or a fixed
// offset 'GMT+03:00' (Flink: TableConfig's time zone validation). TZDB IDs
// are looked up in the system's database ($TZDIR, else /usr/share/zoneinfo,
// Debian's tzdata), so an unknown name is refused where it is written.
#include <optional>
#include <string>

namespace ananas {

// Why `zone` is not a time zone Flink would accept, or nullopt when it is one.
std::optional<std::string> time_zone_problem(const std::string& zone);

// True for the names of UTC itself ('UTC', 'GMT', 'Etc/UTC', 'GMT+00:00', ...),
// the only session time zone Ananas evaluates in.
bool is_utc_time_zone(const std::string& zone);

}  // namespace ananas
