// POST /pipelines bodies made to blow the parsers up, through the real
// translator: each is answered 400 with the place of the problem, and the
// worker goes on answering and taking pipelines. (100,000 chained ORs used
// to overflow the planner's stack and take the worker down.)
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "actors/drivers/rest_translator.hpp"
#include "actors/http_server.hpp"
#include "core/schema.hpp"
#include "test_doubles.hpp"

using namespace ananas;
using namespace ananas::rt;
using namespace ananas::rt::testing;
using nlohmann::json;

namespace {

const std::string kTables =
    "CREATE TABLE t (a INT) WITH ('connector' = 'datagen');\n"
    "CREATE TABLE o (a INT) WITH ('connector' = 'blackhole');\n";

std::string repeat(const std::string& s, size_t n, const std::string& separator = "") {
  std::string out;
  out.reserve((s.size() + separator.size()) * n);
  for (size_t i = 0; i < n; ++i) out += (i ? separator : "") + s;
  return out;
}

// A fuzz target's input kept in fuzz/corpus (for rest_body, its first byte
// picked the Content-Type).
std::string fuzz_input(const std::string& name) {
  std::ifstream in(std::string(ANANAS_SOURCE_DIR) + "/fuzz/corpus/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Bomb {
  std::string what;
  std::string content_type;
  std::string body;
  std::string expected;  // in the message, after "<name>:<line>:<column>: "
};

std::vector<Bomb> bombs() {
  const std::string ten_mb(10 << 20, 'x');
  std::string columns;
  for (int i = 0; i < 100000; ++i) columns += (i ? ",\n" : "") + ("c" + std::to_string(i)) + " INT";
  std::string items;
  for (int i = 0; i < 100000; ++i) items += (i ? ", " : "") + ("a AS c" + std::to_string(i));
  return {
      {"parentheses nested 100,000 deep", "application/sql",
       kTables + "INSERT INTO o SELECT " + std::string(100000, '(') + "a" + std::string(100000, ')') + " FROM t;",
       "nested too deeply"},
      {"100,000 chained ORs", "application/sql",
       kTables + "INSERT INTO o SELECT a FROM t WHERE " + repeat("a = 1", 100000, " OR ") + ";",
       "too many operators in a chain"},
      {"100,000 chained additions", "application/sql",
       kTables + "INSERT INTO o SELECT " + repeat("a", 100000, " + ") + " FROM t;", "too many operators in a chain"},
      {"an unterminated 10 MB literal", "application/sql",
       kTables + "INSERT INTO o SELECT a FROM t WHERE a = '" + ten_mb + ";", "unterminated string"},
      {"a 10 MB literal next to an unknown column", "application/sql",
       kTables + "INSERT INTO o SELECT a FROM t WHERE b = '" + ten_mb + "';", "'b'"},
      {"a table of 100,000 columns", "application/sql",
       "CREATE TABLE t (" + columns + ") WITH ('connector' = 'datagen');",
       "too many columns: a table has at most " + std::to_string(kMaxColumns)},
      {"a select list of 100,000 items", "application/sql", kTables + "INSERT INTO o SELECT " + items + " FROM t;",
       "too many items in the select list"},
      {"YAML nested 100,000 deep", "application/yaml",
       "pipeline: deep\nsources: " + std::string(100000, '[') + std::string(100000, ']') + "\n", ""},
      {"JSON nested 100,000 deep", "application/json",
       "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}", ""},
      // Found by fuzz/rest_body: curl --data of SQL cut before its CREATE is
      // taken for YAML, and yaml-cpp 0.7's LoadAll looped forever on the
      // leading comma, holding an HTTP thread (the client's read timeout
      // bounds this test if it comes back).
      {"SQL cut before its CREATE, sent as form data", "application/x-www-form-urlencoded",
       fuzz_input("rest_body/timeout-a7fda7d921dddf1865d4fd0bdd401485f63dcfc6").substr(1),
       "',' outside a flow collection"},
  };
}

}  // namespace

TEST_CASE("SQL, YAML and JSON made to blow the parsers up get a located 400 and the worker goes on", "[http]") {
  Worker worker(test_worker_config());
  drivers::WorkerSettings settings;
  settings.durable_checkpoints = false;
  HttpServer server(worker, drivers::make_pipeline_translator(std::make_shared<Metrics>(), settings),
                    HttpOptions{"127.0.0.1", 0});
  const int port = server.start();
  httplib::Client http("127.0.0.1", port);
  http.set_read_timeout(60);
  http.set_write_timeout(60);
  // Unnamed SQL and JSON bodies are pipeline-<n>.sql|json; YAML is named by its pipeline: key.
  const std::regex located(R"(^[\w.-]+\.(sql|yaml|json):\d+:\d+: )");

  for (const Bomb& bomb : bombs()) {
    INFO(bomb.what);
    auto r = http.Post("/pipelines", bomb.body, bomb.content_type.c_str());
    REQUIRE(r);
    CHECK(r->status == 400);
    const std::string message = json::parse(r->body)["message"].get<std::string>();
    INFO(message.substr(0, 300));
    CHECK(std::regex_search(message.substr(0, 300), located));
    CHECK_THAT(message, Catch::Contains(bomb.expected));
    auto health = http.Get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
  }

  // Still takes a pipeline, and lists only that one.
  auto created = http.Post("/pipelines", kTables + "INSERT INTO o SELECT a FROM t WHERE " + repeat("a = 1", 900, " OR ") + ";",
                           "application/sql; name=after-the-bombs");
  REQUIRE(created);
  CHECK(created->status == 201);
  auto list = http.Get("/pipelines");
  REQUIRE(list);
  CHECK(json::parse(list->body) == json::array({"after-the-bombs"}));
  server.stop();
  worker.stop();
}
