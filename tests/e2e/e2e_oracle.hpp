#pragma once
// The offline runner (`ananas test` / `ananas replay`) as the oracle for what
// the worker wrote to Kafka.
#include <string>

namespace ananas::e2e {

// `ananas test APP --input INPUT --expect OUTPUT`: exit 0 only when the
// worker's output equals the oracle's (upsert sinks as final tables, append
// sinks as multisets). Returns the command's exit code; `report` gets its output.
int oracle_test(const std::string& app, const std::string& input_dump, const std::string& output_dump,
                std::string& report);

// At-least-once check for an append sink: every record of the oracle's
// output (`ananas replay`) appears in OUTPUT at least as often, and OUTPUT
// holds no record the oracle does not. Returns "" or what is wrong.
std::string contains_oracle_output(const std::string& app, const std::string& input_dump,
                                   const std::string& output_dump);

}  // namespace ananas::e2e
