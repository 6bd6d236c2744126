#pragma once
// One HTTP port for the REST API (Kafka Connect conventions on /pipelines),
// Prometheus /metrics and the health probes (/healthz: the process serves
// requests, never depends on Kafka; /readyz: every pipeline running with its
// sources connected). Talks only to the Worker facade.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/pipeline_graph.hpp"
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
};

class HttpServer {
 public:
  HttpServer(Worker& worker, PipelineTranslator translate, HttpOptions options = {});
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

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
