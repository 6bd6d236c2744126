#include "core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>

#include "core/json/json_text.hpp"

namespace ananas::log {
namespace {

std::atomic<Level> g_level{Level::Info};
std::atomic<Format> g_format{Format::Text};
std::mutex g_write;

// A JSON string of `s` (the shared escaping of core/json), with each byte
// that is not well-formed UTF-8 (a bad record's text quoted in a message) as
// U+FFFD: a collector must be able to parse every line.
void append_json_text(std::string& out, std::string_view s) {
  std::string valid;
  while (const auto bad = find_invalid_utf8(s)) {
    valid.append(s.substr(0, *bad));
    valid.append("\xEF\xBF\xBD");
    s.remove_prefix(*bad + 1);
  }
  valid.append(s);
  append_json_string(out, valid);
}

// RFC 3339 in UTC with milliseconds, as log collectors parse it.
std::string now_utc() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms));
  return buf;
}

}  // namespace

std::optional<Level> parse_level(std::string_view name) {
  if (name == "error") return Level::Error;
  if (name == "warn" || name == "warning") return Level::Warn;
  if (name == "info") return Level::Info;
  if (name == "debug") return Level::Debug;
  return std::nullopt;
}

std::optional<Format> parse_format(std::string_view name) {
  if (name == "text") return Format::Text;
  if (name == "json") return Format::Json;
  return std::nullopt;
}

std::string_view level_name(Level level) {
  switch (level) {
    case Level::Error: return "error";
    case Level::Warn: return "warn";
    case Level::Info: return "info";
    case Level::Debug: return "debug";
  }
  return "info";
}

void configure(Level level, Format format) {
  g_level = level;
  g_format = format;
}

bool enabled(Level level) { return static_cast<int>(level) <= static_cast<int>(g_level.load()); }

std::string format_line(Format format, Level level, std::string_view pipeline, std::string_view message) {
  std::string out;
  if (format == Format::Text) {
    if (!pipeline.empty()) {
      out += "pipeline '";
      out += pipeline;
      out += "': ";
    }
    out += message;
    return out;
  }
  out += "{\"time\":\"" + now_utc() + "\",\"level\":\"";
  out += level_name(level);
  out += "\",\"pipeline\":";
  if (pipeline.empty()) out += "null";
  else append_json_text(out, pipeline);
  out += ",\"message\":";
  append_json_text(out, message);
  out += '}';
  return out;
}

void write(Level level, std::string_view pipeline, std::string_view message) {
  if (!enabled(level)) return;
  std::string line = format_line(g_format, level, pipeline, message);
  line += '\n';
  std::lock_guard lock(g_write);
  std::cerr << line << std::flush;
}

}  // namespace ananas::log
