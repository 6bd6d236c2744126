// A worker config with plugin.path loads connector plugins (the sample
// `sequence` source), and the print sink writes to the worker's stdout:
// no Kafka involved at all.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <thread>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

TEST_CASE("plugin.path loads a connector plugin and the print sink writes to stdout", "[e2e]") {
  const std::string plugins = std::filesystem::path(ananas_binary()).parent_path() / "plugins";
  if (!std::filesystem::exists(plugins + "/ananas_sample_connector.so")) {
    WARN("the sample connector plugin is not built (target ananas_sample_connector): skipped");
    return;
  }
  ScratchDir dir("plugin");
  write_text(dir.file("worker.yaml"), "plugin.path: " + plugins + "\nhttp.port: 0\nworker.id: plugin-test\n");
  write_text(dir.file("seq.yaml"), R"(pipeline: seq
sources:
  - name: numbers
    connector: sequence
    format: json
    options: {count: "5"}
    columns:
      - {name: n, type: BIGINT}
operators:
  - name: doubled
    type: calc
    input: numbers
    select:
      - {name: n, expr: n * 2}
sinks:
  - name: out
    input: doubled
    connector: print
    format: json
    options: {print-identifier: seq}
    columns:
      - {name: n, type: BIGINT}
)");
  Process worker({ananas_binary(), "run", "--config", dir.file("worker.yaml"), dir.file("seq.yaml")}, dir.file("out"),
                 dir.file("err"));
  REQUIRE(worker.wait_for_line("seq> {\"n\":8}", 20s));
  CHECK(worker.signal_and_wait(SIGINT, 20s) == 0);
  INFO("stderr:\n" << worker.err());
  const auto lines = lines_of(worker.out());
  REQUIRE(lines.size() >= 5);
  CHECK(lines[0] == "worker 'plugin-test' running 1 pipeline(s): seq");
  std::vector<std::string> printed;
  for (const auto& l : lines)
    if (l.rfind("seq> ", 0) == 0) printed.push_back(l);
  CHECK(printed == std::vector<std::string>{"seq> {\"n\":0}", "seq> {\"n\":2}", "seq> {\"n\":4}", "seq> {\"n\":6}",
                                            "seq> {\"n\":8}"});
  CHECK(worker.err().find("loaded connector plugin") != std::string::npos);
}
