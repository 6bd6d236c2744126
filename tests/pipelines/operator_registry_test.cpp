// The registry of operator kinds (pipelines/operator_kinds/): every kind it
// lists loads, emits and binds through its own definition, and the layers
// that dispatch on kinds (YAML, builder, planner) all see the same list.
#include <map>
#include <set>

#include "pipelines/graph/build_operator.hpp"
#include "pipelines/operator_kinds/registry.hpp"
#include "pipelines/sql/planner.hpp"
#include "tests/pipelines/yaml_test_helpers.hpp"

using namespace ananas;
using namespace ananas::pipeline;

namespace {

const std::string kHead =
    "pipeline: kinds\n"
    "parallelism: 1\n"
    "on_error: skip\n"
    "sources:\n"
    "  - name: src\n"
    "    connector: kafka\n"
    "    format: json\n"
    "    options:\n"
    "      topic: t\n"
    "    columns:\n"
    "      - {name: id, type: INT}\n"
    "      - {name: tags, type: ARRAY<STRING>}\n"
    "      - {name: ts, type: TIMESTAMP(3)}\n"
    "    watermark: {column: ts, expression: ts - INTERVAL '1' SECOND}\n"
    "operators:\n";

// The head of a sample whose kind reads several inputs: a second source.
std::string head_for(const std::string& kind) {
  if (!find_operator_kind(kind) || !find_operator_kind(kind)->reads_several_inputs()) return kHead;
  const std::string sources_end = "operators:\n";
  return kHead.substr(0, kHead.size() - sources_end.size()) +
         "  - name: src2\n    connector: kafka\n    format: json\n    options:\n      topic: t2\n    columns:\n"
         "      - {name: id2, type: INT}\n      - {name: tags2, type: ARRAY<STRING>}\n      - {name: ts2, type: TIMESTAMP(3)}\n" +
         sources_end;
}

// The schemas of a sample's further inputs: the second source has the first
// one's types under other names.
std::vector<Schema> more_inputs_of(const Operator& op, const Schema& input) {
  Schema second = input;
  for (auto& c : second.columns) c.name += "2";
  return std::vector<Schema>(op.more_inputs.size(), second);
}

const std::string kSink =
    "sinks:\n"
    "  - name: out\n"
    "    input: op\n"
    "    connector: blackhole\n"
    "    format: json\n"
    "    columns:\n"
    "      - {name: id, type: INT}\n";

// One operator of each kind, written as the emitter writes it. A kind added to
// the registry without a sample here fails the first test.
const std::map<std::string, std::string> kSamples = {
    {"unnest",
     "  - name: op\n    type: unnest\n    input: src\n    array: tags\n    columns: [tag, position]\n"
     "    with_ordinality: true\n"},
    {"calc",
     "  - name: op\n    type: calc\n    input: src\n    where: id > 1\n    select:\n"
     "      - {name: id, expr: id + 1}\n"},
    {"group_aggregate",
     "  - name: op\n    type: group_aggregate\n    input: src\n    keys: [id]\n    aggregates:\n"
     "      - {name: nr, function: COUNT}\n"},
    {"window_aggregate",
     "  - name: op\n    type: window_aggregate\n    input: src\n    window:\n      kind: hop\n      time_column: ts\n"
     "      size: 1min\n      slide: 10s\n    keys: [id]\n    aggregates:\n      - {name: total, function: SUM, args: [id]}\n"},
    {"window",
     "  - name: op\n    type: window\n    input: src\n    window:\n      kind: cumulate\n      time_column: ts\n"
     "      size: 1h\n      step: 10min\n"},
    {"upsert_materialize", "  - name: op\n    type: upsert_materialize\n    input: src\n    key: [id]\n"},
    {"match_recognize",
     "  - name: op\n    type: match_recognize\n    input: src\n    partition_by: [id]\n    order_by:\n"
     "      - {column: ts}\n    measures:\n      - {name: first_ts, expr: A.ts}\n    rows_per_match: one\n"
     "    after_match: {skip: past_last_row}\n    pattern: A B\n    within: 1h\n    define:\n      B: B.id > A.id\n"},
    {"deduplicate",
     "  - name: op\n    type: deduplicate\n    input: src\n    partition_by: [id]\n    order_by: ts\n    keep: last\n"},
    {"top_n",
     "  - name: op\n    type: top_n\n    input: src\n    partition_by: [id]\n    order_by:\n"
     "      - {column: ts, descending: true}\n    rank_end: 3\n    rank_column: rn\n"},
    {"union_all", "  - name: op\n    type: union_all\n    inputs: [src, src2]\n"},
    {"join", "  - name: op\n    type: join\n    inputs: [src, src2]\n    join: left\n    left_key: [id]\n    right_key: [id2]\n"
             "    condition: ts < ts2\n"},
    {"replicate", "  - name: op\n    type: replicate\n    input: src\n    times: id\n"},
    {"expand", "  - name: op\n    type: expand\n    input: src\n    grouping: [id, ts]\n    sets: [[id, ts], [id], []]\n"},
    {"over_aggregate",
     "  - name: op\n    type: over_aggregate\n    input: src\n    partition_by: [id]\n    order_by: ts\n"
     "    frame: {unit: range, preceding: 1h}\n    aggregates:\n      - {name: total, function: SUM, args: [id]}\n"},
};

Schema source_schema() {
  Schema s;
  s.columns.push_back({"id", Type::integer()});
  s.columns.push_back({"tags", Type::array(Type::string())});
  s.columns.push_back({"ts", Type::timestamp(3).with_time_attr(TimeAttr::Rowtime)});
  return s;
}

Pipeline load_sample(const std::string& kind) {
  const PipelineSet set = load_pipelines_yaml(head_for(kind) + kSamples.at(kind) + kSink, "p.yaml");
  REQUIRE(set.pipelines.size() == 1);
  return set.pipelines[0];
}

}  // namespace

TEST_CASE("every registered operator kind loads and emits its YAML through its definition", "[registry]") {
  REQUIRE(operator_kinds().size() == kSamples.size());
  for (const OperatorKind* kind : operator_kinds()) {
    const std::string name(kind->name());
    INFO("kind " << name);
    REQUIRE(kSamples.count(name));
    const Pipeline p = load_sample(name);
    REQUIRE(p.operators.size() == 1);
    CHECK(&kind_of(p.operators[0]) == kind);
    // The sample is written as the emitter writes it: emitting gives it back byte for byte.
    const std::string text = head_for(name) + kSamples.at(name) + kSink;
    CHECK(emit_pipeline_yaml(p) == text);
    CHECK(load_pipelines_yaml(emit_pipeline_yaml(p), "again.yaml").pipelines[0] == p);
  }
}

TEST_CASE("every registered operator kind binds to a runtime operator", "[registry]") {
  const Schema input = source_schema();
  for (const OperatorKind* kind : operator_kinds()) {
    const std::string name(kind->name());
    INFO("kind " << name);
    const Pipeline p = load_sample(name);
    const BuiltOperator built = build_operator(p, p.operators[0], input, false, {}, more_inputs_of(p.operators[0], input));
    REQUIRE(built.make);
    CHECK(built.make()->output_schema() == built.output);
    CHECK(built.updating == kind->emits_updates_for(p.operators[0].body, false));
  }
}

TEST_CASE("the registry, OperatorType and the model's variant list the kinds in one order", "[registry]") {
  const auto& kinds = operator_kinds();
  REQUIRE(kinds.size() == std::variant_size_v<OperatorBody>);
  std::set<std::string> names;
  for (size_t i = 0; i < kinds.size(); ++i) {
    const std::string name(kinds[i]->name());
    CHECK(names.insert(name).second);
    CHECK(to_string(static_cast<OperatorType>(i)) == name);
    CHECK(operator_type_from_string(name) == static_cast<OperatorType>(i));
    CHECK(find_operator_kind(name) == kinds[i]);
    CHECK(operator_type_names().at(i) == name);
    Operator op = load_sample(name).operators[0];
    CHECK(op.body.index() == i);
    CHECK(op.type() == static_cast<OperatorType>(i));
    // A kind's own keys never shadow the keys every operator has.
    for (const auto& key : kinds[i]->yaml_keys())
      CHECK(std::set<std::string>{"name", "type", "input", "inputs", "parallelism", "key"}.count(key) == 0);
  }
  CHECK(find_operator_kind("calcc") == nullptr);
}

TEST_CASE("an unknown operator type is refused with the registry's names", "[registry]") {
  const std::string near = kHead + "  - {name: op, type: window_agregate, input: src}\n" + kSink;
  CHECK_YAML_ERROR(near, 16, 22, "unknown operator type 'window_agregate' (did you mean 'window_aggregate'?)");
  std::string expected = "unknown operator type 'zzzzzz' (expected one of:";
  for (const OperatorKind* kind : operator_kinds()) expected += " " + std::string(kind->name());
  expected += ")";
  const std::string far = kHead + "  - {name: op, type: zzzzzz, input: src}\n" + kSink;
  CHECK_YAML_ERROR(far, 16, 22, expected);
}

TEST_CASE("a kind's keys are refused on another kind, naming the kind", "[registry]") {
  const std::string text = kHead + "  - {name: op, type: calc, input: src, where: id > 1, pattern: A}\n" + kSink;
  CHECK_YAML_ERROR(text, 16, 55, "unknown key 'pattern' for operator type calc");
}

TEST_CASE("kinds that need an append-only input refuse an updating one, in their own words", "[registry]") {
  const Schema input = source_schema();
  const std::map<std::string, std::string> refusals = {
      {"window_aggregate", "window_aggregate 'op' needs an append-only input, but 'src' produces updates"},
      {"window", "window 'op' needs an append-only input, but 'src' produces updates"},
      {"match_recognize", "StreamPhysicalMatch doesn't support consuming update changes which is produced by node src"},
      {"deduplicate", "StreamPhysicalDeduplicate doesn't support consuming update changes which is produced by node src"},
      {"top_n", "Top-N over an updating input is not supported yet (Flink's RetractableTopNFunction and UpdatableTopNFunction "
                "are not translated); its input is produced by node src"},
      {"over_aggregate", "StreamPhysicalOverAggregate doesn't support consuming update changes which is produced by node src"},
  };
  for (const OperatorKind* kind : operator_kinds()) {
    const std::string name(kind->name());
    INFO("kind " << name);
    const Pipeline p = load_sample(name);
    if (!refusals.count(name)) {
      CHECK(build_operator(p, p.operators[0], input, true, {}, more_inputs_of(p.operators[0], input)).updating ==
            kind->emits_updates_for(p.operators[0].body, true));
      continue;
    }
    try {
      (void)build_operator(p, p.operators[0], input, true, {});
      FAIL("an updating input was accepted");
    } catch (const InputError& e) {
      CHECK(e.message() == refusals.at(name));
      CHECK(e.location().line == 16);
    }
  }
}

TEST_CASE("kinds with state per key need a key to run in parallel", "[registry]") {
  const Schema input = source_schema();
  for (const std::string name : {"group_aggregate", "match_recognize", "over_aggregate", "deduplicate", "top_n"}) {
    INFO("kind " << name);
    Pipeline p = load_sample(name);
    Operator& op = p.operators[0];
    op.parallelism = 2;
    op.key.clear();
    // Both samples partition by a column of their own, which serves as the key.
    CHECK_NOTHROW(build_operator(p, op, input, false, {}));
    if (auto* g = std::get_if<GroupAggregate>(&op.body)) g->keys.clear();
    if (auto* m = std::get_if<MatchRecognize>(&op.body)) m->partition_by.clear();
    if (auto* o = std::get_if<OverAggregate>(&op.body)) o->partition_by.clear();
    if (auto* d = std::get_if<Deduplicate>(&op.body)) d->partition_by.clear();
    if (auto* t = std::get_if<TopN>(&op.body)) t->partition_by.clear();
    CHECK_THROWS_WITH(build_operator(p, op, input, false, {}),
                      Catch::Contains("operator 'op' with parallelism > 1 needs a 'key' to partition by"));
  }
}

TEST_CASE("kinds with state per key run at most one instance per key group", "[registry]") {
  const Schema input = source_schema();
  Pipeline p = load_sample("group_aggregate");
  Operator& op = p.operators[0];
  op.parallelism = 128;
  CHECK_NOTHROW(build_operator(p, op, input, false, {}));
  op.parallelism = 129;
  CHECK_THROWS_WITH(build_operator(p, op, input, false, {}),
                    Catch::Contains("the maximum parallelism (128, its number of key groups) must be greater than or "
                                    "equal to the parallelism (129)"));
}

TEST_CASE("the SQL planner applies MATCH_RECOGNIZE's own ORDER BY rule", "[registry]") {
  const std::string tables =
      "CREATE TABLE s (id INT, ts TIMESTAMP(3), pt AS PROCTIME(), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) "
      "WITH ('connector' = 'kafka', 'topic' = 's', 'properties.bootstrap.servers' = 'k:9092', 'value.format' = 'json');\n"
      "CREATE TABLE o (id INT, n BIGINT) WITH ('connector' = 'kafka', 'topic' = 'o', "
      "'properties.bootstrap.servers' = 'k:9092', 'value.format' = 'json');\n";
  auto error_of = [&](const std::string& order_by) -> std::string {
    try {
      (void)translate_sql({{"t.sql", tables + "INSERT INTO o SELECT * FROM s MATCH_RECOGNIZE (PARTITION BY id ORDER BY " +
                                         order_by + " MEASURES COUNT(A.id) AS n PATTERN (A B) DEFINE B AS B.id > A.id);"}},
                          "t");
    } catch (const InputError& e) {
      return e.location().to_string() + ": " + e.message();
    }
    return "no error";
  };
  CHECK(error_of("id") == "t.sql:3:73: You must specify either rowtime or proctime for order by as the first one.");
  CHECK(error_of("ts DESC") == "t.sql:3:73: Primary sort order of a streaming table must be ascending on time.");
  // The operator's rule refuses processing time too; the planner now says so before any YAML is written.
  CHECK(error_of("pt") ==
        "t.sql:3:73: MATCH_RECOGNIZE ordered by a processing-time attribute is not supported by Ananas; order by the "
        "rowtime attribute (the column the WATERMARK is declared on).");
  CHECK(error_of("ts") == "no error");
}
