#include "connectors/kafka/kafka_config.hpp"

#include <librdkafka/rdkafka.h>

#include <string_view>

#include "core/log.hpp"

namespace ananas::connectors::kafka {
namespace {

// librdkafka's own lines (a failed connect, a broker that went away) through
// the process's log, at its level and in its format, instead of librdkafka's
// "%3|1733400000.123|FAIL|rdkafka#producer-1| ..." on stderr: with
// --log-format json every stderr line stays one JSON object. Called on
// librdkafka's threads (the log is thread-safe). Levels are syslog's.
void log_librdkafka_line(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  const log::Level as = level <= 3 ? log::Level::Error
                        : level == 4 ? log::Level::Warn
                        : level <= 6 ? log::Level::Info
                                     : log::Level::Debug;
  log::write(as, "", log::cat("librdkafka ", rk ? rd_kafka_name(rk) : "", " ", facility, ": ", message));
}

}  // namespace

std::map<std::string, std::string> kafka_properties(const Options& options) {
  std::map<std::string, std::string> out;
  const std::string_view prefix = kPropertiesPrefix;
  for (const auto& [key, value] : options)
    if (key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0) out[key.substr(prefix.size())] = value;
  return out;
}

void set_property(RdKafka::Conf& conf, const std::string& name, const std::string& value,
                  const std::string& option_key) {
  std::string err;
  RdKafka::Conf::ConfResult r = conf.set(name, value, err);
  if (r == RdKafka::Conf::CONF_UNKNOWN)
    throw OptionError(option_key, "unknown Kafka client property '" + name + "' (librdkafka: " + err + ")");
  if (r != RdKafka::Conf::CONF_OK)
    throw OptionError(option_key, "invalid value '" + value + "' for Kafka client property '" + name + "': " + err);
}

std::unique_ptr<RdKafka::Conf> make_conf(const Options& options, const std::map<std::string, std::string>& defaults) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  // Kept by the clients made from it (the C++ API sets its own only for an event_cb, which we never set).
  rd_kafka_conf_set_log_cb(conf->c_ptr_global(), log_librdkafka_line);
  for (const auto& [name, value] : defaults) set_property(*conf, name, value, "(default) " + name);
  auto props = kafka_properties(options);
  auto bs = props.find("bootstrap.servers");
  if (bs == props.end() || bs->second.empty())
    throw OptionError("properties.bootstrap.servers",
                      "no Kafka bootstrap servers (set it in the table or in the worker's Kafka settings)");
  for (const auto& [name, value] : props) set_property(*conf, name, value, kPropertiesPrefix + name);
  return conf;
}

std::vector<std::string> topics_option(const Options& options) {
  auto it = options.find("topic");
  if (it == options.end() || it->second.empty()) throw OptionError("topic", "a Kafka table needs a 'topic'");
  std::vector<std::string> topics;
  std::string_view rest = it->second;
  while (true) {
    size_t semi = rest.find(';');
    std::string_view t = rest.substr(0, semi);
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    if (t.empty()) throw OptionError("topic", "empty topic name in '" + it->second + "'");
    topics.emplace_back(t);
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
  return topics;
}

}  // namespace ananas::connectors::kafka
