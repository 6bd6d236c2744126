#pragma once
// A table's `properties.bootstrap.servers`: a list of broker addresses, or
// (as in the tutorial) '' or a topic name that the worker's bootstrap.servers
// replaces. One test and one warning for every way a pipeline is loaded
// (SQL, application JSON, YAML), so each says the same thing.
#include <optional>
#include <string>

#include "core/diagnostic.hpp"

namespace ananas::pipeline {

inline constexpr const char* kBootstrapServersKey = "properties.bootstrap.servers";

// True when every comma-separated entry looks like host:port (optionally
// with a scheme, e.g. PLAINTEXT://host:9092).
bool looks_like_broker_addresses(const std::string& value);

// The warning for table `table` whose bootstrap servers `value` (at `at`)
// are not broker addresses and will be filled in by the worker; nullopt when
// they are addresses.
std::optional<Warning> unresolved_bootstrap_servers(const std::string& table, const std::string& value,
                                                    const SourceLocation& at);

}  // namespace ananas::pipeline
