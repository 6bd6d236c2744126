// `ananas generate --output FILE`: the benchmarks' input, written by the
// project's own generator (no broker, no outside tool), reproducibly.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kafka_test_support.hpp"

using namespace ananas::test;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("ananas-generate-file-" + std::to_string(getpid()));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

}  // namespace

TEST_CASE("ananas generate --output writes key<TAB>value orders that depend only on the options") {
  TempDir dir;
  const std::string a = dir.file("a.kv"), b = dir.file("b.kv"), c = dir.file("c.kv");
  for (const std::string& path : {a, b}) {
    ProcessResult r = run_process({ANANAS_BINARY, "generate", "--output", path, "--count", "300", "--seed", "7"}, "",
                                  std::chrono::seconds(30));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("wrote 300 orders") != std::string::npos);
  }
  const std::string text = read_all(a);
  CHECK(text == read_all(b));  // same options, same bytes

  std::istringstream lines(text);
  std::string line;
  int64_t n = 0;
  bool escaped_emoji = false;
  while (std::getline(lines, line)) {
    size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    const std::string key = line.substr(0, tab), value = line.substr(tab + 1);
    REQUIRE(value.find('\t') == std::string::npos);
    auto order = nlohmann::ordered_json::parse(value);
    CHECK(key == "{\"shop\": \"" + order["shop"].get<std::string>() + "\"}");
    CHECK(order["id"].get<int64_t>() == n);                                 // ids from 0
    CHECK(order["timestamp"].get<int64_t>() == 1700000000000 + 10 * n);     // 10 ms apart
    CHECK(order.size() == 7);
    if (value.find("\\ud83c") != std::string::npos) escaped_emoji = true;
    ++n;
  }
  CHECK(n == 300);
  CHECK(escaped_emoji);

  ProcessResult other = run_process({ANANAS_BINARY, "generate", "--output", c, "--count", "300", "--seed", "8",
                                     "--start-id", "1000", "--start-ts", "0", "--ts-step-ms", "1"},
                                    "", std::chrono::seconds(30));
  REQUIRE(other.exit_code == 0);
  const std::string seeded = read_all(c);
  CHECK(seeded != text);
  CHECK(seeded.find("{\"id\": 1000, ") != std::string::npos);

  ProcessResult both = run_process({ANANAS_BINARY, "generate", "--output", c, "--bootstrap-servers", "127.0.0.1:1"},
                                   "", std::chrono::seconds(30));
  CHECK(both.exit_code == 2);
  ProcessResult no_count = run_process({ANANAS_BINARY, "generate", "--output", c}, "", std::chrono::seconds(30));
  CHECK(no_count.exit_code != 0);
}
