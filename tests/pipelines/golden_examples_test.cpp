// The shipped examples (pipelines/examples/*.json with their committed
// translations *.yaml) are golden files: translating the application JSON must
// give the committed YAML byte for byte, so any drift of the translator shows
// up here, with the first differing lines and the command that regenerates it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "pipelines/input_files.hpp"
#include "pipelines/sql/planner.hpp"
#include "pipelines/yaml/emit.hpp"
#include "pipelines/yaml/load.hpp"

namespace {

namespace fs = std::filesystem;
using namespace ananas;
using namespace ananas::pipeline;

fs::path examples_dir() { return fs::path(ANANAS_SOURCE_DIR) / "pipelines" / "examples"; }

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) out.push_back(line);
  if (!text.empty() && text.back() != '\n') out.back() += "  <no newline at end>";
  return out;
}

// A short unified-style excerpt around the first differing line: enough to see
// what drifted without dumping both files.
std::string first_difference(const std::string& expected, const std::string& actual) {
  const auto e = lines_of(expected), a = lines_of(actual);
  size_t i = 0;
  while (i < e.size() && i < a.size() && e[i] == a[i]) ++i;
  std::ostringstream out;
  out << "@@ first difference at line " << i + 1 << " (- committed, + translated) @@\n";
  for (size_t k = i >= 2 ? i - 2 : 0; k < i; ++k) out << "  " << e[k] << "\n";
  for (size_t k = i; k < std::min(e.size(), i + 4); ++k) out << "- " << e[k] << "\n";
  for (size_t k = i; k < std::min(a.size(), i + 4); ++k) out << "+ " << a[k] << "\n";
  return out.str();
}

std::vector<std::string> example_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(examples_dir()))
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

PipelineSet translate_example(const std::string& name) {
  return load_input(read_input((examples_dir() / (name + ".json")).string()));
}

const Warning* find_warning(const Warnings& ws, const std::string& phrase) {
  for (const auto& w : ws)
    if (w.message.find(phrase) != std::string::npos) return &w;
  return nullptr;
}

}  // namespace

TEST_CASE("golden: every example application has a committed translation", "[golden]") {
  const auto names = example_names();
  REQUIRE(names.size() == 5);
  for (const auto& n : names) {
    INFO(n);
    CHECK(fs::exists(examples_dir() / (n + ".yaml")));
  }
}

TEST_CASE("golden: translating each example gives the committed YAML byte for byte", "[golden]") {
  for (const auto& name : example_names()) {
    const std::string committed = read_text(examples_dir() / (name + ".yaml"));
    const std::string translated = emit_pipelines_yaml(translate_example(name));
    INFO(name << ": the translation drifted from the committed YAML.\n"
              << first_difference(committed, translated) << "If the change is intended, regenerate it with:\n"
              << "  build/ananas translate pipelines/examples/" << name << ".json -o pipelines/examples/" << name << ".yaml");
    const bool identical = translated == committed;  // a bool, so the failure shows the diff, not both files
    CHECK(identical);
  }
}

TEST_CASE("golden: the committed YAML loads and re-emits identically", "[golden]") {
  for (const auto& name : example_names()) {
    const std::string committed = read_text(examples_dir() / (name + ".yaml"));
    const PipelineSet loaded = load_pipelines_yaml(committed, name + ".yaml");
    INFO(name << "\n" << first_difference(committed, emit_pipelines_yaml(loaded)));
    // As when translated: only the tutorial's empty bootstrap servers, which the worker fills in.
    for (const auto& w : loaded.warnings) {
      INFO(w.to_string());
      CHECK(w.message.find("'properties.bootstrap.servers'") != std::string::npos);
    }
    const bool re_emitted_identically = emit_pipelines_yaml(loaded) == committed;
    CHECK(re_emitted_identically);
    // Loading and translating describe the same pipelines, not only the same text.
    CHECK(loaded == translate_example(name));
  }
}

TEST_CASE("golden: 01 translates without warnings beyond the empty bootstrap servers", "[golden]") {
  const PipelineSet set = translate_example("01-basic-filtering");
  REQUIRE(set.pipelines.size() == 1);
  for (const auto& w : set.warnings) {
    INFO(w.to_string());
    CHECK(w.message.find("'properties.bootstrap.servers'") != std::string::npos);
  }
  CHECK(find_warning(set.warnings, "PRIMARY KEY") == nullptr);
  CHECK(find_warning(set.warnings, "maps columns by position") == nullptr);
}

TEST_CASE("golden: 02 warns about PRIMARY KEY without NOT ENFORCED and the positional rename", "[golden]") {
  const PipelineSet set = translate_example("02-aggregating");
  const Warning* pk = find_warning(set.warnings, "without NOT ENFORCED");
  REQUIRE(pk != nullptr);
  CHECK(pk->message.find("Flink doesn't support ENFORCED mode for PRIMARY KEY constraint.") != std::string::npos);
  CHECK_THAT(pk->location.file, Catch::Matchers::EndsWith("/02-aggregating.json#/sinks/0/create_table"));
  // `id INT PRIMARY KEY,` on the second line of the sink's CREATE TABLE.
  CHECK(pk->location.line == 2);
  CHECK(pk->location.column == 12);

  const Warning* rename = find_warning(set.warnings, "maps columns by position");
  REQUIRE(rename != nullptr);
  CHECK(rename->message.find("'list_bad_items' is written to sink column 'toppings'") != std::string::npos);
  CHECK_THAT(rename->location.file, Catch::Matchers::EndsWith("/02-aggregating.json#/statement"));
  CHECK(rename->location.line == 1);
  CHECK(rename->location.column == 13);  // insert into pizzas_aggs
  // Only the one column whose name differs is reported.
  size_t renames = std::count_if(set.warnings.begin(), set.warnings.end(),
                                 [](const Warning& w) { return w.message.find("maps columns by position") != std::string::npos; });
  CHECK(renames == 1);
}

TEST_CASE("golden: 04 warns that its bootstrap servers hold a topic name", "[golden]") {
  for (const char* name : {"04-trends", "04-trends-up-down"}) {
    INFO(name);
    const PipelineSet set = translate_example(name);
    const Warning* bs = find_warning(set.warnings, "'pizza_stream_out_trends', not a host:port list");
    REQUIRE(bs != nullptr);
    CHECK_THAT(bs->location.file, Catch::Matchers::EndsWith("/" + std::string(name) + ".json#/sinks/0/create_table"));
    const std::string sink_sql = [&] {
      for (const auto& t : application_json_sql(read_text(examples_dir() / (std::string(name) + ".json")), name))
        if (t.origin.find("#/sinks/0/") != std::string::npos) return t.text;
      return std::string();
    }();
    REQUIRE(!sink_sql.empty());
    // The warning points at the option's value: find its line and column in the SQL.
    const std::string needle = "'properties.bootstrap.servers' = '";
    const size_t at = sink_sql.find(needle);
    REQUIRE(at != std::string::npos);
    const size_t value_at = at + needle.size() - 1;
    const int line = 1 + static_cast<int>(std::count(sink_sql.begin(), sink_sql.begin() + static_cast<long>(value_at), '\n'));
    const size_t line_start = sink_sql.rfind('\n', value_at);
    const int column = static_cast<int>(value_at - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
    CHECK(bs->location.line == line);
    CHECK(bs->location.column == column);
  }
}
