#pragma once
// What the latency tools' command lines share: a usage error, bounded
// numbers, comma lists, and the load average to print next to a figure.
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ananas::bench {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `text` as a number in [low, high]; UsageError naming `flag` otherwise.
double number(const std::string& flag, const std::string& text, double low, double high);

// Walks `--flag value` pairs: `--help`/`-h` prints `usage` and exits 0, a flag
// without a value is a UsageError, every pair goes to `take` (which throws
// UsageError for a flag it does not know).
void for_each_flag(int argc, char** argv, const char* usage,
                   const std::function<void(const std::string& flag, const std::string& value)>& take);

// "a,b,,c" -> {"a", "b", "c"}.
std::vector<std::string> split_list(const std::string& text);

// The 1, 5 and 15 minute load averages as "a/b/c" (one field in a LATENCY line).
std::string load_average();

}  // namespace ananas::bench
