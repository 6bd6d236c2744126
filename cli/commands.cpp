#include "cli/commands.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace ananas::cli {

static std::vector<Command>& table() {
  static std::vector<Command> t;
  return t;
}

bool register_command(const Command& c) {
  table().push_back(c);
  return true;
}

const Command* find_command(std::string_view name) {
  for (const auto& c : table())
    if (name == c.name) return &c;
  return nullptr;
}

void print_usage(std::ostream& os) {
  os << "ananas " << kVersion << ": streaming anomaly detection on Kafka, from Flink SQL\n\n"
     << "usage: ananas <command> [options]   (ananas <command> --help for details)\n\ncommands:\n";
  std::vector<Command> sorted = table();
  std::sort(sorted.begin(), sorted.end(), [](const Command& a, const Command& b) { return std::strcmp(a.name, b.name) < 0; });
  for (const auto& c : sorted) {
    os << "  " << c.name;
    for (size_t i = std::strlen(c.name); i < 12; ++i) os << ' ';
    os << c.summary << "\n";
  }
}

}  // namespace ananas::cli
