#pragma once
// Shared by the planner tests: a catalog of tables every script can use, and
// "this script fails at the place of <needle> with <phrase>".
#include <catch2/catch.hpp>

#include <string>

#include "core/diagnostic.hpp"
#include "pipelines/sql/planner.hpp"
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/yaml/emit.hpp"
#include "pipelines/yaml/load.hpp"

namespace planner_test {

// One table per line, so a statement appended to it starts on line 6.
inline const std::string kTables =
    "CREATE TABLE pizza_source (id INT, name VARCHAR, pizzas ARRAY<ROW<pizzaName VARCHAR, additionalToppings ARRAY<VARCHAR>>>, "
    "tags ARRAY<VARCHAR>, orderTimestamp TIMESTAMP(3) METADATA FROM 'timestamp', orderProctime AS PROCTIME(), "
    "WATERMARK FOR orderTimestamp AS orderTimestamp - INTERVAL '5' SECOND) WITH ('connector' = 'kafka', 'topic' = 'pizzas', "
    "'properties.bootstrap.servers' = 'localhost:9092', 'value.format' = 'json');\n"
    "CREATE TABLE filtered (id INT, name VARCHAR, topping VARCHAR, orderTimestamp TIMESTAMP(3)) WITH ('connector' = 'kafka', "
    "'topic' = 'out', 'properties.bootstrap.servers' = 'localhost:9092', 'value.format' = 'json');\n"
    "CREATE TABLE counts (id INT, nr BIGINT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = 'c', "
    "'properties.bootstrap.servers' = 'localhost:9092', 'key.format' = 'json', 'value.format' = 'json');\n"
    "CREATE TABLE windows (topping VARCHAR, window_start TIMESTAMP(3), window_end TIMESTAMP(3), nr BIGINT, "
    "PRIMARY KEY (topping, window_start, window_end) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = 'w', "
    "'properties.bootstrap.servers' = 'localhost:9092', 'key.format' = 'json', 'value.format' = 'json');\n"
    "CREATE TABLE narrow (id INT, nr INT) WITH ('connector' = 'kafka', 'topic' = 'n', "
    "'properties.bootstrap.servers' = 'localhost:9092', 'value.format' = 'json');\n";

// Line and column (1-based, bytes) of the `occurrence`-th `needle` in `text`.
inline ananas::SourceLocation locate(const std::string& text, const std::string& needle, int occurrence = 0) {
  size_t at = text.find(needle);
  for (int i = 0; i < occurrence && at != std::string::npos; ++i) at = text.find(needle, at + 1);
  REQUIRE(at != std::string::npos);
  ananas::SourceLocation loc{"t.sql", 1, 1};
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      loc.column = 1;
    } else {
      ++loc.column;
    }
  }
  return loc;
}

inline ananas::pipeline::PipelineSet translate(const std::string& script) {
  return ananas::pipeline::translate_sql({{"t.sql", script}}, "t");
}

struct Failure {
  bool failed = false;
  ananas::SourceLocation location;
  std::string message;
  std::string what;
};

inline Failure translate_failure(const std::string& script) {
  Failure f;
  try {
    (void)translate(script);
  } catch (const ananas::InputError& e) {
    f.failed = true;
    f.location = e.location();
    f.message = e.message();
    f.what = e.what();
  }
  return f;
}

// Looking into a translation: its operators, and that it loads back and builds.
namespace model {

using namespace ananas::pipeline;

inline const Pipeline& only_pipeline(const PipelineSet& set) {
  REQUIRE(set.pipelines.size() == 1);
  return set.pipelines[0];
}

inline std::vector<std::string> operator_names(const Pipeline& p) {
  std::vector<std::string> out;
  for (const auto& o : p.operators) out.push_back(o.name);
  return out;
}

inline const Operator& op(const Pipeline& p, const std::string& name) {
  const Operator* o = p.find_operator(name);
  INFO("operator " << name);
  REQUIRE(o != nullptr);
  return *o;
}

inline std::vector<std::string> select_names(const Calc& c) {
  std::vector<std::string> out;
  if (c.select)
    for (const auto& s : *c.select) out.push_back(s.name);
  return out;
}

// Every translation must also be valid pipeline YAML that loads back to the same model.
inline void check_round_trip(const PipelineSet& set) {
  const std::string yaml = emit_pipelines_yaml(set);
  INFO(yaml);
  CHECK(load_pipelines_yaml(yaml, "t.yaml") == set);
  // ... and it binds: names, types and expressions are what the build stage accepts.
  for (const auto& p : set.pipelines) {
    try {
      (void)build_pipeline(p);
    } catch (const ananas::InputError& e) {
      FAIL("pipeline " << p.name << " does not build: " << e.what());
    }
  }
}

}  // namespace model

}  // namespace planner_test

// `script` must fail exactly once, at the first character of the
// `occurrence`-th `needle`, with `phrase` in the message.
#define CHECK_PLAN_ERROR_AT(script, needle, occurrence, phrase)                            \
  do {                                                                                      \
    const std::string script_ = (script);                                                   \
    const auto failure_ = planner_test::translate_failure(script_);                         \
    INFO("message: " << failure_.what);                                                     \
    REQUIRE(failure_.failed);                                                               \
    const auto expected_ = planner_test::locate(script_, (needle), (occurrence));           \
    CHECK(failure_.location.to_string() == expected_.to_string());                          \
    CHECK_THAT(failure_.message, Catch::Matchers::Contains(phrase));                        \
  } while (0)

#define CHECK_PLAN_ERROR(script, needle, phrase) CHECK_PLAN_ERROR_AT(script, needle, 0, phrase)
