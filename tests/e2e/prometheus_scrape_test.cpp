// The worker's /metrics as a real Prometheus server sees it: Prometheus
// (Debian package `prometheus`) scrapes a worker running the demo's traffic
// through three tutorial apps on loopback, and every query of the shipped
// Grafana dashboards returns data (none names a metric that never appears),
// and every alerting rule evaluates.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "e2e_kafka.hpp"

using namespace ananas::e2e;

namespace {

// A port the kernel says is free right now on 127.0.0.1.
int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

std::string url_encode(const std::string& s) {
  std::string out;
  const char* hex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

nlohmann::json query(const std::string& prom, const std::string& promql) {
  auto [code, body] = http_get(prom + "/api/v1/query?query=" + url_encode(promql));
  INFO("query " << promql << " -> HTTP " << code << ": " << body);
  REQUIRE(code == 200);
  return nlohmann::json::parse(body);
}

double scalar_result(const nlohmann::json& r) {
  if (r["data"]["result"].empty()) return -1;
  return std::stod(r["data"]["result"][0]["value"][1].get<std::string>());
}

// Grafana's variables are not PromQL: what Grafana substitutes with "All"
// selected and a one-minute range.
std::string as_grafana_would(std::string e) {
  e = std::regex_replace(e, std::regex(R"(\$__rate_interval|\$__interval|\$__range)"), "1m");
  return std::regex_replace(e, std::regex(R"(\$\{?[A-Za-z_]+(:[a-z]+)?\}?)"), ".*");
}

std::vector<std::string> dashboard_queries() {
  std::vector<std::string> exprs;
  for (const char* name : {"anomalies", "worker"}) {
    std::ifstream in(std::string(ANANAS_SOURCE_DIR) + "/grafana/dashboards/ananas/" + name + ".json");
    REQUIRE(in);
    const nlohmann::json dashboard = nlohmann::json::parse(in);  // named: a range-for over a temporary's member dangles
    for (const auto& p : dashboard["panels"])
      for (const auto& t : p["targets"]) exprs.push_back(as_grafana_would(t["expr"].get<std::string>()));
  }
  return exprs;
}

}  // namespace

TEST_CASE("a real Prometheus scrapes a worker under demo traffic and every dashboard query returns data", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  if (!program_exists("prometheus")) {
    WARN("prometheus not installed (Debian package prometheus): skipped");
    return;
  }
  ScratchDir dir("prometheus");
  BrokerProcess broker(dir, 2, {"pizzas", "pizza_stream_out_filter", "pizza_stream_out_agg", "pizza_stream_out_agg_windows"});
  WorkerProcess worker(dir, "worker", broker.bootstrap(),
                       {example("01-basic-filtering.yaml"), example("02-aggregating.yaml"), example("03-windowing.yaml")});
  const std::string target = worker.base_url().substr(std::string("http://").size());

  const int port = free_loopback_port();
  write_text(dir.file("prometheus.yml"), "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                         "scrape_configs:\n  - job_name: ananas\n    static_configs:\n"
                                         "      - targets: ['" + target + "']\n");
  Process prometheus({"prometheus", "--config.file=" + dir.file("prometheus.yml"), "--storage.tsdb.path=" + dir.file("tsdb"),
                      "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                     dir.file("prometheus.out"), dir.file("prometheus.err"));
  const std::string prom = "http://127.0.0.1:" + std::to_string(port);

  // The demo's traffic for the whole test (the generator is stopped with it).
  auto traffic = start_generate(dir, "generate", broker.bootstrap(), 200, 100000, 0);

  // Until every dashboard query has a series (rates need two scrapes of a
  // counter, the windows a watermark past their end), bounded.
  const auto exprs = dashboard_queries();
  REQUIRE(exprs.size() >= 15);
  std::set<std::string> empty(exprs.begin(), exprs.end());
  double up = -1;
  const auto deadline = std::chrono::steady_clock::now() + 90s;
  while (!empty.empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1s);
    if (!prometheus.running() || http_get(prom + "/-/ready").first != 200) continue;
    up = scalar_result(query(prom, "up{job=\"ananas\"}"));
    for (auto it = empty.begin(); it != empty.end();) {
      auto r = query(prom, *it);
      INFO("dashboard query: " << *it);
      REQUIRE(r["status"] == "success");
      it = r["data"]["result"].empty() ? std::next(it) : empty.erase(it);
    }
  }
  INFO("prometheus stderr: " << prometheus.err().substr(0, 2000));
  REQUIRE(up == 1);
  for (const auto& e : empty) {
    INFO("no data for the dashboard query " << e);
    CHECK(false);
  }
  CHECK(scalar_result(query(prom, "sum(ananas_anomalies_emitted_total{pipeline=\"01-basic-filtering\"})")) > 0);
  CHECK(scalar_result(query(prom, "sum(ananas_pipeline_state{state=\"RUNNING\"})")) == 3);

  // The alerting rules evaluate over the same series (their logic is unit-tested
  // by promtool: config/prometheus/alerts_test.yaml).
  std::ifstream rules(std::string(ANANAS_SOURCE_DIR) + "/config/prometheus/alerts.yaml");
  std::stringstream text;
  text << rules.rdbuf();
  const std::string alerts = text.str();
  const std::regex expr_block(R"(expr: \|\n((?:          .*\n)+)|expr: (.+)\n)");
  int n = 0;
  for (std::sregex_iterator it(alerts.begin(), alerts.end(), expr_block), end; it != end; ++it, ++n) {
    const std::string e = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
    INFO("alert expression: " << e);
    CHECK(query(prom, e)["status"] == "success");
  }
  CHECK(n >= 7);
}
