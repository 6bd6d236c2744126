// The dashboards are code-generated JSON (grafana/dashboard.py): check they
// are provisionable (a datasource variable, no import-only inputs), that they
// query only metrics the worker exports, and that Prometheus' own promtool
// accepts every query.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <unistd.h>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "actors/metrics.hpp"

using nlohmann::json;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const std::string kRoot = ANANAS_SOURCE_DIR;

const std::vector<std::string> kDashboards = {"/grafana/dashboards/ananas/anomalies.json",
                                              "/grafana/dashboards/ananas/worker.json"};

std::vector<std::string> dashboard_queries(const json& d) {
  std::vector<std::string> out;
  for (const auto& p : d["panels"])
    for (const auto& t : p["targets"]) out.push_back(t["expr"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("dashboards take their datasource from a variable and query only exported metrics", "[grafana]") {
  CHECK_THAT(read_file(kRoot + "/grafana/provisioning/datasources/prometheus.yaml"),
             Catch::Contains("uid: prometheus"));
  std::vector<std::string> queries;
  for (const auto& file : kDashboards) {
    INFO(file);
    const std::string text = read_file(kRoot + file);
    REQUIRE_FALSE(text.empty());
    CHECK(text.find("${DS_") == std::string::npos);
    const json d = json::parse(text);
    CHECK(d["id"].is_null());
    const auto& vars = d["templating"]["list"];
    REQUIRE(vars.size() >= 1);
    CHECK(vars[0]["name"] == "datasource");
    CHECK(vars[0]["type"] == "datasource");
    CHECK(vars[0]["query"] == "prometheus");
    CHECK(vars[0]["current"]["value"] == "prometheus");  // the provisioned uid
    for (const auto& p : d["panels"]) {
      CHECK(p["datasource"]["uid"] == "${datasource}");
      for (const auto& t : p["targets"]) CHECK(t["datasource"]["uid"] == "${datasource}");
    }
    for (auto& q : dashboard_queries(d)) queries.push_back(q);
  }

  // Every series name a query uses must appear in the worker's exposition.
  ananas::rt::Metrics m;
  m.records_in("p", "op").Increment();
  m.records_out("p", "op").Increment();
  m.source_records("p", "src", "t").Increment();
  m.set_pipeline_state("p", "RUNNING");
  m.checkpoint_completed("p", 0.1, 10, 100);
  m.anomalies_emitted("p", "sink", "t").Increment();
  m.late_records_dropped("p", "op");
  m.actor_restarts("p", "op");
  m.bad_records("p", "t");
  m.row_errors("p", "op");
  m.batch_latency("p", "op").Observe(0.01);
  m.consumer_lag("p", "t", 0).Set(1);
  m.set_watermark("p", "op", 1700000000000);
  m.watermark_held_partitions("p", "src").Set(0);  // named by an alert's comment
  const std::string exposition = m.serialize();
  const std::regex metric(R"(ananas_[a-z_]+)");
  std::set<std::string> used;
  for (const auto& q : queries)
    for (std::sregex_iterator it(q.begin(), q.end(), metric), end; it != end; ++it) used.insert(it->str());
  CHECK(used.size() >= 14);
  // The alerting rules too (their logic: config/prometheus/alerts_test.yaml).
  const std::string alerts = read_file(kRoot + "/config/prometheus/alerts.yaml");
  REQUIRE_FALSE(alerts.empty());
  for (std::sregex_iterator it(alerts.begin(), alerts.end(), metric), end; it != end; ++it) used.insert(it->str());
  for (const auto& name : used) {
    INFO(name);
    CHECK(exposition.find("\n" + name + "{") != std::string::npos);
  }
}

TEST_CASE("promtool accepts every dashboard query", "[grafana]") {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    WARN("promtool not installed (Debian package prometheus): query syntax not checked");
    return;
  }
  // Grafana's variables are not PromQL: substitute what Grafana would.
  std::ostringstream rules;
  rules << "groups:\n  - name: dashboard\n    rules:\n";
  int i = 0;
  std::vector<std::string> queries;
  for (const auto& file : kDashboards)
    for (auto& q : dashboard_queries(json::parse(read_file(kRoot + file)))) queries.push_back(q);
  REQUIRE(queries.size() >= 15);
  for (auto q : queries) {
    q = std::regex_replace(q, std::regex(R"(\$__rate_interval|\$__range)"), "1m");
    q = std::regex_replace(q, std::regex(R"(\$[A-Za-z_]+)"), ".*");
    rules << "      - record: dashboard:query" << i++ << "\n        expr: '" << q << "'\n";
  }
  const auto path = std::filesystem::temp_directory_path() / ("ananas_dashboard_rules_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << rules.str();
  const int rc = std::system(("promtool check rules " + path.string() + " >/dev/null 2>&1").c_str());
  std::filesystem::remove(path);
  CHECK(rc == 0);
}

TEST_CASE("the committed dashboards are exactly what grafana/dashboard.py writes", "[grafana]") {
  const auto out = std::filesystem::temp_directory_path() / ("ananas_dashboards_" + std::to_string(::getpid()));
  const int rc = std::system(("python3 " + kRoot + "/grafana/dashboard.py " + out.string() + " >/dev/null").c_str());
  REQUIRE(rc == 0);
  std::set<std::string> generated, committed;
  for (const auto& f : std::filesystem::directory_iterator(out)) generated.insert(f.path().filename());
  for (const auto& f : std::filesystem::directory_iterator(kRoot + "/grafana/dashboards/ananas"))
    committed.insert(f.path().filename());
  CHECK(generated == committed);
  CHECK(committed.size() == kDashboards.size());  // the tests here read every dashboard
  for (const auto& name : generated) {
    INFO(name << ": run python3 grafana/dashboard.py and commit the JSON");
    CHECK(read_file(out / name) == read_file(kRoot + "/grafana/dashboards/ananas/" + name));
  }
  std::filesystem::remove_all(out);
}
