// Malformed pipeline YAML: each input is rejected at the exact line:column
// with a message that says what is wrong.
#include "core/schema.hpp"
#include "tests/pipelines/yaml_test_helpers.hpp"

using namespace ananas;
using namespace ananas::pipeline;

namespace {

// A valid pipeline; the tests break one thing at a time.
const std::string kHead =
    "pipeline: p\n"                                           // 1
    "sources:\n"                                              // 2
    "  - name: src\n"                                         // 3
    "    connector: kafka\n"                                  // 4
    "    format: json\n"                                      // 5
    "    columns:\n"                                          // 6
    "      - {name: id, type: INT}\n"                         // 7
    "      - {name: ts, type: TIMESTAMP(3)}\n";               // 8
const std::string kSink =
    "sinks:\n"
    "  - {name: out, input: src, connector: print, columns: [{name: id, type: INT}]}\n";

}  // namespace

TEST_CASE("the valid base pipeline loads") {
  const PipelineSet set = load_pipelines_yaml(kHead + kSink, "p.yaml");
  CHECK(set.pipelines.at(0).sinks.at(0).input == "src");
}

TEST_CASE("YAML syntax error is reported at yaml-cpp's mark") {
  CHECK_YAML_ERROR("pipeline: p\nsources: [a, b\n", 3, 1, "YAML syntax error: end of sequence flow not found");
}

TEST_CASE("wrong node kind: a string where a list belongs") {
  CHECK_YAML_ERROR("pipeline: p\nsources: pizzas\n" + kSink, 2, 10, "sources: expected a list, got a string");
}

TEST_CASE("missing required key is reported at the parent mapping") {
  const std::string text = kHead +
                           "operators:\n"
                           "  - name: unnest_pizzas\n"  // 10
                           "    type: unnest\n"
                           "    input: src\n"
                           "    columns: [x]\n" +
                           kSink;
  CHECK_YAML_ERROR(text, 10, 5, "operators[0] (unnest_pizzas): missing required key 'array'");
}

TEST_CASE("unknown key gets a did-you-mean") {
  const std::string text = kHead +
                           "operators:\n"
                           "  - name: f\n"
                           "    type: calc\n"
                           "    inputt: src\n"  // 12
                           "    where: id > 1\n" +
                           kSink;
  CHECK_YAML_ERROR(text, 12, 5, "unknown key 'inputt' (did you mean 'input'?)");
}

TEST_CASE("duplicate keys are rejected, not silently resolved") {
  CHECK_YAML_ERROR(kHead + "    format: avro\n" + kSink, 9, 5, "duplicate key 'format' (first at line 5)");
}

TEST_CASE("duplicate node names") {
  const std::string text = kHead + "operators:\n  - {name: src, type: calc, input: src, where: id > 1}\n" + kSink;
  CHECK_YAML_ERROR(text, 10, 5, "duplicate name 'src' (already used by a source at line 3)");
}

TEST_CASE("an input that names nothing gets a did-you-mean") {
  const std::string text = kHead + "sinks:\n  - {name: out, input: sr, connector: print, columns: [{name: id, type: INT}]}\n";
  CHECK_YAML_ERROR(text, 10, 24, "input 'sr' is not a source or operator of pipeline p (did you mean 'src'?)");
}

TEST_CASE("a cycle between operators") {
  const std::string text = kHead +
                           "operators:\n"
                           "  - {name: a, type: calc, input: b, where: x}\n"  // 10
                           "  - {name: b, type: calc, input: a, where: x}\n" +
                           kSink;
  CHECK_YAML_ERROR(text, 10, 34, "operators[0] (a): cycle: a -> b -> a");
}

TEST_CASE("an unknown operator type") {
  const std::string text = kHead + "operators:\n  - {name: a, type: unnset, input: src}\n" + kSink;
  CHECK_YAML_ERROR(text, 10, 21, "unknown operator type 'unnset' (did you mean 'unnest'?)");
}

TEST_CASE("unknown enum values: restart strategy, on_error, window kind, skip") {
  CHECK_YAML_ERROR("pipeline: p\nrestart: {strategy: fixed}\n", 2, 21,
                   "unknown restart strategy 'fixed' (expected one of: none fixed-delay exponential-delay failure-rate)");
  CHECK_YAML_ERROR("pipeline: p\non_error: ignore\n", 2, 11, "unknown on_error value 'ignore'");
  CHECK_YAML_ERROR(kHead +
                       "operators:\n"
                       "  - name: w\n"
                       "    type: window\n"
                       "    input: src\n"
                       "    window: {kind: tumbel, time_column: ts, size: 1s}\n" +
                       kSink,
                   13, 20, "unknown window kind 'tumbel' (did you mean 'tumble'?)");
  CHECK_YAML_ERROR(kHead +
                       "operators:\n"
                       "  - name: m\n"
                       "    type: match_recognize\n"
                       "    input: src\n"
                       "    order_by: [{column: ts}]\n"
                       "    measures: [{name: x, expr: A.id}]\n"
                       "    after_match: {skip: past_last}\n"  // 15
                       "    pattern: A\n" +
                       kSink,
                   15, 25, "unknown skip strategy 'past_last' (did you mean 'past_last_row'?)");
}

TEST_CASE("a bad duration") {
  const std::string text = kHead +
                           "operators:\n"
                           "  - name: w\n"
                           "    type: window\n"
                           "    input: src\n"
                           "    window: {kind: tumble, time_column: ts, size: 5 parsecs}\n" +
                           kSink;
  CHECK_YAML_ERROR(text, 13, 51, "invalid duration '5 parsecs'");
}

TEST_CASE("zero and negative parallelism") {
  CHECK_YAML_ERROR("pipeline: p\nparallelism: 0\n", 2, 14, "parallelism must be between 1 and 65536, got 0");
  const std::string text = kHead + "operators:\n  - {name: f, type: calc, input: src, where: x, parallelism: -2}\n" + kSink;
  CHECK_YAML_ERROR(text, 10, 62, "parallelism must be between 1 and 65536, got -2");
}

TEST_CASE("YAML 1.1 surprises are refused: octal integers and yes/no booleans") {
  CHECK_YAML_ERROR("pipeline: p\nparallelism: 010\n", 2, 14, "expected an integer, got '010'");
  const std::string text = kHead +
                           "operators:\n"
                           "  - {name: u, type: unnest, input: src, array: a, columns: [x, n], with_ordinality: yes}\n" +
                           kSink;
  CHECK_YAML_ERROR(text, 10, 85, "expected true or false, got 'yes'");
}

TEST_CASE("a column type that does not parse points into the type text") {
  const std::string text = "pipeline: p\nsources:\n  - name: src\n    connector: kafka\n    columns:\n"
                           "      - {name: id, type: \"ARRAY<INT\"}\n" +
                           kSink;
  const auto failure = yaml_test::load_failure(text);
  INFO(failure.what);
  REQUIRE(failure.failed);
  CHECK(failure.location.line == 6);
  // The type text starts at column 28 (after the quote); the error is inside it.
  CHECK(failure.location.column >= 28);
}

TEST_CASE("a table of more than kMaxColumns columns is refused at the first one too many") {
  std::string text = "pipeline: p\nsources:\n  - name: src\n    connector: kafka\n    columns:\n";
  for (size_t i = 0; i <= kMaxColumns; ++i) text += "      - {name: c" + std::to_string(i) + ", type: INT}\n";
  CHECK_YAML_ERROR(text + kSink, 6 + static_cast<int>(kMaxColumns), 9, "too many columns: a table has at most 4096");
}

TEST_CASE("an empty file, a comments-only file, and a second document") {
  CHECK_YAML_ERROR("", 1, 1, "empty pipeline file");
  CHECK_YAML_ERROR("# nothing here\n\n", 1, 1, "empty pipeline file");
  CHECK_YAML_ERROR(kHead + kSink + "---\npipeline: q\n", 12, 1, "a second YAML document");
}

TEST_CASE("tabs in indentation") {
  CHECK_YAML_ERROR("pipeline: p\nsources:\n\t- name: src\n", 3, 1, "tab character in indentation");
}

TEST_CASE("binary garbage is named as such") {
  CHECK_YAML_ERROR(std::string("pipeline: p\n\x01\x02\x03", 15), 2, 1, "not a YAML text file: control byte 0x01");
  CHECK_YAML_ERROR("pipeline: \xff\xfe\n", 1, 11, "invalid UTF-8 byte 0xFF");
}

TEST_CASE("a top level that is not a mapping") {
  CHECK_YAML_ERROR("- a\n- b\n", 1, 1, "expected a pipeline mapping");
  CHECK_YAML_ERROR("just text\n", 1, 1, "got a string");
}

TEST_CASE("a null where a string belongs hints at the empty string") {
  const std::string text = "pipeline: p\nsources:\n  - name: src\n    connector: kafka\n"
                           "    options: {topic: }\n    columns: [{name: id, type: INT}]\n" +
                           kSink;
  CHECK_YAML_ERROR(text, 5, 15, "sources[0] (src).options.topic: expected a string, got null (write \"\" for an empty string)");
}

TEST_CASE("window keys that belong to another window kind") {
  const std::string text = kHead +
                           "operators:\n"
                           "  - name: w\n"
                           "    type: window\n"
                           "    input: src\n"
                           "    window: {kind: tumble, time_column: ts, size: 1min, slide: 10s}\n" +
                           kSink;
  CHECK_YAML_ERROR(text, 13, 57, "unknown key 'slide' for a tumble window");
}

TEST_CASE("session windows: only in window_aggregate, with a gap and no size") {
  auto with_window = [](const std::string& type, const std::string& window) {
    return kHead +
           "operators:\n"
           "  - name: w\n"
           "    type: " + type + "\n"
           "    input: src\n"
           "    window: " + window + "\n" +  // 13
           kSink;
  };
  CHECK_YAML_ERROR(with_window("window", "{kind: session, time_column: ts, gap: 1min}"), 13, 20,
                   "a session window is only supported by window_aggregate");
  CHECK_YAML_ERROR(with_window("window_aggregate", "{kind: session, time_column: ts, size: 1min}"), 13, 46,
                   "unknown key 'size' for a session window");
  CHECK_YAML_ERROR(with_window("window_aggregate", "{kind: session, time_column: ts}"), 13, 13, "missing required key 'gap'");
  CHECK_YAML_ERROR(with_window("window_aggregate", "{kind: session, time_column: ts, gap: 0s}"), 13, 51, "duration must be positive");
}

TEST_CASE("upsert-kafka sink without a primary key") {
  const std::string text = kHead +
                           "sinks:\n"
                           "  - name: out\n"  // 10
                           "    input: src\n"
                           "    connector: upsert-kafka\n"
                           "    key_format: json\n"
                           "    columns: [{name: id, type: INT}]\n";
  CHECK_YAML_ERROR(text, 10, 5, "connector 'upsert-kafka' requires 'primary_key'");
}

TEST_CASE("a primary key or watermark on an undeclared column") {
  CHECK_YAML_ERROR(kHead + "    primary_key: [idd]\n" + kSink, 9, 19,
                   "primary key column 'idd' is not a declared column (did you mean 'id'?)");
  CHECK_YAML_ERROR(kHead + "    watermark: {column: tss, expression: tss}\n" + kSink, 9, 25,
                   "watermark column 'tss' is not a declared column (did you mean 'ts'?)");
}

TEST_CASE("dead-letter needs a topic, and a topic needs dead-letter") {
  CHECK_YAML_ERROR("pipeline: p\non_error: dead-letter\n" + kHead.substr(12) + kSink, 1, 1,
                   "missing required key 'dead_letter_topic'");
  CHECK_YAML_ERROR("pipeline: p\ndead_letter_topic: bad\n" + kHead.substr(12) + kSink, 2, 1,
                   "dead_letter_topic is used only with on_error: dead-letter");
}

TEST_CASE("an operator nobody reads is a warning, not an error") {
  const std::string text = kHead + "operators:\n  - {name: unused, type: calc, input: src, where: id > 1}\n" + kSink;
  const PipelineSet set = load_pipelines_yaml(text, "p.yaml");
  REQUIRE(set.warnings.size() == 1);
  CHECK(set.warnings[0].message == "operator 'unused' is not read by any operator or sink");
  CHECK(set.warnings[0].location.line == 10);
  CHECK(set.warnings[0].to_string() == "p.yaml:10:5: warning: operator 'unused' is not read by any operator or sink");
}

TEST_CASE("empty or non-address bootstrap servers are a warning, as for SQL and application JSON") {
  const std::string text = kHead + "    options: {properties.bootstrap.servers: \"\", topic: t}\n" + kSink;
  const PipelineSet set = load_pipelines_yaml(text, "p.yaml");
  REQUIRE(set.warnings.size() == 1);
  CHECK(set.warnings[0].to_string() ==
        "p.yaml:9:15: warning: 'properties.bootstrap.servers' of table 'src' is empty; the worker's bootstrap servers "
        "(--bootstrap-servers / worker config) are used");
  const std::string addresses = kHead + "    options: {properties.bootstrap.servers: \"a:9092,b:9092\", topic: t}\n" + kSink;
  CHECK(load_pipelines_yaml(addresses, "p.yaml").warnings.empty());
}

TEST_CASE("time_zone must be a zone Flink accepts, another zone than UTC is a warning") {
  CHECK_YAML_ERROR("pipeline: p\nsettings: {time_zone: Mars/Olympus}\n" + kHead.substr(12) + kSink, 2, 23,
                   "time_zone: unknown time zone 'Mars/Olympus': expected a time zone database ID such as 'Europe/Rome'");
  CHECK(load_pipelines_yaml("pipeline: p\nsettings: {time_zone: UTC}\n" + kHead.substr(12) + kSink, "p.yaml")
            .warnings.empty());
  const PipelineSet offset =
      load_pipelines_yaml("pipeline: p\nsettings: {time_zone: \"GMT+03:00\"}\n" + kHead.substr(12) + kSink, "p.yaml");
  REQUIRE(offset.warnings.size() == 1);
  CHECK(offset.warnings[0].to_string().rfind("p.yaml:2:12: warning: time zone 'GMT+03:00' is not applied: Ananas "
                                             "evaluates",
                                             0) == 0);
}

TEST_CASE("errors read as file:line:column: message") {
  const auto failure = yaml_test::load_failure("pipeline: p\nsources: pizzas\n");
  CHECK(failure.what == "p.yaml:2:10: sources: expected a list, got a string");
}

TEST_CASE("a temporal join (as_of) is inner or left, and takes no interval bounds") {
  const std::string join = kHead +
                           "operators:\n"
                           "  - {name: c, type: calc, input: src, where: id > 1}\n"
                           "  - name: j\n"          // 11
                           "    type: join\n"
                           "    inputs: [src, c]\n"
                           "    join: right\n"       // 13
                           "    left_key: [id]\n"
                           "    right_key: [id]\n"
                           "    as_of: ts\n"
                           "    right_time: ts\n" +
                           kSink;
  CHECK_YAML_ERROR(join, 14, 5, "a temporal join (as_of) is 'inner' or 'left', got 'right'");
  std::string bounded = join;
  bounded.replace(bounded.find("join: right"), 11, "join: left\n    lower_bound_ms: 0");
  CHECK_YAML_ERROR(bounded, 15, 5,
                   "lower_bound_ms belongs to interval or window joins; a temporal join (as_of) has only as_of and right_time");
  std::string no_right_time = join;
  no_right_time.replace(no_right_time.find("join: right"), 11, "join: inner");
  no_right_time.erase(no_right_time.find("    right_time: ts\n"), 19);
  CHECK_YAML_ERROR(no_right_time, 11, 5, "operators[1] (j): missing required key 'right_time'");
}
