#pragma once
// Shared by the pipeline YAML tests: fixture reading and "this text fails at
// line:column with a message containing ...".
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "pipelines/yaml/emit.hpp"
#include "pipelines/yaml/load.hpp"

namespace Catch {
template <>
struct StringMaker<ananas::SourceLocation> {
  static std::string convert(const ananas::SourceLocation& loc) { return loc.to_string(); }
};
}  // namespace Catch

namespace yaml_test {

inline std::string read_fixture(const std::string& name) {
  const std::string path = std::string(ANANAS_SOURCE_DIR) + "/tests/pipelines/fixtures/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Failure {
  bool failed = false;
  ananas::SourceLocation location;
  std::string message;
  std::string what;
};

inline Failure load_failure(const std::string& text) {
  Failure f;
  try {
    (void)ananas::pipeline::load_pipelines_yaml(text, "p.yaml");
  } catch (const ananas::InputError& e) {
    f.failed = true;
    f.location = e.location();
    f.message = e.message();
    f.what = e.what();
  }
  return f;
}

}  // namespace yaml_test

// Asserts that `text` is rejected at line:column with `phrase` in the message.
#define CHECK_YAML_ERROR(text, line_, column_, phrase)               \
  do {                                                               \
    const auto failure_ = yaml_test::load_failure(text);             \
    INFO("message: " << failure_.what);                              \
    REQUIRE(failure_.failed);                                        \
    CHECK(failure_.location.file == "p.yaml");                       \
    CHECK(failure_.location.line == (line_));                        \
    CHECK(failure_.location.column == (column_));                    \
    CHECK_THAT(failure_.message, Catch::Contains(phrase));           \
  } while (false)
