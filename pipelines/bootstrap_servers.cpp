#include "pipelines/bootstrap_servers.hpp"

#include <algorithm>
#include <cctype>

namespace ananas::pipeline {

bool looks_like_broker_addresses(const std::string& value) {
  if (value.empty()) return false;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string::npos) comma = value.size();
    std::string entry = value.substr(start, comma - start);
    start = comma + 1;
    entry.erase(0, entry.find_first_not_of(" \t"));
    entry.erase(entry.find_last_not_of(" \t") + 1);
    if (size_t scheme = entry.find("://"); scheme != std::string::npos) entry = entry.substr(scheme + 3);
    const size_t colon = entry.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == entry.size()) return false;
    const std::string port = entry.substr(colon + 1);
    if (!std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
    if (comma == value.size()) break;
  }
  return true;
}

std::optional<Warning> unresolved_bootstrap_servers(const std::string& table, const std::string& value,
                                                    const SourceLocation& at) {
  if (looks_like_broker_addresses(value)) return std::nullopt;
  return Warning{at, "'" + std::string(kBootstrapServersKey) + "' of table '" + table + "' is " +
                         (value.empty() ? std::string("empty") : "'" + value + "', not a host:port list") +
                         "; the worker's bootstrap servers (--bootstrap-servers / worker config) are used"};
}

}  // namespace ananas::pipeline
