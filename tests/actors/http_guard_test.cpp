// The HTTP port under hostile or clumsy clients, over real loopback sockets:
// idle, slow and half-open connections, more connections than allowed, a busy
// REST API, the bearer token, and requests the gate refuses from their head.
// No test measures time: each asserts that an answer comes (or a connection
// closes) within a generous bound that the unguarded server missed.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "actors/http_server.hpp"
#include "raw_http.hpp"
#include "test_doubles.hpp"

using namespace ananas;
using namespace ananas::rt;
using namespace ananas::rt::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// No pipeline is ever created: the REST calls these tests make only list.
std::vector<PipelineGraph> no_pipelines(const std::string&, const std::string&) {
  throw std::invalid_argument("this test server takes no pipelines");
}

// Sockets closed with the object, so that a failing CHECK leaks none.
class Sockets {
 public:
  ~Sockets() {
    for (int fd : fds_) ::close(fd);
  }
  int open(int port, const char* source = "127.0.0.1") {
    const int fd = connect_from(port, source);
    if (fd >= 0) fds_.push_back(fd);
    return fd;
  }
  const std::vector<int>& all() const { return fds_; }

 private:
  std::vector<int> fds_;
};

// The status of GET `path` through httplib's client, which waits 10 s at most
// (the unguarded server left /healthz unanswered for longer behind 50 idle
// connections); 0 when no answer came.
int get_status(int port, const std::string& path, const httplib::Headers& headers = {}) {
  httplib::Client http("127.0.0.1", port);
  http.set_connection_timeout(10);
  http.set_read_timeout(10);
  auto r = http.Get(path.c_str(), headers);
  return r ? r->status : 0;
}

const std::string kHost = " HTTP/1.1\r\nHost: 127.0.0.1\r\n";

}  // namespace

TEST_CASE("hundreds of idle, half-sent and half-closed connections delay no answer", "[http]") {
  allow_open_files(4096);
  Worker worker(test_worker_config());
  HttpOptions options{"127.0.0.1", 0};
  // Nothing evicted or timed out here: every connection stays open in the
  // gate for the whole test, as slow clients within the limits would.
  options.limits.max_connections = 2000;
  options.limits.max_connections_per_client = 2000;
  options.limits.head_timeout = 120s;
  HttpServer server(worker, no_pipelines, options);
  const int port = server.start();
  Sockets clients;
  for (int i = 0; i < 300; ++i) REQUIRE(clients.open(port) >= 0);  // connected, silent
  std::vector<int> half_sent;
  for (int i = 0; i < 50; ++i) {  // a request line and a header, never the end of the head
    const int fd = clients.open(port);
    REQUIRE(fd >= 0);
    REQUIRE(send_all(fd, "GET /pipelines" + kHost));
    half_sent.push_back(fd);
  }
  for (int i = 0; i < 50; ++i) {  // half a head, then the client's side closed
    const int fd = clients.open(port);
    REQUIRE(fd >= 0);
    REQUIRE(send_all(fd, "GET /metr"));
    ::shutdown(fd, SHUT_WR);
  }

  CHECK(get_status(port, "/healthz") == 200);
  CHECK(get_status(port, "/readyz") == 200);
  CHECK(get_status(port, "/metrics") == 200);
  CHECK(get_status(port, "/pipelines") == 200);

  // The silent connections were kept, not dropped: one finishes its head now
  // and is answered.
  REQUIRE(send_all(half_sent.front(), "Connection: close\r\n\r\n"));
  CHECK(read_response(half_sent.front()).status == 200);
  REQUIRE(send_all(clients.all().front(), "GET /healthz" + kHost + "\r\n"));
  CHECK(read_response(clients.all().front()).status == 200);
  server.stop();
  worker.stop();
}

TEST_CASE("a connection that sends no whole request head in time is closed unanswered", "[http]") {
  Worker worker(test_worker_config());
  HttpOptions options{"127.0.0.1", 0};
  options.limits.head_timeout = 300ms;
  HttpServer server(worker, no_pipelines, options);
  const int port = server.start();
  Sockets clients;
  const int silent = clients.open(port);
  const int half_sent = clients.open(port);
  REQUIRE(send_all(half_sent, "GET /healthz" + kHost));
  const int kept_alive = clients.open(port);
  REQUIRE(send_all(kept_alive, "GET /healthz" + kHost + "\r\n"));
  const RawResponse first = read_response(kept_alive);
  CHECK(first.status == 200);
  CHECK(first.head.find("Keep-Alive: ") != std::string::npos);

  CHECK(closed_by_server(silent));
  CHECK(closed_by_server(half_sent));
  CHECK(closed_by_server(kept_alive));  // waited for a next request that never came
  CHECK(get_status(port, "/healthz") == 200);
  server.stop();
  worker.stop();
}

TEST_CASE("a client over its connection limit loses its oldest idle connection, other clients keep theirs", "[http]") {
  Worker worker(test_worker_config());
  HttpOptions options{"127.0.0.1", 0};
  options.limits.max_connections_per_client = 8;
  options.limits.max_connections = 20;
  options.limits.head_timeout = 120s;
  options.limits.body_timeout = 120s;
  HttpServer server(worker, no_pipelines, options);
  const int port = server.start();
  Sockets clients;

  // 127.0.0.2 opens 12: its first 4 are closed to admit the last 4.
  std::vector<int> second;
  for (int i = 0; i < 12; ++i) second.push_back(clients.open(port, "127.0.0.2"));
  for (int i = 0; i < 4; ++i) CHECK(closed_by_server(second[i]));
  for (int i = 4; i < 12; ++i) {  // the 8 it may keep are still served
    REQUIRE(send_all(second[i], "GET /healthz" + kHost + "\r\n"));
    CHECK(read_response(second[i]).status == 200);
  }
  // 127.0.0.3 opens 8 more; the port then holds 16, within the 20 in all.
  std::vector<int> third;
  for (int i = 0; i < 8; ++i) third.push_back(clients.open(port, "127.0.0.3"));
  // Five more from 127.0.0.4 make 21 with its probe below: the oldest idle
  // connection anywhere (127.0.0.2's) closes for each one over 20.
  for (int i = 0; i < 5; ++i) clients.open(port, "127.0.0.4");
  CHECK(closed_by_server(second[4]));
  CHECK(raw_request(port, "GET /healthz" + kHost + "Connection: close\r\n\r\n", "127.0.0.4").status == 200);
  for (int fd : third) {  // 127.0.0.3's are all still there
    REQUIRE(send_all(fd, "GET /healthz" + kHost + "\r\n"));
    CHECK(read_response(fd).status == 200);
  }

  // When every connection of a client is busy, none can be closed for a new
  // one: it is refused.
  options.limits.max_connections_per_client = 2;
  HttpServer strict(worker, no_pipelines, options);
  const int strict_port = strict.start();
  Sockets busy;
  for (int i = 0; i < 2; ++i) {  // a body announced and never sent: busy until body_timeout
    const int fd = busy.open(strict_port, "127.0.0.5");
    REQUIRE(send_all(fd, "POST /pipelines" + kHost + "Content-Length: 100\r\n\r\npipe"));
  }
  // Another client is served; once it is, the gate has read both heads above
  // (their bytes came first) and handed them to the REST threads.
  CHECK(raw_request(strict_port, "GET /healthz" + kHost + "\r\n", "127.0.0.6").status == 200);
  const RawResponse refused = raw_request(strict_port, "GET /healthz" + kHost + "\r\n", "127.0.0.5");
  CHECK(refused.status == 503);
  CHECK_THAT(refused.body, Catch::Contains("too many connections from 127.0.0.5"));
  strict.stop();  // does not wait for the bodies that never come
  server.stop();
  worker.stop();
}

TEST_CASE("probes and /metrics are answered while every REST thread waits for a slow body", "[http]") {
  Worker worker(test_worker_config());
  HttpOptions options{"127.0.0.1", 0};
  options.limits.body_timeout = 120s;
  HttpServer server(worker, no_pipelines, options);
  const int port = server.start();
  Sockets slow;
  for (int i = 0; i < 8; ++i) {  // more than the REST lane has threads
    const int fd = slow.open(port);
    REQUIRE(send_all(fd, "POST /pipelines" + kHost + "Content-Type: application/yaml\r\nContent-Length: 1000\r\n\r\npipe"));
  }
  CHECK(get_status(port, "/healthz") == 200);
  CHECK(get_status(port, "/readyz") == 200);
  CHECK(get_status(port, "/metrics") == 200);
  for (int fd : slow.all()) ::shutdown(fd, SHUT_WR);  // the bodies end short: those requests fail
  CHECK(get_status(port, "/pipelines") == 200);      // and the REST threads are free again
  server.stop();
  worker.stop();
}

TEST_CASE("with a bearer token, everything but the probes needs it", "[http]") {
  Worker worker(test_worker_config());
  HttpOptions options{"127.0.0.1", 0};
  options.auth.token = "s3cret-token-0123456789";
  HttpServer server(worker, no_pipelines, options);
  const int port = server.start();

  CHECK(get_status(port, "/healthz") == 200);
  CHECK(get_status(port, "/readyz") == 200);
  const RawResponse missing = raw_request(port, "GET /pipelines" + kHost + "\r\n");
  CHECK(missing.status == 401);
  CHECK(missing.has_header(R"(WWW-Authenticate: Bearer realm="ananas")"));
  CHECK(json::parse(missing.body)["error_code"] == 401);
  const RawResponse wrong = raw_request(port, "GET /pipelines" + kHost + "Authorization: Bearer s3cret-token-0123456788\r\n\r\n");
  CHECK(wrong.status == 401);
  CHECK(wrong.has_header(R"(WWW-Authenticate: Bearer realm="ananas", error="invalid_token")"));
  CHECK(raw_request(port, "GET /pipelines" + kHost + "Authorization: Bearer s3cret-token-0123456789x\r\n\r\n").status == 401);
  CHECK(raw_request(port, "GET /pipelines" + kHost + "Authorization: Basic czNjcmV0\r\n\r\n").status == 401);
  CHECK(get_status(port, "/pipelines", {{"Authorization", "Bearer s3cret-token-0123456789"}}) == 200);
  CHECK(get_status(port, "/pipelines", {{"Authorization", "bearer   s3cret-token-0123456789"}}) == 200);
  CHECK(get_status(port, "/metrics") == 401);
  CHECK(get_status(port, "/metrics", {{"Authorization", "Bearer s3cret-token-0123456789"}}) == 200);
  CHECK(get_status(port, "/no-such-path") == 401);  // not even whether a path exists
  // Refused from the head: a client without the token cannot make the worker
  // wait for (or read) a body, however large it announces.
  CHECK(raw_request(port, "POST /pipelines" + kHost + "Content-Length: 100000000\r\n\r\n").status == 401);

  options.auth.metrics_need_token = false;  // http.auth.metrics: false
  HttpServer open_metrics(worker, no_pipelines, options);
  const int port2 = open_metrics.start();
  CHECK(get_status(port2, "/metrics") == 200);
  CHECK(get_status(port2, "/pipelines") == 401);
  open_metrics.stop();
  server.stop();
  worker.stop();
}

TEST_CASE("oversized, unframed and malformed requests are refused from their head", "[http]") {
  Worker worker(test_worker_config());
  HttpOptions options{"127.0.0.1", 0};
  options.limits.max_body_bytes = 1 << 20;
  HttpServer server(worker, no_pipelines, options);
  const int port = server.start();

  // 413 before any of the body is sent (or read).
  const RawResponse big = raw_request(port, "POST /pipelines" + kHost + "Content-Length: 200000000\r\n\r\n");
  CHECK(big.status == 413);
  CHECK_THAT(json::parse(big.body)["message"].get<std::string>(),
             Catch::Contains("200000000 bytes; at most 1048576 are accepted"));
  CHECK(raw_request(port, "POST /pipelines" + kHost + "Expect: 100-continue\r\nContent-Length: 200000000\r\n\r\n").status == 413);
  // A client that sends the whole body anyway still reads the 413 (the gate
  // drains what it sends rather than resetting the connection).
  httplib::Client http("127.0.0.1", port);
  http.set_read_timeout(10);
  http.set_write_timeout(10);
  auto posted = http.Post("/pipelines", std::string(2 << 20, 'x'), "application/yaml");
  REQUIRE(posted);
  CHECK(posted->status == 413);

  CHECK(raw_request(port, "POST /pipelines" + kHost + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n").status == 411);
  CHECK(raw_request(port, "GET /healthz" + kHost + "X-Big: " + std::string(20000, 'a') + "\r\n\r\n").status == 431);
  CHECK(raw_request(port, "GET /healthz" + kHost + "Content-Length: 1\r\nContent-Length: 2\r\n\r\n").status == 400);
  CHECK(raw_request(port, "GET /healthz HTTP/1.1 extra\r\n\r\n").status == 400);
  CHECK(raw_request(port, "GET /healthz HTTP/2.0\r\n\r\n").status == 400);
  CHECK(get_status(port, "/healthz") == 200);
  server.stop();
  worker.stop();
}

TEST_CASE("requests sent back to back on one connection are answered in turn, each body its own", "[http]") {
  Worker worker(test_worker_config());
  HttpServer server(worker, no_pipelines, HttpOptions{"127.0.0.1", 0});
  const int port = server.start();
  Sockets clients;
  const int fd = clients.open(port);
  // A POST whose body could be mistaken for a request, then two requests,
  // all in one write: the body is exactly its Content-Length.
  const std::string body = "GET /metrics HTTP/1.1\r\n\r\n";
  REQUIRE(send_all(fd, "POST /pipelines" + kHost + "Content-Type: application/yaml\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body + "GET /healthz" + kHost + "\r\n" +
                           "GET /readyz" + kHost + "Connection: close\r\n\r\n"));
  const RawResponse created = read_response(fd);
  CHECK(created.status == 400);
  CHECK_THAT(created.body, Catch::Contains("takes no pipelines"));
  const RawResponse health = read_response(fd);
  CHECK(health.status == 200);
  CHECK_THAT(health.body, Catch::Contains("UP"));
  const RawResponse ready = read_response(fd);
  CHECK(ready.status == 200);
  CHECK_THAT(ready.body, Catch::Contains("READY"));
  CHECK(closed_by_server(fd));
  server.stop();
  worker.stop();
}
