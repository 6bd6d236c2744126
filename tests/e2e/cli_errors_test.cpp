// `ananas run` refuses bad input before starting anything: exit 1 and
// `file:line:column: message`.
#include <catch2/catch.hpp>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

TEST_CASE("ananas run rejects an invalid pipeline file with its location and exit code 1", "[e2e]") {
  ScratchDir dir("cli-errors");
  write_text(dir.file("broken.yaml"), "pipeline: broken\nparallelism: many\n");
  Result r = run({ananas_binary(), "run", "--bootstrap-servers", "127.0.0.1:1", "--http-port", "0",
                  example("01-basic-filtering.json"), dir.file("broken.yaml")},
                 30s);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(dir.file("broken.yaml") + ":2:") != std::string::npos);
  CHECK(r.out.find("REST API") == std::string::npos);  // nothing started
}

TEST_CASE("a folder holding one pipeline as .json and .yaml is refused, naming both files and what to pass", "[e2e]") {
  const std::vector<std::vector<std::string>> commands = {
      {ananas_binary(), "run", "--bootstrap-servers", "127.0.0.1:1", "--http-port", "0", example("")},
      {ananas_binary(), "validate", example("")}};
  for (const auto& command : commands) {
    Result r = run(command, 30s);
    INFO(command[1] << ": " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("01-basic-filtering.yaml:1:1: a second pipeline is named '01-basic-filtering' (the first is at ") !=
          std::string::npos);
    CHECK(r.err.find("01-basic-filtering.json#/statement:1:1): one pipeline in two forms? Name the files of one form "
                     "only, e.g. ") != std::string::npos);
    CHECK(r.err.find("examples/*.yaml") != std::string::npos);
  }
}

TEST_CASE("ananas run reports worker config errors at file:line:col and in environment overrides", "[e2e]") {
  ScratchDir dir("config-errors");
  write_text(dir.file("worker.yaml"), "# worker\nbootstrap.server: localhost:9092\n");
  Result unknown = run({ananas_binary(), "run", "--config", dir.file("worker.yaml"), example("01-basic-filtering.json")}, 30s);
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find(dir.file("worker.yaml") + ":2:1: unknown key 'bootstrap.server' (did you mean 'bootstrap.servers'?)") !=
        std::string::npos);

  write_text(dir.file("ports.yaml"), "bootstrap.servers: 127.0.0.1:1\nhttp.port: 80000\n");
  Result port = run({ananas_binary(), "run", "--config", dir.file("ports.yaml")}, 30s);
  CHECK(port.exit_code == 1);
  CHECK(port.err.find(dir.file("ports.yaml") + ":2:12: http.port: expected an integer from 0 to 65535") !=
        std::string::npos);

  write_text(dir.file("good.yaml"), "bootstrap.servers: 127.0.0.1:1\nhttp.port: 0\n");
  Result env = run({ananas_binary(), "run", "--config", dir.file("good.yaml")}, 30s, "", {{"ANANAS_HTTP_PORT", "abc"}});
  CHECK(env.exit_code == 1);
  CHECK(env.err.find("environment variable ANANAS_HTTP_PORT: http.port: expected an integer") != std::string::npos);

  // A table with no usable bootstrap servers and none from the worker.
  Result no_kafka = run({ananas_binary(), "run", "--http-port", "0", example("03-windowing.yaml")}, 30s);
  CHECK(no_kafka.exit_code == 1);
  CHECK(no_kafka.err.find("03-windowing.yaml:") != std::string::npos);
  CHECK(no_kafka.err.find("worker has no bootstrap.servers") != std::string::npos);
}

TEST_CASE("ananas run --help documents the config keys, overrides and signals", "[e2e]") {
  Result r = run({ananas_binary(), "run", "--help"}, 30s);
  CHECK(r.exit_code == 0);
  for (const char* word : {"--config", "--bootstrap-servers", "--http-port", "--http-host", "ANANAS_BOOTSTRAP_SERVERS",
                           "SIGTERM", "scheduler.max.throughput", "/metrics", "plugin.path", "checkpoint.interval",
                           "checkpoint.storage", "checkpoint.changelog.partitions", "ananas reset"})
    CHECK(r.out.find(word) != std::string::npos);
}
