// The log line formats: text as people read it (unchanged from before the
// logger), JSON as collectors parse it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/log.hpp"

using namespace ananas;

TEST_CASE("log lines: text keeps the pipeline prefix, json escapes and names every field", "[log]") {
  CHECK(log::format_line(log::Format::Text, log::Level::Warn, "03-windowing", "checkpoint 4 failed") ==
        "pipeline '03-windowing': checkpoint 4 failed");
  CHECK(log::format_line(log::Format::Text, log::Level::Info, "", "ananas run: stopped") == "ananas run: stopped");

  const auto j = nlohmann::json::parse(
      log::format_line(log::Format::Json, log::Level::Error, "p\"1", "line\none \\ tab\t\x01"));
  CHECK(j["level"] == "error");
  CHECK(j["pipeline"] == "p\"1");
  CHECK(j["message"] == "line\none \\ tab\t\x01");
  CHECK(j["time"].get<std::string>().size() == 24);
  CHECK(nlohmann::json::parse(log::format_line(log::Format::Json, log::Level::Info, "", "x"))["pipeline"].is_null());
  // A malformed record's bytes quoted in a message: still one parseable line.
  const auto bad = nlohmann::json::parse(
      log::format_line(log::Format::Json, log::Level::Warn, "p", "bad record: \xff{\"a\xC3\":1} caf\xC3\xA9"));
  CHECK(bad["message"] == "bad record: \xEF\xBF\xBD{\"a\xEF\xBF\xBD\":1} caf\xC3\xA9");
}

TEST_CASE("log levels parse by name and filter the less severe", "[log]") {
  CHECK(log::parse_level("debug") == log::Level::Debug);
  CHECK_FALSE(log::parse_level("loud"));
  CHECK(log::parse_format("json") == log::Format::Json);
  CHECK_FALSE(log::parse_format("xml"));
  log::configure(log::Level::Warn, log::Format::Text);
  CHECK(log::enabled(log::Level::Error));
  CHECK(log::enabled(log::Level::Warn));
  CHECK_FALSE(log::enabled(log::Level::Info));
  log::configure(log::Level::Info, log::Format::Text);
}
