#pragma once
// Flink's `scan.startup.*` options for the Kafka source.
#include <cstdint>
#include <map>
#include <string>

#include "connectors/connector.hpp"

namespace ananas::connectors::kafka {

enum class StartupMode { EarliestOffset, LatestOffset, GroupOffsets, Timestamp, SpecificOffsets };

struct StartupOptions {
  StartupMode mode = StartupMode::GroupOffsets;  // Flink's default
  int64_t timestamp_ms = 0;                      // Timestamp mode
  std::map<int32_t, int64_t> specific_offsets;   // SpecificOffsets mode: partition -> offset
};

// Reads scan.startup.mode (default group-offsets, as Flink), and the option
// each mode requires. Throws OptionError naming the bad key.
StartupOptions parse_startup_options(const Options& options);

// "partition:0,offset:42;partition:1,offset:300" -> {0: 42, 1: 300}.
std::map<int32_t, int64_t> parse_specific_offsets(const std::string& text);

const char* startup_mode_name(StartupMode mode);

}  // namespace ananas::connectors::kafka
