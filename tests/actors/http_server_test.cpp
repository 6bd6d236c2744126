// The REST API, /metrics and health probes over a real loopback connection.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <unistd.h>

#include "actors/http_server.hpp"
#include "core/diagnostic.hpp"
#include "test_doubles.hpp"

using namespace ananas;
using namespace ananas::rt;
using namespace ananas::rt::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// Stands in for the graph builder: "pipeline <name>" becomes a running
// pipeline over an endless in-memory source; anything else is a located error.
struct FakeTranslator {
  std::shared_ptr<SinkData> sink = std::make_shared<SinkData>();
  std::vector<PipelineGraph> operator()(const std::string& body, const std::string&) const {
    const std::string prefix = "pipeline ";
    if (body.rfind(prefix, 0) != 0) throw InputError({"request.yaml", 3, 7}, "unknown key 'sourcez'");
    auto src = std::make_shared<SourceData>();
    for (int i = 0; i < 1000; ++i) src->batches.push_back(make_batch({{i % 3, i}}));
    src->delay = 2ms;
    src->watermarks.resize(1000);
    for (int i = 0; i < 1000; ++i) src->watermarks[i] = 1700000000000 + i;
    PipelineGraph g;
    g.name = body.substr(prefix.size());
    g.definition = body;
    g.nodes = {source_node("in", src),
               operator_node("pass", {"in"}, [] { return std::make_unique<PassThrough>(); }),
               sink_node("alerts", {"pass"}, sink)};
    return {std::move(g)};
  }
};

// Sends `request` as written (no header added: curl -X PUT without -d sends
// no Content-Length, which httplib's client never does) on a new connection
// to 127.0.0.1:port and returns the status code of the answer (0: none).
int raw_status(int port, const std::string& request) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
    char buf[512];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n > 0) answer.assign(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (answer.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::atoi(answer.c_str() + 9);
}

}  // namespace

TEST_CASE("REST API follows Kafka Connect conventions over loopback HTTP", "[http]") {
  Worker worker(test_worker_config());
  FakeTranslator translator;
  HttpServer server(worker, translator, HttpOptions{"127.0.0.1", 0});
  const int port = server.start();
  REQUIRE(port > 0);
  httplib::Client http("127.0.0.1", port);
  http.set_connection_timeout(5);
  http.set_read_timeout(20);

  auto health = http.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);

  auto list = http.Get("/pipelines");
  REQUIRE(list);
  CHECK(list->status == 200);
  CHECK(json::parse(list->body) == json::array());

  auto created = http.Post("/pipelines", "pipeline alerts", "application/yaml");
  REQUIRE(created);
  CHECK(created->status == 201);
  CHECK(created->get_header_value("Location") == "/pipelines/alerts");
  CHECK(json::parse(created->body)["name"] == "alerts");

  auto conflict = http.Post("/pipelines", "pipeline alerts", "application/yaml");
  REQUIRE(conflict);
  CHECK(conflict->status == 409);
  CHECK(json::parse(conflict->body)["error_code"] == 409);

  auto invalid = http.Post("/pipelines", "sourcez: []", "application/yaml");
  REQUIRE(invalid);
  CHECK(invalid->status == 400);
  CHECK(json::parse(invalid->body)["message"] == "request.yaml:3:7: unknown key 'sourcez'");

  auto empty = http.Post("/pipelines", "", "application/yaml");
  REQUIRE(empty);
  CHECK(empty->status == 400);

  auto info = http.Get("/pipelines/alerts");
  REQUIRE(info);
  CHECK(info->status == 200);
  const auto info_body = json::parse(info->body);
  CHECK(info_body["definition"] == "pipeline alerts");
  CHECK(info_body["nodes"].size() == 3);

  REQUIRE(wait_until([&] { return translator.sink->written.load() > 3; }));
  auto status = http.Get("/pipelines/alerts/status");
  REQUIRE(status);
  CHECK(status->status == 200);
  auto st = json::parse(status->body);
  CHECK(st["pipeline"]["state"] == "RUNNING");
  CHECK(st["actors"].size() == 3);
  CHECK(st["actors"][0]["state"] == "RUNNING");

  auto ready = http.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);

  auto expanded = http.Get("/pipelines?expand=status");
  REQUIRE(expanded);
  CHECK(json::parse(expanded->body)["alerts"]["status"]["pipeline"]["state"] == "RUNNING");

  auto paused = http.Put("/pipelines/alerts/pause", "", "text/plain");
  REQUIRE(paused);
  CHECK(paused->status == 202);
  REQUIRE(wait_until([&] {
    auto s = http.Get("/pipelines/alerts/status");
    return s && json::parse(s->body)["pipeline"]["state"] == "PAUSED";
  }));
  auto resumed = http.Put("/pipelines/alerts/resume", "", "text/plain");
  REQUIRE(resumed);
  CHECK(resumed->status == 202);
  REQUIRE(wait_until([&] {
    auto s = http.Get("/pipelines/alerts/status");
    return s && json::parse(s->body)["pipeline"]["state"] == "RUNNING";
  }));
  auto restarted = http.Post("/pipelines/alerts/restart", "", "text/plain");
  REQUIRE(restarted);
  CHECK(restarted->status == 204);
  // As Kafka Connect's documentation calls them: no body at all, or one that is ignored.
  const std::string end = " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  CHECK(raw_status(port, "PUT /pipelines/alerts/pause" + end + "\r\n") == 202);
  CHECK(raw_status(port, "PUT /pipelines/alerts/resume" + end + "Content-Length: 2\r\n\r\n{}") == 202);
  CHECK(raw_status(port, "POST /pipelines/alerts/restart" + end + "\r\n") == 204);
  CHECK(raw_status(port, "PUT /pipelines/nope/pause" + end + "\r\n") == 404);

  for (const char* path : {"/pipelines/nope", "/pipelines/nope/status"}) {
    auto r = http.Get(path);
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(json::parse(r->body)["error_code"] == 404);
  }
  auto r1 = http.Put("/pipelines/nope/pause", "", "text/plain");
  REQUIRE(r1);
  CHECK(r1->status == 404);
  auto r2 = http.Post("/pipelines/nope/restart", "", "text/plain");
  REQUIRE(r2);
  CHECK(r2->status == 404);

  auto metrics = http.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  for (const char* name :
       {"ananas_records_in_total", "ananas_records_out_total", "ananas_anomalies_emitted_total",
        "ananas_watermark_lag_seconds", "ananas_watermark_timestamp_seconds", "ananas_late_records_dropped_total",
        "ananas_actor_restarts_total", "ananas_batch_latency_seconds_bucket", "ananas_kafka_consumer_lag",
        "ananas_bad_records_total"})
    CHECK_THAT(metrics->body, Catch::Contains(name));
  CHECK_THAT(metrics->body, Catch::Contains("ananas_anomalies_emitted_total{worker=\"ananas\",pipeline=\"alerts\",sink=\"alerts\",topic=\"out\"}"));

  auto deleted = http.Delete("/pipelines/alerts");
  REQUIRE(deleted);
  CHECK(deleted->status == 204);
  auto gone = http.Get("/pipelines/alerts");
  REQUIRE(gone);
  CHECK(gone->status == 404);
  auto deleted_again = http.Delete("/pipelines/alerts");
  REQUIRE(deleted_again);
  CHECK(deleted_again->status == 404);

  server.stop();
  worker.stop();
}

TEST_CASE("HTTP server reports a port it cannot bind", "[http]") {
  Worker worker(test_worker_config());
  FakeTranslator translator;
  HttpServer first(worker, translator, HttpOptions{"127.0.0.1", 0});
  const int port = first.start();
  HttpServer second(worker, translator, HttpOptions{"127.0.0.1", port});
  CHECK_THROWS_WITH(second.start(), Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(port)));
  first.stop();
  worker.stop();
}
