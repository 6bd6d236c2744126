#pragma once
// One small argument parser for every subcommand: `--name value`,
// `--name=value`, boolean `--flag`, `-o value` short aliases, positionals.
// Unknown options and missing values are usage errors (exit code 2).
#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ananas::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `usage` is the first help line, e.g. "ananas translate [options] FILE...".
  Args(std::string usage, std::string description);

  Args& option(const std::string& name, const std::string& value_name, const std::string& help,
               const std::string& short_name = "", std::optional<std::string> default_value = std::nullopt);
  Args& flag(const std::string& name, const std::string& help, const std::string& short_name = "");
  Args& positionals(const std::string& name, const std::string& help, size_t min_count, size_t max_count = SIZE_MAX);

  // Parses argv (argv[0] = the subcommand). Returns false if --help was printed.
  bool parse(int argc, char** argv, std::ostream& help_out);

  bool has(const std::string& name) const;
  std::string get(const std::string& name) const;  // value or default, "" if neither
  std::optional<std::string> get_optional(const std::string& name) const;
  long get_int(const std::string& name, long min, long max) const;
  double get_double(const std::string& name, double min, double max) const;
  const std::vector<std::string>& rest() const { return positional_values_; }
  void print_help(std::ostream& os) const;

 private:
  struct Spec {
    std::string name, value_name, help, short_name;
    std::optional<std::string> default_value;
    bool is_flag = false;
  };
  const Spec* find(const std::string& token) const;

  std::string usage_, description_;
  std::vector<Spec> specs_;
  std::string positional_name_, positional_help_;
  size_t min_positionals_ = 0, max_positionals_ = 0;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_values_;
};

}  // namespace ananas::cli
