// The `ananas` command: dispatches to one subcommand per file in cli/.
#include <cstring>
#include <iostream>
#include <string>

#include "cli/allocator_tuning.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"

int main(int argc, char** argv) {
  using namespace ananas::cli;
  // Before any thread exists (glibc reads these settings when a thread first allocates).
  tune_allocator_for_streaming();
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    print_usage(std::cout);
    return argc < 2 ? kExitUsage : kExitOk;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::cout << "ananas " << kVersion << "\n";
    return kExitOk;
  }
  const Command* cmd = find_command(argv[1]);
  if (!cmd) {
    std::cerr << "ananas: unknown command '" << argv[1] << "'\n";
    print_usage(std::cerr);
    return kExitUsage;
  }
  try {
    return cmd->run(argc - 1, argv + 1);
  } catch (const UsageError& e) {
    std::cerr << "ananas " << cmd->name << ": " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "ananas " << cmd->name << ": " << e.what() << "\n";
    return kExitInvalid;
  }
}
