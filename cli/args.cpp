#include "cli/args.hpp"

#include <cerrno>
#include <cstdlib>

#include "core/diagnostic.hpp"

namespace ananas::cli {

Args::Args(std::string usage, std::string description) : usage_(std::move(usage)), description_(std::move(description)) {
  flag("help", "show this help", "h");
}

Args& Args::option(const std::string& name, const std::string& value_name, const std::string& help,
                   const std::string& short_name, std::optional<std::string> default_value) {
  specs_.push_back({name, value_name, help, short_name, std::move(default_value), false});
  return *this;
}

Args& Args::flag(const std::string& name, const std::string& help, const std::string& short_name) {
  specs_.push_back({name, "", help, short_name, std::nullopt, true});
  return *this;
}

Args& Args::positionals(const std::string& name, const std::string& help, size_t min_count, size_t max_count) {
  positional_name_ = name;
  positional_help_ = help;
  min_positionals_ = min_count;
  max_positionals_ = max_count;
  return *this;
}

const Args::Spec* Args::find(const std::string& token) const {
  for (const auto& s : specs_) {
    if (token == "--" + s.name) return &s;
    if (!s.short_name.empty() && token == "-" + s.short_name) return &s;
  }
  return nullptr;
}

bool Args::parse(int argc, char** argv, std::ostream& help_out) {
  bool only_positionals = false;
  for (int i = 1; i < argc; ++i) {
    std::string tok = argv[i];
    if (only_positionals || tok.empty() || tok[0] != '-' || tok == "-") {
      positional_values_.push_back(tok);
      continue;
    }
    if (tok == "--") {
      only_positionals = true;
      continue;
    }
    std::string inline_value;
    bool has_inline = false;
    if (auto eq = tok.find('='); tok.rfind("--", 0) == 0 && eq != std::string::npos) {
      inline_value = tok.substr(eq + 1);
      tok = tok.substr(0, eq);
      has_inline = true;
    }
    const Spec* s = find(tok);
    if (!s) {
      std::vector<std::string> names;
      for (const auto& sp : specs_) names.push_back("--" + sp.name);
      std::string hint = closest_match(tok, names);
      throw UsageError("unknown option '" + tok + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    if (s->is_flag) {
      if (has_inline) throw UsageError("option '" + tok + "' takes no value");
      values_[s->name] = "true";
    } else if (has_inline) {
      values_[s->name] = inline_value;
    } else {
      if (i + 1 >= argc) throw UsageError("option '" + tok + "' needs a value (" + s->value_name + ")");
      values_[s->name] = argv[++i];
    }
  }
  if (has("help")) {
    print_help(help_out);
    return false;
  }
  if (positional_values_.size() < min_positionals_)
    throw UsageError("missing " + positional_name_ + " (see --help)");
  if (positional_values_.size() > max_positionals_)
    throw UsageError("too many arguments: '" + positional_values_[max_positionals_] + "' (see --help)");
  return true;
}

bool Args::has(const std::string& name) const { return values_.count(name) > 0; }

std::optional<std::string> Args::get_optional(const std::string& name) const {
  if (auto it = values_.find(name); it != values_.end()) return it->second;
  for (const auto& s : specs_)
    if (s.name == name && s.default_value) return s.default_value;
  return std::nullopt;
}

std::string Args::get(const std::string& name) const { return get_optional(name).value_or(""); }

long Args::get_int(const std::string& name, long min, long max) const {
  std::string v = get(name);
  errno = 0;
  char* end = nullptr;
  long n = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno != 0 || n < min || n > max)
    throw UsageError("--" + name + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                     ", got '" + v + "'");
  return n;
}

double Args::get_double(const std::string& name, double min, double max) const {
  std::string v = get(name);
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !(d >= min && d <= max))
    throw UsageError("--" + name + " must be a number from " + std::to_string(min) + " to " + std::to_string(max) +
                     ", got '" + v + "'");
  return d;
}

void Args::print_help(std::ostream& os) const {
  os << "usage: " << usage_ << "\n\n" << description_ << "\n";
  if (!positional_name_.empty()) os << "\n  " << positional_name_ << "\n      " << positional_help_ << "\n";
  os << "\noptions:\n";
  for (const auto& s : specs_) {
    std::string left = "  " + (s.short_name.empty() ? "" : "-" + s.short_name + ", ") + "--" + s.name +
                       (s.is_flag ? "" : " " + s.value_name);
    os << left;
    os << (left.size() < 30 ? std::string(30 - left.size(), ' ') : "\n" + std::string(30, ' '));
    os << s.help;
    if (s.default_value) os << " (default: " << *s.default_value << ")";
    os << "\n";
  }
}

}  // namespace ananas::cli
