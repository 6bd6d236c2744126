// The worker's /metrics as a real Prometheus server sees it: Prometheus
// (Debian package `prometheus`) scrapes a running worker on loopback, its
// query API returns our counters, and every query of the shipped Grafana
// dashboard evaluates without error against the scraped data.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
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

}  // namespace

TEST_CASE("a real Prometheus scrapes the worker and evaluates every dashboard query", "[e2e]") {
  REQUIRE_E2E_TOOLS();
  if (!program_exists("prometheus")) {
    WARN("prometheus not installed (Debian package prometheus): skipped");
    return;
  }
  ScratchDir dir("prometheus");
  BrokerProcess broker(dir, 2, {"pizzas", "pizza_stream_out_filter"});
  WorkerProcess worker(dir, "worker", broker.bootstrap(), {example("01-basic-filtering.json")});
  const std::string target = worker.base_url().substr(std::string("http://").size());

  const int port = free_loopback_port();
  write_text(dir.file("prometheus.yml"), "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                         "scrape_configs:\n  - job_name: ananas\n    static_configs:\n"
                                         "      - targets: ['" + target + "']\n");
  Process prometheus({"prometheus", "--config.file=" + dir.file("prometheus.yml"), "--storage.tsdb.path=" + dir.file("tsdb"),
                      "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                     dir.file("prometheus.out"), dir.file("prometheus.err"));
  const std::string prom = "http://127.0.0.1:" + std::to_string(port);

  generate(broker.bootstrap(), 0, 400, 300000);

  // Prometheus's own view: the target is up and the counters reached what was produced.
  const std::string in_query = "sum(ananas_records_in_total{pipeline=\"01-basic-filtering\",operator=\"pizza_source\"})";
  double records_in = -1, up = -1;
  const auto deadline = std::chrono::steady_clock::now() + 45s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (prometheus.running()) {
      auto [code, body] = http_get(prom + "/-/ready");
      if (code == 200) {
        up = scalar_result(query(prom, "up{job=\"ananas\"}"));
        records_in = scalar_result(query(prom, in_query));
        if (up == 1 && records_in >= 400) break;
      }
    }
    std::this_thread::sleep_for(500ms);
  }
  INFO("prometheus stderr: " << prometheus.err().substr(0, 2000));
  REQUIRE(up == 1);
  CHECK(records_in == 400);
  CHECK(scalar_result(query(prom, "sum(ananas_anomalies_emitted_total{pipeline=\"01-basic-filtering\"})")) > 0);

  // Every dashboard query is valid PromQL over these series (variables set to match all).
  std::ifstream in(std::string(ANANAS_SOURCE_DIR) + "/grafana/dashboards/ananas/pipelines.json");
  REQUIRE(in);
  nlohmann::json dashboard = nlohmann::json::parse(in);
  std::vector<std::string> exprs;
  std::function<void(const nlohmann::json&)> collect = [&](const nlohmann::json& j) {
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == "expr" && it->is_string()) exprs.push_back(it->get<std::string>());
        else collect(*it);
      }
    } else if (j.is_array()) {
      for (const auto& e : j) collect(e);
    }
  };
  collect(dashboard["panels"]);
  REQUIRE(exprs.size() >= 5);
  for (std::string e : exprs) {
    e = std::regex_replace(e, std::regex(R"(\$__rate_interval|\$__interval|\$__range)"), "1m");
    e = std::regex_replace(e, std::regex(R"(\$\{?[A-Za-z_]+(:[a-z]+)?\}?)"), ".*");
    auto r = query(prom, e);
    INFO("dashboard query: " << e);
    CHECK(r["status"] == "success");
  }
}
