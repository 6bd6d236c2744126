// `ananas validate` runs each connector's own option checks (plugins'
// included, with --config), located at the option in the YAML or SQL; and a
// pipeline made only of plugin connectors validates and runs.
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "process_runner.hpp"

using namespace ananas::test;
using namespace std::chrono_literals;

namespace {

namespace fs = std::filesystem;

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("ananas-connector-cli-" + std::to_string(getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

std::string plugin_dir() { return fs::path(ANANAS_BINARY).parent_path() / "plugins"; }

ProcessResult run_ananas(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {ANANAS_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, "", 60s);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A pipeline of plugin connectors only: the sample `sequence` source and `lines` sink.
std::string plugin_pipeline(const std::string& sink_options) {
  return "pipeline: seq\n"
         "sources:\n"
         "  - name: numbers\n"
         "    connector: sequence\n"
         "    format: json\n"
         "    options: {count: \"4\"}\n"
         "    columns:\n"
         "      - {name: n, type: BIGINT}\n"
         "operators:\n"
         "  - name: tripled\n"
         "    type: calc\n"
         "    input: numbers\n"
         "    select:\n"
         "      - {name: n, expr: n * 3}\n"
         "sinks:\n"
         "  - name: out\n"
         "    input: tripled\n"
         "    connector: lines\n"
         "    format: json\n"
         "    options: " + sink_options + "\n"
         "    columns:\n"
         "      - {name: n, type: BIGINT}\n";
}

}  // namespace

TEST_CASE("validate refuses what the worker would refuse, at the option") {
  Scratch s;
  // A Kafka source's startup mode used to be checked only by `run`.
  const std::string yaml = s.write("bad.yaml",
                                   "pipeline: p\n"
                                   "sources:\n"
                                   "  - name: src\n"
                                   "    connector: kafka\n"
                                   "    options:\n"
                                   "      topic: pizzas\n"
                                   "      scan.startup.mode: from-the-start\n"
                                   "    columns: [{name: id, type: INT}]\n"
                                   "sinks:\n"
                                   "  - {name: out, input: src, connector: print, columns: [{name: id, type: INT}]}\n");
  ProcessResult r = run_ananas({"validate", yaml});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad.yaml:7:7: table 'src': option 'scan.startup.mode': unknown startup mode 'from-the-start'") !=
        std::string::npos);

  // In SQL the error points at the value, in the catalog, before planning.
  const std::string sql = s.write("bad.sql",
                                  "CREATE TABLE src (id INT) WITH ('connector' = 'kafka', 'topic' = 'pizzas',\n"
                                  "  'scan.startup.mode' = 'earliest');\n"
                                  "CREATE TABLE out (id INT) WITH ('connector' = 'print');\n"
                                  "INSERT INTO out SELECT id FROM src;\n");
  r = run_ananas({"validate", sql});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad.sql:2:25: table 'src': option 'scan.startup.mode': unknown startup mode 'earliest'") !=
        std::string::npos);
  r = run_ananas({"translate", sql});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad.sql:2:25:") != std::string::npos);
  const std::string bad_sink = s.write("sink.sql",
                                       "CREATE TABLE src (id INT) WITH ('connector' = 'datagen');\n"
                                       "CREATE TABLE out (id INT) WITH ('connector' = 'print', 'standard-error' = 'maybe');\n"
                                       "INSERT INTO out SELECT id FROM src;\n");
  r = run_ananas({"validate", bad_sink});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("sink.sql:2:75: table 'out': option 'standard-error': expected 'true' or 'false', got 'maybe'") !=
        std::string::npos);

  // A sink-only connector read as a source.
  const std::string role = s.write("role.sql",
                                   "CREATE TABLE src (id INT) WITH ('connector' = 'blackhole');\n"
                                   "CREATE TABLE out (id INT) WITH ('connector' = 'print');\n"
                                   "INSERT INTO out SELECT id FROM src;\n");
  r = run_ananas({"validate", role});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("role.sql:1:47: table 'src': connector 'blackhole' can only be used as a sink") !=
        std::string::npos);
}

TEST_CASE("a pipeline of plugin connectors validates with --config and runs in the worker") {
  if (!fs::exists(plugin_dir() + "/ananas_sample_connector.so")) {
    WARN("the sample connector plugin is not built (target ananas_sample_connector): skipped");
    return;
  }
  Scratch s;
  const std::string config = s.write("worker.yaml", "plugin.path: " + plugin_dir() + "\nhttp.port: 0\nworker.id: lines\n");
  const std::string out = s.path("out.txt");
  const std::string yaml = s.write("seq.yaml", plugin_pipeline("{path: \"" + out + "\"}"));

  ProcessResult r = run_ananas({"validate", "--config", config, yaml});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "seq: ok (1 source(s), 1 operator(s), 1 sink(s))\n");
  // Without the plugins the connectors are unknown, as they would be to the worker.
  r = run_ananas({"validate", yaml});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("unknown source connector 'sequence'") != std::string::npos);
  // The plugin's own option check runs in validate, located at the sink.
  const std::string bad = s.write("bad.yaml", plugin_pipeline("{}"));
  r = run_ananas({"validate", "--config", config, bad});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("bad.yaml:16:5: table 'out': option 'path': the lines sink needs a 'path'") != std::string::npos);

  // The same connectors declared in SQL.
  const std::string sql = s.write("seq.sql",
                                  "CREATE TABLE numbers (n BIGINT) WITH ('connector' = 'sequence', 'count' = '4', "
                                  "'format' = 'json');\n"
                                  "CREATE TABLE out (n BIGINT) WITH ('connector' = 'lines', 'path' = '" + out + "', "
                                  "'format' = 'json');\n"
                                  "INSERT INTO out SELECT n * 3 AS n FROM numbers;\n");
  r = run_ananas({"validate", "--config", config, sql});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  r = run_ananas({"translate", "--config", config, sql});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("connector: lines") != std::string::npos);
  r = run_ananas({"translate", sql});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("unknown connector 'sequence'") != std::string::npos);

  BackgroundProcess worker({ANANAS_BINARY, "run", "--config", config, yaml});
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (read_file(out).size() < 4 * std::string("null\t{\"n\":0}\n").size() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(100ms);
  CHECK(worker.stop(SIGINT, 20s) == 0);
  CHECK(read_file(out) == "null\t{\"n\":0}\nnull\t{\"n\":3}\nnull\t{\"n\":6}\nnull\t{\"n\":9}\n");
}
