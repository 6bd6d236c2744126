#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "connectors/basic/blackhole_sink.hpp"
#include "connectors/basic/file_sink.hpp"
#include "connectors/basic/print_sink.hpp"

using namespace ananas::connectors;
using namespace ananas::connectors::basic;

TEST_CASE("print sink writes key -> value lines, null for tombstones, with the identifier") {
  std::ostringstream out;
  PrintSink sink({{"print-identifier", "anomalies"}}, &out);
  sink.write(std::string_view("{\"id\":1}"), std::string_view("{\"v\":2}"));
  sink.write(std::nullopt, std::string_view("{\"v\":3}"));
  sink.write(std::string_view("{\"id\":1}"), std::nullopt);
  CHECK(sink.flush(std::chrono::milliseconds(10)).empty());
  CHECK(out.str() == "anomalies> {\"id\":1} -> {\"v\":2}\nanomalies> {\"v\":3}\nanomalies> {\"id\":1} -> null\n");
  CHECK_THROWS_WITH(PrintSink(Options{{"standard-error", "yes"}}), Catch::Contains("option 'standard-error'"));
}

TEST_CASE("file sink appends lines and reports an unwritable path") {
  auto path = std::filesystem::temp_directory_path() / ("ananas-file-sink-" + std::to_string(getpid()) + ".jsonl");
  std::filesystem::remove(path);
  {
    FileSink sink({{"path", path.string()}});
    sink.write(std::nullopt, std::string_view("{\"a\": 1}"));
    sink.write(std::string_view("k"), std::nullopt);
    CHECK(sink.flush(std::chrono::milliseconds(10)).empty());
  }
  {
    FileSink sink({{"path", path.string()}, {"file.include-key", "true"}});
    sink.write(std::string_view("{\"k\": 2}"), std::string_view("{\"a\": 2}"));
    sink.close();
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "{\"a\": 1}\nnull\n{\"k\": 2}\t{\"a\": 2}\n");
  std::filesystem::remove(path);
  CHECK_THROWS_WITH(FileSink(Options{{"path", "/nonexistent-dir/x.jsonl"}}), Catch::Contains("cannot open '/nonexistent-dir/x.jsonl'"));
  CHECK_THROWS_WITH(FileSink(Options{}), Catch::Contains("option 'path'"));
}

TEST_CASE("blackhole sink counts records, bytes and tombstones") {
  BlackholeSink sink;
  sink.write(std::string_view("ab"), std::string_view("cde"));
  sink.write(std::string_view("ab"), std::nullopt);
  CHECK(sink.records() == 2);
  CHECK(sink.bytes() == 7);
  CHECK(sink.tombstones() == 1);
}
