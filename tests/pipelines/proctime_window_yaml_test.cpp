// A window on processing time in pipeline YAML: `time: processing` in the
// window mapping (window_aggregate only), its errors at their line:column, and
// the round trip.
#include "pipelines/graph/built_pipeline.hpp"
#include "pipelines/yaml/emit.hpp"
#include "tests/pipelines/yaml_test_helpers.hpp"

using namespace ananas;
using namespace ananas::pipeline;

namespace {

const std::string kHead =
    "pipeline: p\n"                                           // 1
    "sources:\n"                                              // 2
    "  - name: src\n"                                         // 3
    "    connector: kafka\n"                                  // 4
    "    format: json\n"                                      // 5
    "    options: {topic: t}\n"                               // 6
    "    columns:\n"                                          // 7
    "      - {name: id, type: INT}\n"                         // 8
    "      - {name: ts, type: TIMESTAMP(3)}\n"                // 9
    "      - {name: pt, expression: PROCTIME()}\n"            // 10
    "    watermark: {column: ts, expression: \"ts - INTERVAL '1' SECOND\"}\n"  // 11
    "operators:\n"                                            // 12
    "  - name: w\n"                                           // 13
    "    type: window_aggregate\n"                            // 14
    "    input: src\n";                                       // 15
const std::string kAggregates = "    aggregates: [{name: n, function: COUNT}]\n";
const std::string kSink =
    "sinks:\n  - {name: out, input: w, connector: print, columns: [{name: n, type: BIGINT}, {name: ws, type: TIMESTAMP(3)}, "
    "{name: we, type: TIMESTAMP(3)}, {name: wt, type: TIMESTAMP_LTZ(3)}]}\n";

std::string with_window(const std::string& window) { return kHead + "    window: " + window + "\n" + kAggregates + kSink; }

// The error building the loaded pipeline fails with, or "" when it builds.
std::string build_error(const std::string& text) {
  try {
    (void)build_pipeline(load_pipelines_yaml(text, "p.yaml").pipelines.at(0));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("window_aggregate with time: processing loads, builds, and round-trips", "[proctime]") {
  const std::string text = with_window("{kind: hop, time_column: pt, time: processing, size: 10s, slide: 5s}");
  const PipelineSet set = load_pipelines_yaml(text, "p.yaml");
  const auto& w = std::get<WindowAggregate>(set.pipelines.at(0).operators.at(0).body);
  CHECK(w.window.processing_time);
  CHECK(build_error(text) == "");
  const std::string emitted = emit_pipelines_yaml(set);
  CHECK_THAT(emitted, Catch::Contains("time: processing"));
  CHECK(load_pipelines_yaml(emitted, "again.yaml") == set);
  // `time: event` is the default and is not written back.
  const PipelineSet event = load_pipelines_yaml(with_window("{kind: tumble, time_column: ts, time: event, size: 10s}"), "p.yaml");
  CHECK_FALSE(std::get<WindowAggregate>(event.pipelines.at(0).operators.at(0).body).window.processing_time);
  CHECK_THAT(emit_pipelines_yaml(event), !Catch::Contains("time:"));
}

TEST_CASE("window time errors: unknown value, session, a plain window, and a column of the other time", "[proctime]") {
  CHECK_YAML_ERROR(with_window("{kind: tumble, time_column: pt, time: wall, size: 10s}"), 16, 51,
                   "unknown window time 'wall' (expected event, the watermark's, or processing, the operator's clock)");
  CHECK_YAML_ERROR(with_window("{kind: session, time_column: pt, time: processing, gap: 10s}"), 16, 52,
                   "a session window on processing time is not supported yet");
  CHECK_YAML_ERROR(kHead.substr(0, kHead.find("    type: window_aggregate")) + "    type: window\n    input: src\n" +
                       "    window: {kind: tumble, time_column: pt, time: processing, size: 10s}\n" + kSink,
                   16, 51, "a processing-time window is only supported by window_aggregate");
  CHECK_THAT(build_error(with_window("{kind: tumble, time_column: ts, time: processing, size: 10s}")),
             Catch::Contains("p.yaml:16:13: window time column 'ts' must be a processing-time attribute (a PROCTIME() column) "
                             "for 'time: processing'"));
  CHECK_THAT(build_error(with_window("{kind: tumble, time_column: pt, size: 10s}")),
             Catch::Contains("p.yaml:16:13: window time column 'pt' is a processing-time attribute: write 'time: processing'"));
}
