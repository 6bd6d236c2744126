#pragma once
// What one reload of the worker's pipeline files did (POST /reload answers
// it, the folder watch logs it). The reloading itself is the drivers'
// (actors/drivers/pipeline_file_reload.hpp); the HTTP server only calls it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ananas::rt {

struct ReloadReport {
  struct Problem {
    std::string file;
    std::string pipeline;  // empty when the file could not be read as pipelines at all
    std::string message;   // "file:line:column: message", or why a change was not applied
  };
  std::vector<std::string> started, stopped, restarted, unchanged;
  std::vector<Problem> errors;
  int64_t at_ms = 0;  // wall clock
};

class Reloader {
 public:
  virtual ~Reloader() = default;
  // Reads the files again and applies what changed (one reload at a time).
  virtual ReloadReport reload() = 0;
  // The last reload's report, none before the first.
  virtual std::optional<ReloadReport> last() const = 0;
};

}  // namespace ananas::rt
