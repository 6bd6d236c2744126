#include "bench/latency/cli_options.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace ananas::bench {

double number(const std::string& flag, const std::string& text, double low, double high) {
  try {
    size_t used = 0;
    double v = std::stod(text, &used);
    if (used == text.size() && v >= low && v <= high) return v;
  } catch (const std::exception&) {
  }
  throw UsageError(flag + ": expected a number in [" + std::to_string(low) + ", " + std::to_string(high) + "], got '" +
                   text + "'");
}

void for_each_flag(int argc, char** argv, const char* usage,
                   const std::function<void(const std::string& flag, const std::string& value)>& take) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << usage;
      std::exit(0);
    }
    if (i + 1 >= argc) throw UsageError(flag + " needs a value");
    take(flag, argv[++i]);
  }
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) out.push_back(part);
  return out;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + "/" + b + "/" + c;
}

}  // namespace ananas::bench
