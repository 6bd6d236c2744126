#pragma once
// Turns a table's WITH clause into a librdkafka configuration: every
// `properties.<name>` is passed to librdkafka as `<name>` (TLS and SASL
// settings included), on top of Ananas' defaults.
#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <memory>
#include <string>

#include "connectors/connector.hpp"

namespace ananas::connectors::kafka {

inline constexpr const char* kPropertiesPrefix = "properties.";

// The `properties.*` options with the prefix removed.
std::map<std::string, std::string> kafka_properties(const Options& options);

// Builds a global config: `defaults` first, then the user's properties (which
// win). Throws OptionError naming `properties.<name>` for a property librdkafka
// does not know or rejects, and for a missing/empty bootstrap.servers. The
// clients made from it write librdkafka's log lines through core/log.
std::unique_ptr<RdKafka::Conf> make_conf(const Options& options, const std::map<std::string, std::string>& defaults);

// Sets one property or throws OptionError(option_key, librdkafka's reason).
void set_property(RdKafka::Conf& conf, const std::string& name, const std::string& value,
                  const std::string& option_key);

// The required, non-empty `topic` option split at ';' (Flink's list syntax).
std::vector<std::string> topics_option(const Options& options);

}  // namespace ananas::connectors::kafka
