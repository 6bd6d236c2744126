#pragma once
// One HTTP port for the REST API (Kafka Connect conventions on /pipelines),
// Prometheus /metrics and the health probes (/healthz: the process serves
// requests, never depends on Kafka; /readyz: every pipeline running with its
// sources connected). Talks only to the Worker facade.
//
// Connections pass the connection gate (actors/http/connection_gate.hpp)
// first: a request reaches a thread only once its head is complete, and the
// probes, /metrics and the REST API are answered by separate threads, so
// idle, slow or half-open clients delay none of them. With a bearer token
// configured, every path but the probes (and /metrics, if so configured)
// needs it (actors/http/bearer_auth.hpp).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/http/bearer_auth.hpp"
#include "actors/http/gate_limits.hpp"
#include "actors/pipeline_graph.hpp"
#include "actors/reload_report.hpp"
#include "actors/worker.hpp"

namespace ananas::rt {

// Turns a POST /pipelines body (pipeline YAML, SQL, or the tutorial's
// application JSON) into runnable graphs. Throws InputError
// ("file:line:col: message") or std::invalid_argument for bad input.
using PipelineTranslator =
    std::function<std::vector<PipelineGraph>(const std::string& body, const std::string& content_type)>;

struct HttpOptions {
  std::string host = "127.0.0.1";  // loopback unless configured otherwise
  int port = 8083;                 // 0: any free port (tests)
  http::AuthOptions auth;          // http.auth.token (empty: none), http.auth.metrics
  http::GateLimits limits;         // body size (http.max.body.bytes), timeouts, connections
};

class HttpServer {
 public:
  HttpServer(Worker& worker, PipelineTranslator translate, HttpOptions options = {});
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // POST /reload and GET /reload: the worker's pipeline files (without a
  // reloader both answer 404). Call before start().
  void set_reloader(std::shared_ptr<Reloader> reloader);

  // Binds and starts serving on a background thread; returns the bound port.
  // Throws std::runtime_error when the address cannot be bound.
  int start();
  void stop();
  int port() const { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace ananas::rt
