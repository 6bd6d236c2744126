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

int oracle_test_topics(const ScratchDir& dir, const std::string& bootstrap, const std::string& app,
                       const std::string& input_topic, const std::string& output_topic, std::string& report) {
  kcat_dump(bootstrap, input_topic, dir.file(input_topic + ".jsonl"));
  kcat_dump(bootstrap, output_topic, dir.file(output_topic + ".jsonl"));
  return oracle_test(app, dir.file(input_topic + ".jsonl"), dir.file(output_topic + ".jsonl"), report);
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

AppendComparison compare_append_output(const std::string& app, const std::string& input_dump,
                                       const std::string& output_dump) {
  AppendComparison c;
  Result r = run({ananas_binary(), "replay", app, "--input", input_dump}, 120s);
  if (r.exit_code != 0) {
    c.problems = "ananas replay failed: " + r.err;
    return c;
  }
  const RecordCounts oracle = count_records(r.out);
  const RecordCounts actual = count_records(read_text(output_dump));
  // A diff of 100,000 lines helps nobody: a few of each kind, then the counts.
  constexpr size_t kShown = 10;
  size_t shown_missing = 0, shown_duplicated = 0, shown_unexpected = 0;
  for (const auto& [record, n] : oracle) {
    c.oracle_records += static_cast<size_t>(n);
    auto it = actual.find(record);
    const int have = it == actual.end() ? 0 : it->second;
    if (have < n) {
      c.missing += static_cast<size_t>(n - have);
      if (shown_missing++ < kShown)
        c.problems += "missing (" + std::to_string(have) + " of " + std::to_string(n) + "): " + record.second + "\n";
    } else if (have > n) {
      c.duplicated += static_cast<size_t>(have - n);
      if (shown_duplicated++ < kShown)
        c.problems += "duplicated (" + std::to_string(have) + " for " + std::to_string(n) + "): " + record.second + "\n";
    }
  }
  for (const auto& [record, n] : actual) {
    c.output_records += static_cast<size_t>(n);
    if (oracle.count(record)) continue;
    c.unexpected += static_cast<size_t>(n);
    if (shown_unexpected++ < kShown) c.problems += "unexpected: " + record.second + "\n";
  }
  if (c.missing + c.duplicated + c.unexpected > 0)
    c.problems += std::to_string(c.missing) + " missing, " + std::to_string(c.duplicated) + " duplicated, " +
                  std::to_string(c.unexpected) + " unexpected of " + std::to_string(c.oracle_records) +
                  " oracle records (" + std::to_string(c.output_records) + " in the output)\n";
  if (oracle.empty()) c.problems += "the oracle produced no output: the check would prove nothing\n";
  return c;
}

std::string equals_oracle_output(const std::string& app, const std::string& input_dump,
                                 const std::string& output_dump) {
  return compare_append_output(app, input_dump, output_dump).problems;
}

std::string contains_oracle_output(const std::string& app, const std::string& input_dump,
                                   const std::string& output_dump) {
  const AppendComparison c = compare_append_output(app, input_dump, output_dump);
  if (c.missing == 0 && c.unexpected == 0 && c.oracle_records > 0) return "";  // duplicates allowed
  return c.problems;
}

}  // namespace ananas::e2e
