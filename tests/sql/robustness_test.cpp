// Damaged input never crashes, hangs or escapes as anything but InputError.
#include <catch2/catch.hpp>

#include <random>

#include "core/sql/expr_parser.hpp"
#include "core/sql/type_parser.hpp"
#include "pipelines/sql/statement_parser.hpp"
#include "tests/sql/sql_test_helpers.hpp"

using namespace ananas;
using namespace ananas::sql;

namespace {

// Parses and reports whether it was accepted; any exception other than InputError fails the test.
bool accepted(const std::string& text) {
  try {
    parse_statements(text, "fuzz.sql");
    return true;
  } catch (const InputError& e) {
    CHECK(e.location().line >= 1);
    return false;
  }
}

std::string mutate(const std::string& text, std::mt19937& rng) {
  std::string s = text;
  std::uniform_int_distribution<size_t> pos(0, s.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  switch (rng() % 5) {
    case 0: s.erase(pos(rng), 1 + rng() % 8); break;
    case 1: s.insert(pos(rng), 1, static_cast<char>(byte(rng))); break;
    case 2: s[pos(rng)] = static_cast<char>(byte(rng)); break;
    case 3: {
      size_t from = pos(rng), len = 1 + rng() % 20;
      s.insert(pos(rng), s.substr(from, len));
      break;
    }
    default: s.insert(pos(rng), std::string(1 + rng() % 3, "()'`{}[];,<>"[rng() % 12])); break;
  }
  return s;
}

}  // namespace

TEST_CASE("randomly damaged seed SQL is accepted or rejected with an InputError") {
  std::mt19937 rng(20240917);
  size_t rejected = 0, total = 0;
  for (const auto& name : sql_test::seed_names()) {
    auto app = sql_test::read_seed(name);
    for (const auto& text : sql_test::seed_sql_texts(app)) {
      for (int i = 0; i < 300; ++i) {
        std::string damaged = mutate(text, rng);
        if (rng() % 4 == 0) damaged = mutate(damaged, rng);
        ++total;
        if (!accepted(damaged)) ++rejected;
      }
    }
  }
  CHECK(total == 4500);
  CHECK(rejected > total / 4);
}

TEST_CASE("binary garbage is rejected") {
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string garbage(1 + rng() % 64, '\0');
    for (char& c : garbage) c = static_cast<char>(rng() % 256);
    CHECK_FALSE(accepted(garbage));
  }
}

TEST_CASE("a byte order mark is skipped, clause words can still name columns") {
  auto s = parse_statements("\xEF\xBB\xBFSELECT 1", "bom.sql");
  CHECK(s.at(0)->loc == SourceLocation{"bom.sql", 1, 1});
  auto t = parse_statements("CREATE TABLE t (watermark INT, primary INT, period STRING, WATERMARK FOR watermark AS watermark)", "w.sql");
  const auto& ct = t.at(0)->as<CreateTable>();
  CHECK(ct.columns.size() == 3);
  CHECK(ct.columns[0].name == "watermark");
  REQUIRE(ct.watermark);
  CHECK(ct.watermark->column == "watermark");
}
