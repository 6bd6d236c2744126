// `ananas pipelines ...`, the REST API's command-line client, run as a
// process against a real worker on loopback: tables, JSON, exit codes and
// the errors a user meets (unknown pipeline, bad file, name in use, no worker).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

Result pipelines(const std::vector<std::string>& args, const std::string& url) {
  std::vector<std::string> argv = {ananas_binary(), "pipelines"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--url", url});
  return run(argv, 60s);
}

}  // namespace

TEST_CASE("ananas pipelines lists, shows, controls, creates and deletes a worker's pipelines", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("pipelines-cli");
  BrokerProcess broker(dir, 2, {"pizzas"});
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {example("01-basic-filtering.yaml")});
  const std::string url = worker.base_url();

  // The pipeline starts (UNASSIGNED until its actors run) right after the worker.
  Result list;
  CHECK(wait_until_true(
      [&] {
        list = pipelines({"list"}, url);
        return list.out.find("01-basic-filtering  RUNNING") != std::string::npos;
      },
      30s));
  INFO(list.out << list.err);
  CHECK(list.exit_code == 0);
  REQUIRE(!lines_of(list.out).empty());
  CHECK(lines_of(list.out)[0].rfind("NAME                STATE    RESTARTS  CHECKPOINT  SOURCES", 0) == 0);

  // The JSON is the worker's answer, for scripts.
  Result json_list = pipelines({"list", "-o", "json"}, url);
  REQUIRE(json_list.exit_code == 0);
  const auto parsed = nlohmann::json::parse(json_list.out);
  CHECK(parsed["01-basic-filtering"]["status"]["pipeline"]["state"] == "RUNNING");

  Result show = pipelines({"show", "01-basic-filtering"}, url);
  CHECK(show.exit_code == 0);
  CHECK(show.out.find("pizza_source") != std::string::npos);
  CHECK(show.out.find("pizza_stream_out_filter") != std::string::npos);
  Result definition = pipelines({"show", "01-basic-filtering", "--definition"}, url);
  CHECK(definition.out.rfind("pipeline: 01-basic-filtering\n", 0) == 0);
  Result status = pipelines({"status", "01-basic-filtering"}, url);
  CHECK(status.exit_code == 0);
  CHECK(status.out.find("state       RUNNING") != std::string::npos);
  CHECK(status.out.find("pizza_source-0") != std::string::npos);

  // Pause, resume and restart answer at once; the state follows.
  Result pause = pipelines({"pause", "01-basic-filtering"}, url);
  CHECK(pause.exit_code == 0);
  CHECK(pause.out == "pipeline '01-basic-filtering' pausing: its sources stop reading (PAUSED once they have)\n");
  CHECK(wait_until_true([&] { return pipelines({"list"}, url).out.find("01-basic-filtering  PAUSED") != std::string::npos; },
                        30s));
  CHECK(pipelines({"resume", "01-basic-filtering"}, url).exit_code == 0);
  CHECK(wait_until_true([&] { return pipelines({"list"}, url).out.find("01-basic-filtering  RUNNING") != std::string::npos; },
                        30s));
  CHECK(pipelines({"restart", "01-basic-filtering"}, url).exit_code == 0);

  // create: application JSON named after its file, as `ananas run FILE` names it.
  Result created = pipelines({"create", example("02-aggregating.json")}, url);
  INFO(created.err);
  CHECK(created.exit_code == 0);
  CHECK(created.out.find("02-aggregating  8") != std::string::npos);
  Result again = pipelines({"create", example("02-aggregating.json")}, url);
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("HTTP 409: pipeline '02-aggregating' already exists") != std::string::npos);
  // A bad file is reported at its own path, line and column.
  write_text(dir.file("bad.sql"), "CREATE TABLE x (a INT) WITH (\n  bad\n);\n");
  Result bad = pipelines({"create", dir.file("bad.sql")}, url);
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.rfind(dir.file("bad.sql") + ":2:3: ", 0) == 0);

  Result deleted = pipelines({"delete", "02-aggregating"}, url);
  CHECK(deleted.exit_code == 0);
  CHECK(pipelines({"list"}, url).out.find("02-aggregating") == std::string::npos);
  Result missing = pipelines({"status", "02-aggregating"}, url);
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "ananas pipelines status: GET /pipelines/02-aggregating/status: HTTP 404: pipeline "
                       "'02-aggregating' not found\n");

  // ANANAS_URL points at the worker when --url does not.
  Result from_env = run({ananas_binary(), "pipelines", "list"}, 60s, "", {{"ANANAS_URL", url}});
  CHECK(from_env.out.find("01-basic-filtering") != std::string::npos);
}

TEST_CASE("ananas pipelines: no worker at the address exits 1 saying so, usage errors exit 2", "[e2e]") {
  Result none = run({ananas_binary(), "pipelines", "list", "--url", "http://127.0.0.1:1"}, 60s);
  CHECK(none.exit_code == 1);
  CHECK(none.err == "ananas pipelines list: cannot reach the worker at http://127.0.0.1:1 (connection refused or "
                    "address unreachable): is `ananas run` serving there? Point at it with --url or ANANAS_URL\n");
  Result typo = run({ananas_binary(), "pipelines", "lst"}, 60s);
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("unknown subcommand 'lst' (did you mean 'list'?)") != std::string::npos);
  CHECK(run({ananas_binary(), "pipelines", "status"}, 60s).exit_code == 2);
  CHECK(run({ananas_binary(), "pipelines", "list", "--output", "yaml"}, 60s).exit_code == 2);
  CHECK(run({ananas_binary(), "pipelines", "list", "--url", "https://example.com"}, 60s).exit_code == 2);
}

TEST_CASE("ananas pipelines sends ANANAS_HTTP_AUTH_TOKEN to a worker that needs a token", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("pipelines-cli-token");
  BrokerProcess broker(dir, 1, {"pizzas"});
  const std::string token = "e2e-token-0123456789abcdef";
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {example("01-basic-filtering.yaml")},
                       {{"ANANAS_HTTP_AUTH_TOKEN", token}});
  const std::string url = worker.base_url();
  CHECK(http_get(url + "/healthz").first == 200);  // probes never need it
  CHECK(http_get(url + "/pipelines").first == 401);
  CHECK(http_get(url + "/metrics").first == 401);  // http.auth.metrics defaults to true

  Result without = pipelines({"list"}, url);
  CHECK(without.exit_code == 1);
  CHECK(without.err.find("HTTP 401") != std::string::npos);
  CHECK(without.err.find("set ANANAS_HTTP_AUTH_TOKEN") != std::string::npos);
  Result wrong = run({ananas_binary(), "pipelines", "list", "--url", url}, 60s, "", {{"ANANAS_HTTP_AUTH_TOKEN", "nope"}});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err.find("is not the worker's http.auth.token") != std::string::npos);
  Result with = run({ananas_binary(), "pipelines", "list", "--url", url}, 60s, "", {{"ANANAS_HTTP_AUTH_TOKEN", token}});
  INFO(with.err);
  CHECK(with.exit_code == 0);
  CHECK(with.out.find("01-basic-filtering") != std::string::npos);
}
