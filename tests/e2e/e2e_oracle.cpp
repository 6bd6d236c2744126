#include "e2e_oracle.hpp"

#include <nlohmann/json.hpp>

#include <map>

#include "e2e_kafka.hpp"

namespace ananas::e2e {

int oracle_test(const std::string& app, const std::string& input_dump, const std::string& output_dump,
                std::string& report) {
  Result r = run({ananas_binary(), "test", app, "--input", input_dump, "--expect", output_dump}, 120s);
  report = r.out + r.err;
  return r.exit_code;
}

namespace {

using RecordCounts = std::map<std::pair<std::string, std::string>, int>;  // (key, payload) -> count

RecordCounts count_records(const std::string& kcat_lines) {
  RecordCounts out;
  for (const auto& line : lines_of(kcat_lines)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    ++out[{j["key"].dump(), j["payload"].dump()}];
  }
  return out;
}

}  // namespace

std::string contains_oracle_output(const std::string& app, const std::string& input_dump,
                                   const std::string& output_dump) {
  Result r = run({ananas_binary(), "replay", app, "--input", input_dump}, 120s);
  if (r.exit_code != 0) return "ananas replay failed: " + r.err;
  RecordCounts oracle = count_records(r.out);
  RecordCounts actual = count_records(read_text(output_dump));
  std::string problems;
  for (const auto& [record, n] : oracle) {
    auto it = actual.find(record);
    int have = it == actual.end() ? 0 : it->second;
    if (have < n)
      problems += "missing (" + std::to_string(have) + " of " + std::to_string(n) + "): " + record.second + "\n";
  }
  for (const auto& [record, n] : actual)
    if (!oracle.count(record)) problems += "unexpected: " + record.second + "\n";
  if (oracle.empty()) problems += "the oracle produced no output: the check would prove nothing\n";
  return problems;
}

}  // namespace ananas::e2e
