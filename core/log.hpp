#pragma once
// The worker's log: one line per event on stderr, at a level, about a
// pipeline or the worker. `ananas run --log-level/--log-format` (worker config
// log.level, log.format) configure it once at start, before any thread logs.
//   text: "pipeline 'P': message" (or the message alone), as people read it
//   json: {"time":"2026-12-05T20:30:00.123Z","level":"warn","pipeline":"P","message":"..."}
//         one object per line, for log collectors
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace ananas::log {

enum class Level { Error, Warn, Info, Debug };
enum class Format { Text, Json };

std::optional<Level> parse_level(std::string_view name);    // error, warn, info, debug
std::optional<Format> parse_format(std::string_view name);  // text, json
std::string_view level_name(Level level);

void configure(Level level, Format format);
bool enabled(Level level);

// Writes one line unless `level` is below the configured one; lines of
// concurrent callers never interleave. `pipeline` empty: about the worker.
void write(Level level, std::string_view pipeline, std::string_view message);

inline void error(std::string_view pipeline, std::string_view message) { write(Level::Error, pipeline, message); }
inline void warn(std::string_view pipeline, std::string_view message) { write(Level::Warn, pipeline, message); }
inline void info(std::string_view pipeline, std::string_view message) { write(Level::Info, pipeline, message); }
inline void debug(std::string_view pipeline, std::string_view message) { write(Level::Debug, pipeline, message); }

// A message from parts, as `std::cerr << a << b` would print them.
template <class... T>
std::string cat(const T&... parts) {
  std::ostringstream os;
  (os << ... << parts);
  return os.str();
}

// The line `write` would print (tests; no newline).
std::string format_line(Format format, Level level, std::string_view pipeline, std::string_view message);

}  // namespace ananas::log
