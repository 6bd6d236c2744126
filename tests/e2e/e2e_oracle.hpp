#pragma once
// The offline runner (`ananas test` / `ananas replay`) as the oracle for what
// the worker wrote to Kafka.
#include <string>

#include "e2e_process.hpp"

namespace ananas::e2e {

// `ananas test APP --input INPUT --expect OUTPUT`: exit 0 only when the
// worker's output equals the oracle's (upsert sinks as final tables, append
// sinks as multisets). Returns the command's exit code; `report` gets its output.
int oracle_test(const std::string& app, const std::string& input_dump, const std::string& output_dump,
                std::string& report);

// Dumps `input_topic` and `output_topic` into `dir` with kcat and runs
// oracle_test on them: 0 when the output is what the oracle computes.
int oracle_test_topics(const ScratchDir& dir, const std::string& bootstrap, const std::string& app,
                       const std::string& input_topic, const std::string& output_topic, std::string& report);

// An append sink's output against the oracle's (`ananas replay`), both as
// multisets of (key, value) records.
struct AppendComparison {
  size_t oracle_records = 0, output_records = 0;
  size_t missing = 0;     // oracle records the output lacks (counting repeats)
  size_t duplicated = 0;  // output records beyond the oracle's count of the same record
  size_t unexpected = 0;  // output records the oracle never produced
  std::string problems;   // what is wrong, readable (the first few of each kind); "" when exact
  bool exact() const { return problems.empty(); }
};
AppendComparison compare_append_output(const std::string& app, const std::string& input_dump,
                                       const std::string& output_dump);

// Exactly-once check for an append sink: OUTPUT equals the oracle's output as
// a multiset (nothing missing, no duplicate, nothing else). Returns "" or what is wrong.
std::string equals_oracle_output(const std::string& app, const std::string& input_dump,
                                 const std::string& output_dump);

// At-least-once check for an append sink: every record of the oracle's
// output (`ananas replay`) appears in OUTPUT at least as often, and OUTPUT
// holds no record the oracle does not. Returns "" or what is wrong.
std::string contains_oracle_output(const std::string& app, const std::string& input_dump,
                                   const std::string& output_dump);

}  // namespace ananas::e2e
