#pragma once
// Errors and warnings that point at a place in the user's input:
// `file:line:column: message`, lines and columns 1-based.
#include <stdexcept>
#include <string>
#include <vector>

namespace ananas {

struct SourceLocation {
  std::string file;  // may be empty (e.g. text given on the command line)
  int line = 0;      // 1-based; 0 = unknown
  int column = 0;    // 1-based; 0 = unknown
  bool operator==(const SourceLocation&) const = default;
  // "file:line:column", omitting unknown parts.
  std::string to_string() const;
};

// An input the user must fix (bad SQL, bad YAML, unknown column, type error...).
class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation loc, std::string message);
  const SourceLocation& location() const { return loc_; }
  const std::string& message() const { return message_; }

 private:
  SourceLocation loc_;
  std::string message_;
};

// A leniency that was applied (the tutorial's deviations from Flink), reported
// but not fatal.
struct Warning {
  SourceLocation location;
  std::string message;
  std::string to_string() const;
};

using Warnings = std::vector<Warning>;

// Levenshtein-based "did you mean" suggestion: the closest candidate within a
// small edit distance, or "" if none is close enough.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace ananas
