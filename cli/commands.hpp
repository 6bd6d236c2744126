#pragma once
// The subcommand table. Each subcommand lives in its own cli/<name>.cpp and
// registers itself here. Exit codes: 0 ok, 1 invalid input, 2 usage.
#include <ostream>
#include <string_view>

namespace ananas::cli {

inline constexpr const char* kVersion = "0.1.0";
inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;
inline constexpr int kExitUsage = 2;

struct Command {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);  // argv[0] is the subcommand name
};

// Adds a command to the table (used through ANANAS_COMMAND at namespace scope).
bool register_command(const Command& c);
const Command* find_command(std::string_view name);
void print_usage(std::ostream& os);

}  // namespace ananas::cli

#define ANANAS_COMMAND(ident, name, summary, fn) \
  static const bool ident##_registered = ::ananas::cli::register_command({name, summary, fn})
