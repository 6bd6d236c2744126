// Hot reload: a worker started on a folder follows it. Files added start
// pipelines, changed ones restart them (from their state when it can follow,
// else the running version stays and the reload says why), broken ones are
// reported at their location while the running version goes on, deleted
// ones stop; a Kubernetes ConfigMap's update (the `..data` symlink renamed
// onto a new hidden folder) counts as a change; POST /reload does the same
// on request; pipelines created over REST are left alone. Against `ananas
// broker` on loopback; every wait bounded.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;
namespace fs = std::filesystem;

namespace {

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

bool listed(WorkerProcess& w, const std::string& name) {
  const auto [code, body] = http_get(w.base_url() + "/pipelines");
  if (code != 200) return false;
  for (const auto& n : nlohmann::json::parse(body))
    if (n == name) return true;
  return false;
}

nlohmann::json status_of(WorkerProcess& w, const std::string& name) {
  return nlohmann::json::parse(http_get(w.base_url() + "/pipelines/" + name + "/status").second);
}

bool logged(WorkerProcess& w, const std::string& text) { return w.process().err().find(text) != std::string::npos; }

}  // namespace

TEST_CASE("a worker reloads its pipeline folder: add, change, break, delete, a ConfigMap swap, POST /reload", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  ScratchDir dir("hot-reload");
  BrokerProcess broker(dir, 3, {"pizzas", "pizza_stream_out_filter", "pizza_stream_out_agg"});
  const std::string& b = broker.bootstrap();
  generate(b, 0, 300, 1);

  // The folder as a ConfigMap mounts it: keys are symlinks through `..data`.
  const std::string folder = dir.file("pipelines");
  fs::create_directories(folder + "/..v1");
  const std::string aggregating = read_text(example("02-aggregating.yaml"));
  write_text(folder + "/..v1/02.yaml", aggregating);
  fs::create_directory_symlink("..v1", folder + "/..data");
  fs::create_symlink("..data/02.yaml", folder + "/02.yaml");

  WorkerProcess worker(dir, "worker", b, {folder});
  REQUIRE(wait_until_true([&] { return logged(worker, "for pipeline changes"); }, 20s));
  const std::string log_file = dir.file("worker.err");  // the worker's log, kept with ANANAS_E2E_KEEP=1
  INFO("worker log: " << log_file);

  // Added: starts and writes.
  const std::string filtering = read_text(example("01-basic-filtering.yaml"));
  write_text(folder + "/01.yaml", filtering);
  CHECK(wait_until_true([&] { return listed(worker, "01-basic-filtering"); }, 30s, 200ms));
  CHECK(wait_until_true([&] { return !kcat_dump(b, "pizza_stream_out_filter").empty(); }, 30s, 500ms));

  // Changed (a filter only: no state to keep apart): restarted.
  write_text(folder + "/01.yaml", replaced(filtering, "'🍍 pineapple', ", ""));
  CHECK(wait_until_true([&] { return logged(worker, "reload: restarted with the definition now in " + folder + "/01.yaml"); },
                        30s, 200ms));
  CHECK(listed(worker, "01-basic-filtering"));

  // Broken: reported at its location; the running version goes on.
  write_text(folder + "/01.yaml", "pipeline: 01-basic-filtering\nsources: [\n");
  CHECK(wait_until_true([&] { return logged(worker, "reload: " + folder + "/01.yaml:"); }, 30s, 200ms));
  const auto broken = status_of(worker, "01-basic-filtering");
  CHECK(broken["pipeline"]["state"] == "RUNNING");
  CHECK(broken["pipeline"]["definition"]["problem"].get<std::string>().rfind(folder + "/01.yaml:", 0) == 0);

  // A change its state cannot follow (the aggregate's keys reordered): said why, the running version stays.
  write_text(folder + "/..v1/02.yaml", replaced(aggregating, "keys: [id, name, orderTimestamp]", "keys: [name, id, orderTimestamp]"));
  auto report = nlohmann::json::parse(http_post(worker.base_url() + "/reload", "", "text/plain").second);
  INFO(report.dump(2));
  bool refused = false;
  for (const auto& e : report["errors"])
    refused |= e.value("pipeline", "") == "02-aggregating" &&
               e["message"].get<std::string>().find("its state cannot follow") != std::string::npos;
  CHECK(refused);
  CHECK(status_of(worker, "02-aggregating")["pipeline"]["state"] == "RUNNING");

  // A ConfigMap update: a new hidden folder, `..data` renamed onto it. The
  // change (the HAVING threshold) leaves the state's layout alone: restarted.
  fs::create_directories(folder + "/..v2");
  write_text(folder + "/..v2/02.yaml", replaced(aggregating, "where: nr_bad_items > 3", "where: nr_bad_items > 2"));
  fs::create_directory_symlink("..v2", folder + "/..data_tmp");
  fs::rename(folder + "/..data_tmp", folder + "/..data");
  fs::remove_all(folder + "/..v1");
  CHECK(wait_until_true([&] { return logged(worker, "reload: restarted with the definition now in " + folder + "/02.yaml"); },
                        30s, 200ms));
  // From its state: the drain's final checkpoint is where the new version resumes (it started with none).
  CHECK(wait_until_true([&] { return logged(worker, "pipeline '02-aggregating': resuming from checkpoint"); }, 30s, 200ms));

  // Created over REST: no reload touches it.
  const auto [created, _] = http_post(worker.base_url() + "/pipelines", read_text(example("04-trends.yaml")), "application/yaml");
  CHECK(created == 201);

  // Deleted: stopped (drained), gone from the list; POST /reload then finds nothing to do.
  fs::remove(folder + "/01.yaml");
  CHECK(wait_until_true([&] { return !listed(worker, "01-basic-filtering"); }, 30s, 200ms));
  // Gone from the list when its drain starts; the log line follows the drain.
  CHECK(wait_until_true([&] { return logged(worker, "reload: stopped"); }, 30s, 200ms));
  report = nlohmann::json::parse(http_post(worker.base_url() + "/reload", "", "text/plain").second);
  CHECK(report["started"].empty());
  CHECK(report["stopped"].empty());
  CHECK(report["restarted"].empty());
  CHECK(report["unchanged"] == nlohmann::json::array({"02-aggregating"}));
  CHECK(report["errors"].empty());
  // The same from the command line.
  const Result cli = run({ananas_binary(), "pipelines", "reload", "--url", worker.base_url()}, 30s);
  CHECK(cli.exit_code == 0);
  CHECK(cli.out.find("02-aggregating  unchanged") != std::string::npos);
  CHECK(listed(worker, "04-trends"));
  CHECK(listed(worker, "02-aggregating"));
  CHECK(worker.process().signal_and_wait(SIGTERM, 30s) == 0);
}
