#include "connectors/kafka/startup_mode.hpp"

#include <charconv>
#include <string_view>

namespace ananas::connectors::kafka {

namespace {

constexpr const char* kMode = "scan.startup.mode";
constexpr const char* kTimestamp = "scan.startup.timestamp-millis";
constexpr const char* kSpecific = "scan.startup.specific-offsets";

template <class Int>
bool parse_int(std::string_view s, Int& out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

const std::string* find(const Options& options, const char* key) {
  auto it = options.find(key);
  return it == options.end() ? nullptr : &it->second;
}

}  // namespace

const char* startup_mode_name(StartupMode mode) {
  switch (mode) {
    case StartupMode::EarliestOffset: return "earliest-offset";
    case StartupMode::LatestOffset: return "latest-offset";
    case StartupMode::GroupOffsets: return "group-offsets";
    case StartupMode::Timestamp: return "timestamp";
    case StartupMode::SpecificOffsets: return "specific-offsets";
  }
  return "?";
}

std::map<int32_t, int64_t> parse_specific_offsets(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return OptionError(kSpecific, "invalid value '" + text + "': " + why +
                                      " (expected e.g. 'partition:0,offset:42;partition:1,offset:300')");
  };
  std::map<int32_t, int64_t> out;
  std::string_view rest = text;
  if (rest.empty()) throw bad("empty");
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view entry = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    if (entry.empty() && rest.empty()) break;  // Flink tolerates a trailing ';'
    size_t comma = entry.find(',');
    if (comma == std::string_view::npos) throw bad("entry '" + std::string(entry) + "' has no ','");
    std::string_view p = entry.substr(0, comma), o = entry.substr(comma + 1);
    constexpr std::string_view kp = "partition:", ko = "offset:";
    if (p.substr(0, kp.size()) != kp || o.substr(0, ko.size()) != ko)
      throw bad("entry '" + std::string(entry) + "' is not 'partition:<n>,offset:<n>'");
    int32_t partition = 0;
    int64_t offset = 0;
    if (!parse_int(p.substr(kp.size()), partition) || partition < 0)
      throw bad("bad partition in '" + std::string(entry) + "'");
    if (!parse_int(o.substr(ko.size()), offset) || offset < 0) throw bad("bad offset in '" + std::string(entry) + "'");
    out[partition] = offset;
  }
  return out;
}

StartupOptions parse_startup_options(const Options& options) {
  StartupOptions s;
  if (const std::string* m = find(options, kMode)) {
    if (*m == "earliest-offset") s.mode = StartupMode::EarliestOffset;
    else if (*m == "latest-offset") s.mode = StartupMode::LatestOffset;
    else if (*m == "group-offsets") s.mode = StartupMode::GroupOffsets;
    else if (*m == "timestamp") s.mode = StartupMode::Timestamp;
    else if (*m == "specific-offsets") s.mode = StartupMode::SpecificOffsets;
    else
      throw OptionError(kMode, "unknown startup mode '" + *m +
                                   "' (expected earliest-offset, latest-offset, group-offsets, timestamp or "
                                   "specific-offsets)");
  }
  if (s.mode == StartupMode::Timestamp) {
    const std::string* t = find(options, kTimestamp);
    if (!t) throw OptionError(kTimestamp, "required when scan.startup.mode is 'timestamp'");
    if (!parse_int(*t, s.timestamp_ms) || s.timestamp_ms < 0)
      throw OptionError(kTimestamp, "expected epoch milliseconds, got '" + *t + "'");
  }
  if (s.mode == StartupMode::SpecificOffsets) {
    const std::string* t = find(options, kSpecific);
    if (!t) throw OptionError(kSpecific, "required when scan.startup.mode is 'specific-offsets'");
    s.specific_offsets = parse_specific_offsets(*t);
  }
  return s;
}

}  // namespace ananas::connectors::kafka
