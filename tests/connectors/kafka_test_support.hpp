#pragma once
// kcat as the independent Kafka client of the tests.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "process_runner.hpp"

namespace ananas::test {

// Skips the calling test (with a visible warning) when kcat is missing.
#define REQUIRE_KCAT()                                          \
  do {                                                          \
    if (!::ananas::test::program_exists("kcat")) {              \
      WARN("kcat not installed (Debian package kcat): skipped"); \
      return;                                                   \
    }                                                           \
  } while (0)

// Every record of `topic` from the beginning to the current end, as kcat -J objects.
inline std::vector<nlohmann::json> kcat_consume(const std::string& bootstrap, const std::string& topic) {
  ProcessResult r = run_process({"kcat", "-b", bootstrap, "-C", "-t", topic, "-J", "-e", "-q"}, "",
                                std::chrono::seconds(30));
  INFO("kcat stderr: " << r.err);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.exit_code == 0);
  std::vector<nlohmann::json> out;
  size_t start = 0;
  while (start < r.out.size()) {
    size_t nl = r.out.find('\n', start);
    if (nl == std::string::npos) nl = r.out.size();
    if (nl > start) out.push_back(nlohmann::json::parse(r.out.substr(start, nl - start)));
    start = nl + 1;
  }
  return out;
}

// Produces "key:value" lines (kcat -P -K:) to one partition (-1 = kcat's choice).
inline void kcat_produce(const std::string& bootstrap, const std::string& topic, const std::string& lines,
                         int partition = -1) {
  std::vector<std::string> argv = {"kcat", "-b", bootstrap, "-P", "-t", topic, "-K:"};
  if (partition >= 0) argv.insert(argv.end(), {"-p", std::to_string(partition)});
  ProcessResult r = run_process(argv, lines, std::chrono::seconds(30));
  INFO("kcat stderr: " << r.err);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.exit_code == 0);
}

}  // namespace ananas::test
