#include "cli/worker_config.hpp"
#include "core/log.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "actors/http/bearer_auth.hpp"
#include "core/diagnostic.hpp"
#include "core/timefmt.hpp"

extern char** environ;

namespace ananas::cli {

namespace {

SourceLocation location_of(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return SourceLocation{file, 0, 0};
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

long parse_integer(const std::string& text, long min, long max, const SourceLocation& where, const std::string& key) {
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    throw InputError(where, key + ": expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                                ", got '" + text + "'");
  return value;
}

// As a pipeline's `settings: checkpoint_interval` is read: a unit is required,
// so a bare `0` is refused like any other bare number.
int64_t parse_interval(const std::string& text, const SourceLocation& where, const std::string& key) {
  const std::optional<int64_t> ms = parse_duration_millis(text);
  if (!ms || *ms < 0)
    throw InputError(where, key + ": expected a duration such as 5s or 500ms (0s: only the final checkpoint on stop), "
                                  "got '" + text + "'");
  return *ms;
}

bool parse_storage(const std::string& text, const SourceLocation& where, const std::string& key) {
  if (text == "kafka") return true;
  if (text == "memory") return false;
  throw InputError(where, key + ": expected 'kafka' (durable: a restart resumes) or 'memory' (a restart starts over), "
                                "got '" + text + "'");
}

bool parse_bool(const std::string& text, const SourceLocation& where, const std::string& key) {
  if (text == "true") return true;
  if (text == "false") return false;
  throw InputError(where, key + ": expected true or false, got '" + text + "'");
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// One key's value, wherever it came from.
void apply(WorkerFileConfig& c, const std::string& key, const std::string& value, const SourceLocation& where) {
  if (key == "bootstrap.servers") c.bootstrap_servers = value;
  else if (key == "http.host") {
    if (value.empty()) throw InputError(where, "http.host: must not be empty");
    c.http_host = value;
  } else if (key == "http.port") c.http_port = static_cast<int>(parse_integer(value, 0, 65535, where, key));
  else if (key == "http.auth.token") {
    if (const std::string problem = rt::http::token_problem(value); !problem.empty())
      throw InputError(where, "http.auth.token: " + problem);  // never echo the value: it is a secret
    c.http_auth_token = value;
  } else if (key == "http.auth.metrics") c.http_auth_metrics = parse_bool(value, where, key);
  else if (key == "http.max.body.bytes")
    c.http_max_body_bytes = static_cast<uint64_t>(parse_integer(value, 1024, 1L << 30, where, key));
  else if (key == "plugin.path") c.plugin_path = split_list(value);
  else if (key == "worker.id") {
    if (value.empty()) throw InputError(where, "worker.id: must not be empty");
    c.worker_id = value;
  } else if (key == "threads") c.threads = static_cast<size_t>(parse_integer(value, 0, 1024, where, key));
  else if (key == "scheduler.max.throughput")
    c.max_throughput = static_cast<int>(parse_integer(value, 1, 1000000, where, key));
  else if (key == "scheduler.policy") {
    if (value != "sharing" && value != "stealing")
      throw InputError(where, key + ": expected sharing or stealing, got '" + value + "'");
    c.scheduler_policy = value;
  } else if (key == "checkpoint.interval") c.checkpoint_interval_ms = parse_interval(value, where, key);
  else if (key == "checkpoint.storage") c.durable_checkpoints = parse_storage(value, where, key);
  else if (key == "checkpoint.changelog.partitions")
    c.changelog_partitions = static_cast<int>(parse_integer(value, 1, 1000, where, key));
  else if (key == "source.instances") {
    try {
      c.source_instances = value == "auto" ? 0 : static_cast<int>(parse_integer(value, 1, 256, where, key));
    } catch (const InputError&) {
      throw InputError(where, key + ": expected auto or an integer from 1 to 256, got '" + value + "'");
    }
  }
  else if (key == "source.batch.max.records")
    c.source_batch_records = static_cast<size_t>(parse_integer(value, 1, 100000, where, key));
  else if (key == "source.batch.max.bytes")
    c.source_batch_bytes = static_cast<size_t>(parse_integer(value, 1024, 1L << 30, where, key));
  else if (key == "group.id") c.group_id = value;
  else if (key == "group.session.timeout") {
    const std::optional<int64_t> ms = parse_duration_millis(value);
    // Kafka brokers accept 6 s to 30 min by default (group.min/max.session.timeout.ms).
    if (!ms || *ms < 1000 || *ms > 1800000)
      throw InputError(where, key + ": expected a duration from 1s to 30min such as 10s, got '" + value + "'");
    c.group_session_timeout_ms = *ms;
  } else if (key == "group.exchange") c.group_exchange = parse_bool(value, where, key);
  else if (key == "group.exchange.partitions")
    c.exchange_partitions = static_cast<int>(parse_integer(value, 1, 128, where, key));
  else if (key == "log.level") {
    if (!log::parse_level(value))
      throw InputError(where, key + ": expected error, warn, info or debug, got '" + value + "'");
    c.log_level = value;
  } else if (key == "log.format") {
    if (!log::parse_format(value)) throw InputError(where, key + ": expected text or json, got '" + value + "'");
    c.log_format = value;
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(SourceLocation{path, 0, 0}, "cannot read the worker config file");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void read_text(WorkerFileConfig& c, const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(location_of(path, e.mark), e.msg);
  }
  if (root.IsNull()) return;  // an empty file: every default
  if (!root.IsMap())
    throw InputError(location_of(path, root.Mark()), "the worker config must be a mapping of keys to values");
  std::set<std::string> seen;
  for (const auto& entry : root) {
    const SourceLocation key_at = location_of(path, entry.first.Mark());
    if (!entry.first.IsScalar()) throw InputError(key_at, "expected a key such as bootstrap.servers");
    const std::string key = entry.first.Scalar();
    const auto& keys = worker_config_keys();
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      std::string hint = closest_match(key, keys);
      throw InputError(key_at, "unknown key '" + key + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    }
    if (!seen.insert(key).second) throw InputError(key_at, "duplicate key '" + key + "'");
    const YAML::Node& value = entry.second;
    const SourceLocation value_at = value.Mark().is_null() ? key_at : location_of(path, value.Mark());
    if (value.IsNull()) {
      // An empty value's mark is where the next line starts: name the key's line.
      apply(c, key, "", key_at);
      continue;
    }
    if (!value.IsScalar()) throw InputError(value_at, key + ": expected a single value");
    apply(c, key, value.Scalar(), value_at);
  }
}

}  // namespace

const std::vector<std::string>& worker_config_keys() {
  static const std::vector<std::string> keys = {"bootstrap.servers",
                                                "http.host",
                                                "http.port",
                                                "http.auth.token",
                                                "http.auth.metrics",
                                                "http.max.body.bytes",
                                                "plugin.path",
                                                "worker.id",
                                                "threads",
                                                "scheduler.max.throughput",
                                                "scheduler.policy",
                                                "checkpoint.interval",
                                                "checkpoint.storage",
                                                "checkpoint.changelog.partitions",
                                                "source.instances",
                                                "source.batch.max.records",
                                                "source.batch.max.bytes",
                                                "group.id",
                                                "group.session.timeout",
                                                "group.exchange",
                                                "group.exchange.partitions",
                                                "log.level",
                                                "log.format"};
  return keys;
}

std::string env_name_of(const std::string& key) {
  std::string out = "ANANAS_";
  for (char ch : key) out += ch == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

WorkerFileConfig load_worker_config(const std::optional<std::string>& path,
                                    const std::map<std::string, std::string>& env) {
  if (path) return load_worker_config_text(read_file(*path), *path, env);
  return load_worker_config_text("", "", env);
}

WorkerFileConfig load_worker_config_text(const std::string& text, const std::string& file,
                                         const std::map<std::string, std::string>& env) {
  WorkerFileConfig c;
  read_text(c, text, file);
  for (const std::string& key : worker_config_keys()) {
    const std::string var = env_name_of(key);
    auto it = env.find(var);
    if (it != env.end()) apply(c, key, it->second, SourceLocation{"environment variable " + var, 0, 0});
  }
  return c;
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e && *e; ++e) {
    std::string entry = *e;
    if (entry.rfind("ANANAS_", 0) != 0) continue;
    size_t eq = entry.find('=');
    if (eq != std::string::npos) out[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return out;
}

}  // namespace ananas::cli
