// The JSON format's options on a sink (Flink docs, Connectors > Formats >
// JSON): json.encode.decimal-as-plain-number, json.timestamp-format.standard
// and json.encode.ignore-null-fields change the bytes written; an upsert-kafka
// table's key and value take their own (key.json.*, value.json.*); an option
// the format does not know, or a value it cannot take, is refused at the
// option, as Flink's factory refuses it, instead of being ignored.
#include <string>
#include <vector>

#include "tests/pipelines/replay_sql_helpers.hpp"

using replay_test::record;
using replay_test::run_sql;

namespace {

const std::string kSource =
    "CREATE TABLE src (id INT, price DECIMAL(10, 2), tiny DECIMAL(12, 10), ts TIMESTAMP(3), lts TIMESTAMP_LTZ(3))\n"
    "WITH ('connector' = 'kafka', 'topic' = 'in', 'properties.bootstrap.servers' = 'b:9092', 'format' = 'json');\n";

std::string script(const std::string& sink_options, const std::string& connector = "'connector' = 'kafka', 'format' = 'json'",
                   const std::string& key = "") {
  return kSource +
         "CREATE TABLE out_t (id INT, price DECIMAL(10, 2), tiny DECIMAL(12, 10), ts TIMESTAMP(3), lts TIMESTAMP_LTZ(3)" + key +
         ")\nWITH (" + connector + ", 'topic' = 'out', 'properties.bootstrap.servers' = 'b:9092'" + sink_options + ");\n"
         "INSERT INTO out_t SELECT * FROM src;\n";
}

std::vector<ananas::KcatRecord> rows() {
  return {record("in", 0, R"({"id":1,"price":100.00,"tiny":0.00000012,"ts":"2024-01-01 10:00:00.5","lts":"2024-01-01 10:00:00Z"})"),
          record("in", 1, R"({"id":2,"price":null,"tiny":null,"ts":null,"lts":null})")};
}

std::string error_of(const std::string& sql) {
  try {
    ananas::pipeline::translate_sql({{"docs.sql", sql}}, "docs");
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("json sink: the defaults write Jackson's BigDecimal.toString and SQL timestamps", "[replay][json_format]") {
  CHECK(run_sql(script(""), rows()) ==
        std::vector<std::string>{
            R"({"id":1,"price":1E+2,"tiny":1.2E-7,"ts":"2024-01-01 10:00:00.5","lts":"2024-01-01 10:00:00Z"})",
            R"({"id":2,"price":null,"tiny":null,"ts":null,"lts":null})"});
}

TEST_CASE("json sink: plain decimals, ISO-8601 timestamps and no null fields when asked", "[replay][json_format]") {
  const std::string options = ", 'json.encode.decimal-as-plain-number' = 'true', 'json.timestamp-format.standard' = 'ISO-8601', "
                              "'json.encode.ignore-null-fields' = 'TRUE'";
  CHECK(run_sql(script(options), rows()) ==
        std::vector<std::string>{
            R"({"id":1,"price":100,"tiny":0.00000012,"ts":"2024-01-01T10:00:00.5","lts":"2024-01-01T10:00:00Z"})",
            R"({"id":2})"});
}

TEST_CASE("json sink: upsert-kafka keys and values take their own format options", "[replay][json_format]") {
  const std::string upsert = "'connector' = 'upsert-kafka', 'key.format' = 'json', 'value.format' = 'json'";
  const std::string key = ", PRIMARY KEY (price) NOT ENFORCED";
  // value.json.* reaches only the value; the key keeps the default.
  CHECK(run_sql(script(", 'value.json.encode.decimal-as-plain-number' = 'true'", upsert, key), {rows()[0]}, true) ==
        std::vector<std::string>{
            R"({"price":1E+2} | {"id":1,"price":100,"tiny":0.00000012,"ts":"2024-01-01 10:00:00.5","lts":"2024-01-01 10:00:00Z"})"});
  // key.json.* reaches only the key.
  CHECK(run_sql(script(", 'key.json.encode.decimal-as-plain-number' = 'true'", upsert, key), {rows()[0]}, true) ==
        std::vector<std::string>{
            R"({"price":100} | {"id":1,"price":1E+2,"tiny":1.2E-7,"ts":"2024-01-01 10:00:00.5","lts":"2024-01-01 10:00:00Z"})"});
}

TEST_CASE("json format options: unknown names and bad values are refused at the option", "[replay][json_format]") {
  CHECK(error_of(script(", 'json.encode.decimal-as-plain' = 'true'")) ==
        "docs.sql:4:109: table 'out_t': Unsupported options found for 'kafka': 'json.encode.decimal-as-plain' (the JSON format's "
        "options are json.fail-on-missing-field, json.ignore-parse-errors, json.timestamp-format.standard, "
        "json.encode.decimal-as-plain-number, json.encode.ignore-null-fields, json.decode.json-parser.enabled)");
  CHECK(error_of(script(", 'json.encode.ignore-null-fields' = 'yes'")) ==
        "docs.sql:4:109: table 'out_t': Could not parse value 'yes' for key 'json.encode.ignore-null-fields' (Unrecognized "
        "option for boolean: yes. Expected either true or false(case insensitive))");
  CHECK(error_of(script(", 'json.timestamp-format.standard' = 'RFC-3339'")) ==
        "docs.sql:4:109: table 'out_t': Unsupported value 'RFC-3339' for timestamp-format.standard. Supported values are [SQL, ISO-8601].");
  CHECK(error_of(script(", 'json.map-null-key.mode' = 'DROP'")) ==
        "docs.sql:4:109: table 'out_t': 'json.map-null-key.mode' is not supported yet: a NULL map key is written as \"null\" "
        "(the LITERAL mode with its default literal)");
  // A source's options are checked the same way.
  std::string sql = script("");
  sql.replace(sql.find("'format' = 'json');"), 19, "'format' = 'json', 'json.ignore-parse-error' = 'true');");
  CHECK(error_of(sql).rfind("docs.sql:2:108: table 'src': Unsupported options found for 'kafka': 'json.ignore-parse-error'", 0) == 0);
}
