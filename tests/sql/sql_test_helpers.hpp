#pragma once
// Helpers shared by the SQL front-end tests.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnostic.hpp"

namespace sql_test {

// The tutorial's applications, as the repository ships them.
inline std::string seed_dir() { return std::string(ANANAS_SOURCE_DIR) + "/pipelines/examples"; }

inline nlohmann::json read_seed(const std::string& name) {
  std::ifstream in(seed_dir() + "/" + name);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

inline std::vector<std::string> seed_names() {
  return {"01-basic-filtering.json", "02-aggregating.json", "03-windowing.json", "04-trends-up-down.json",
          "04-trends.json"};
}

// Every SQL text of a seed: the sources' and sinks' CREATE TABLE, then the statement.
inline std::vector<std::string> seed_sql_texts(const nlohmann::json& app) {
  std::vector<std::string> out;
  for (const char* section : {"sources", "sinks"})
    for (const auto& t : app.at(section)) out.push_back(t.at("create_table").get<std::string>());
  out.push_back(app.at("statement").get<std::string>());
  return out;
}

// Runs `fn`, requires an InputError, and returns it (for location and message checks).
inline ananas::InputError input_error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ananas::InputError& e) {
    return e;
  }
  FAIL("expected an InputError");
  throw std::logic_error("unreachable");
}

}  // namespace sql_test
